using SockActors.Model.Net;

namespace SockActors.Model.Tests.Concurrency;

/// <summary>setsockopt's rules as sk_setsockopt applies them: buffer sizes double and are clamped, timeouts follow
/// sock_set_timeout (negative: never sleep; zero: no timeout; otherwise rounded up to a jiffy of 1/HZ s).</summary>
public class SetSockOptTests
{
    private static Sock NewSock() => new SimKernel().ConnectPair().Client;

    [Theory]
    [InlineData(4096, 8192)]
    [InlineData(1, Sock.SockMinSndbuf)]
    [InlineData(0, Sock.SockMinSndbuf)]
    [InlineData(-5, 8 * 1024 * 1024)]          // an int of -5 is a huge u32: clamped to wmem_max (4 MiB), doubled
    [InlineData(64L * 1024 * 1024, 8 * 1024 * 1024)]
    public void SO_SNDBUF_doubles_the_value_clamped_to_wmem_max_and_at_least_SOCK_MIN_SNDBUF(long value, int sndbuf)
    {
        var s = NewSock();
        Assert.Equal(0, s.SetSockOpt(SockOption.SndBuf, value));
        Assert.Equal(sndbuf, s.Sndbuf);
    }

    [Fact]
    public void SO_SNDBUFFORCE_ignores_wmem_max_and_treats_negative_as_zero()
    {
        var s = NewSock();
        Assert.Equal(0, s.SetSockOpt(SockOption.SndBufForce, 64L * 1024 * 1024));
        Assert.Equal(128 * 1024 * 1024, s.Sndbuf);
        Assert.Equal(0, s.SetSockOpt(SockOption.SndBufForce, -1));
        Assert.Equal(Sock.SockMinSndbuf, s.Sndbuf);
    }

    [Fact]
    public void SO_RCVBUF_doubles_sk_rcvbuf_and_the_window_is_half_of_it()
    {
        var s = NewSock();
        Assert.Equal(0, s.SetSockOpt(SockOption.RcvBuf, 65536));
        Assert.Equal(131072, s.SkRcvbuf);
        Assert.Equal(65536, s.Rcvbuf);
        Assert.Equal(0, s.SetSockOpt(SockOption.RcvBuf, 10));
        Assert.Equal(Sock.SockMinRcvbuf, s.SkRcvbuf);
    }

    [Theory]
    [InlineData(0L, Sock.MaxScheduleTimeout)]              // {0, 0}: wait forever
    [InlineData(-1L, 0L)]                                  // tv_sec < 0: never sleep
    [InlineData(-2_000_000_000L, 0L)]
    [InlineData(1_000_000_000L, 1_000_000_000L)]           // 250 jiffies
    [InlineData(1_000L, 4_000_000L)]                       // 1 us rounds up to one jiffy (4 ms at HZ 250)
    [InlineData(4_000_001L, 4_000_000L)]                   // the nanosecond is below the timeval's microsecond
    [InlineData(5_000_000L, 8_000_000L)]                   // 5 ms: two jiffies
    public void SO_SNDTIMEO_follows_sock_set_timeout(long ns, long timeo)
    {
        var s = NewSock();
        Assert.Equal(0, s.SetSockOpt(SockOption.SndTimeoNs, ns));
        Assert.Equal(timeo, s.SndTimeoNs);
    }

    [Fact]
    public async Task A_negative_SO_SNDTIMEO_makes_a_send_to_a_full_buffer_fail_at_once_with_EAGAIN()
    {
        var k = new SimKernel();
        var (c1, _) = k.ConnectPair("c1", "p1");
        Assert.Equal(0, c1.SetSockOpt(SockOption.SndTimeoNs, -1));
        var pending = c1.SendMsgAsync(new byte[16 << 20]);
        Assert.True(pending.IsCompleted);
        int rc = await pending;
        Assert.True(rc > 0 && rc < 16 << 20, $"rc {rc}");
        Assert.Equal(-Errno.EAGAIN, await c1.SendMsgAsync(new byte[100]));
        Assert.Equal(0, k.NowNs);
    }

    [Fact]
    public void An_unknown_option_is_ENOPROTOOPT()
    {
        Assert.Equal(-Errno.ENOPROTOOPT, NewSock().SetSockOpt((SockOption)99, 1));
    }
}
