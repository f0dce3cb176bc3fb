namespace SockActors.Model.Net;

// The socket's wait queue (sk->sk_wq): the conditions sleeping calls wait for and the places that wake them. The
// engines own the sleeping itself (ISockEnvironment); the rules of when a sleep ends and when a wake-up is sent are
// here, once, so that the sequential engine and the actor runtime follow the same ones.
public sealed partial class Sock
{
    /// <summary>SOCK_NOSPACE: a sender found the send buffer full and sleeps (or gave up); tcp_check_space only calls
    /// sk_write_space while it is set.</summary>
    public bool NoSpace { get; private set; }

    /// <summary>Calls sleeping on this socket's wait queue (skwq_has_sleeper); the engines count them.</summary>
    public int Sleepers { get; set; }

    /// <summary>
    /// One pass of sk_stream_wait_memory's loop (net/core/stream.c), on entry and after every wake-up: -EPIPE on a
    /// socket error or SEND_SHUTDOWN, -EAGAIN when no time is left (a non-blocking call, or SO_SNDTIMEO ran out),
    /// the time left once sk_stream_memory_free holds; null when the caller must sleep on (SOCK_NOSPACE is set).
    /// </summary>
    public long? StreamWaitMemoryStep(long timeoNs)
    {
        if (Err != 0 || SendShutdown) return -Errno.EPIPE;
        if (timeoNs == 0) return -Errno.EAGAIN;
        if (StreamMemoryFree) return timeoNs;
        NoSpace = true;
        return null;
    }

    /// <summary>
    /// One pass of tcp_msg_wait_data (net/ipv4/tcp_bpf.c) and sk_wait_data (net/core/sock.c) for a blocking receive:
    /// the time left once data is queued (receive queue or ingress_msg), the stream is shut down for reading or the
    /// socket has an error (the receive then reports it); -EAGAIN when no time is left; null to sleep on.
    /// </summary>
    public long? WaitDataStep(long timeoNs)
    {
        if (!ReceiveQueue.IsEmpty || IngressBytes > 0 || (Psock?.IngressMsg.Count ?? 0) > 0 || RcvShutdown || Err != 0)
            return timeoNs;
        if (timeoNs == 0) return -Errno.EAGAIN;
        return null;
    }

    /// <summary>The step of a sleeper of either kind, as the engines re-check it after a wake-up or at its deadline.</summary>
    public long? SleepStep(bool forData, long timeoNs) => forData ? WaitDataStep(timeoNs) : StreamWaitMemoryStep(timeoNs);

    /// <summary>sock_rcvtimeo: 0 for MSG_DONTWAIT or O_NONBLOCK, else SO_RCVTIMEO.</summary>
    public long RcvTimeo(int flags) => (flags & MsgFlags.DontWait) != 0 || NonBlocking ? 0 : RcvTimeoNs;

    /// <summary>
    /// sk_stream_write_space (net/core/stream.c), the socket's sk_write_space (sk_psock_write_space calls it too):
    /// when the socket is writeable again (free space at least half of what is queued, and below sk_sndbuf), clear
    /// SOCK_NOSPACE and wake the sleepers.
    /// </summary>
    internal void WriteSpace()
    {
        long wspace = Sndbuf - WmemQueued;
        if (wspace >= WmemQueued >> 1 && StreamMemoryFree)
        {
            NoSpace = false;
            Wake();
        }
    }

    /// <summary>tcp_check_space after the write queue shrank (the peer took data: on loopback its ACK follows at once):
    /// sk_write_space runs only while SOCK_NOSPACE is set.</summary>
    internal void CheckSpace()
    {
        if (NoSpace) WriteSpace();
    }

    /// <summary>wake_up on sk_sleep(sk) (sk_data_ready, sk_write_space, sk_state_change): every sleeper re-checks its
    /// own condition. Only when there is one (skwq_has_sleeper), so the hot path costs a field read.</summary>
    internal void Wake()
    {
        if (Sleepers > 0) Kernel.Environment.Wake(this);
    }
}
