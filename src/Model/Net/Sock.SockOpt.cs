namespace SockActors.Model.Net;

// setsockopt(2) and fcntl(O_NONBLOCK): the rules by which a user's value becomes the socket's state
// (net/core/sock.c sk_setsockopt, __sock_set_sndbuf, __sock_set_rcvbuf, sock_set_timeout).
public sealed partial class Sock
{
    /// <summary>SOCK_MIN_SNDBUF on x86_64: 2 * (2048 + SKB_TRUESIZE(0) rounded to cache lines) = 2 * (2048 + 256).</summary>
    public const int SockMinSndbuf = 4608;

    /// <summary>SOCK_MIN_RCVBUF on x86_64: 2048 + 256.</summary>
    public const int SockMinRcvbuf = 2304;

    /// <summary>
    /// setsockopt(2) / fcntl(2) on this socket. Returns 0 or -errno, as sk_setsockopt does; a larger send buffer wakes
    /// the socket's sleepers (sk->sk_write_space).
    /// </summary>
    public int SetSockOpt(SockOption option, long value)
    {
        switch (option)
        {
            case SockOption.SndBuf:
                // "RCVBUF/SNDBUF are treated in BSD as hints": clamped to net.core.wmem_max, never an error.
                SetSndbuf(Math.Min((uint)value, (uint)Kernel.Defaults.WmemMax));
                return 0;
            case SockOption.SndBufForce:
                SetSndbuf(value < 0 ? 0 : (uint)Math.Min(value, uint.MaxValue));
                return 0;
            case SockOption.RcvBuf:
                SetRcvbuf(Math.Min((uint)value, (uint)Kernel.Defaults.RmemMax));
                return 0;
            case SockOption.RcvBufForce:
                SetRcvbuf(value < 0 ? 0 : (uint)Math.Min(value, uint.MaxValue));
                return 0;
            case SockOption.SndTimeoNs:
                SndTimeoNs = TimeoutFromTimeval(value);
                return 0;
            case SockOption.RcvTimeoNs:
                RcvTimeoNs = TimeoutFromTimeval(value);
                return 0;
            case SockOption.NonBlocking:
                NonBlocking = value != 0;
                return 0;
            case SockOption.NoDelay:
                NoDelay = value != 0;
                return 0;
            default:
                return -Errno.ENOPROTOOPT;
        }
    }

    /// <summary>__sock_set_sndbuf: val * 2, at least SOCK_MIN_SNDBUF, and val first capped at INT_MAX / 2; then
    /// sk_write_space, which wakes senders if the socket became writeable.</summary>
    private void SetSndbuf(uint val)
    {
        int v = (int)Math.Min(val, int.MaxValue / 2);
        Sndbuf = Math.Max(v * 2, SockMinSndbuf);
        WriteSpace();
    }

    /// <summary>__sock_set_rcvbuf: sk_rcvbuf = max(val * 2, SOCK_MIN_RCVBUF). The receive window the model's
    /// <see cref="Rcvbuf"/> bounds is tcp_win_from_space(sk_rcvbuf): half of it at the default scaling ratio (128/256).</summary>
    private void SetRcvbuf(uint val)
    {
        int v = (int)Math.Min(val, int.MaxValue / 2);
        SkRcvbuf = Math.Max(v * 2, SockMinRcvbuf);
        Rcvbuf = SkRcvbuf / 2;
        // A larger window lets the peer transmit what it holds (the window update of tcp_cleanup_rbuf).
        Peer?.TransmitWindow();
    }

    /// <summary>
    /// sock_set_timeout: a negative tv_sec gives a timeout of 0 (the call never sleeps); 0 gives MAX_SCHEDULE_TIMEOUT;
    /// anything else is tv_sec * HZ + tv_usec rounded up to a jiffy. The model keeps it in nanoseconds.
    /// </summary>
    public long TimeoutFromTimeval(long ns)
    {
        long sec = Math.DivRem(ns, 1_000_000_000L, out long rem);
        if (rem < 0)
        {
            sec--;
            rem += 1_000_000_000L;
        }
        long usec = rem / 1000;
        if (sec < 0) return 0;
        if (sec == 0 && usec == 0) return MaxScheduleTimeout;
        int hz = Kernel.Defaults.Hz;
        long usecPerJiffy = 1_000_000 / hz;
        long jiffies = sec * hz + (usec + usecPerJiffy - 1) / usecPerJiffy;
        return jiffies * (1_000_000_000L / hz);
    }
}
