using SockActors.Model.Maps;
using SockActors.Model.Net;
using SockActors.Model.Scenarios;
using SockActors.Model.Tests.Support;

namespace SockActors.Model.Tests.Concurrency;

/// <summary>
/// One connection c1 &lt;-&gt; p1 used in both directions at once, on the sequential engine's cooperative threads: a
/// blocking sender on each end (8 MiB in 1 MiB or 4 MiB calls) and a blocking reader on each end. On Linux this
/// completes because a sendmsg asleep in sk_stream_wait_memory has released the socket lock, so the recvmsg of the
/// same socket proceeds; here too, and every byte arrives once, in order.
/// </summary>
public class FullDuplexTests
{
    private const long Total = 8L << 20;

    [Theory]
    [InlineData(1 << 20, false)]
    [InlineData(4 << 20, false)]
    [InlineData(1 << 20, true)]
    [InlineData(4 << 20, true)]
    public async Task Full_duplex_blocking_senders_and_readers_on_one_connection_complete_with_every_byte_in_order(int callSize, bool passProgram)
    {
        var k = new SimKernel();
        var (c1, p1) = k.ConnectPair("c1", "p1");
        DelegateProgram? prog = null;
        if (passProgram)
        {
            var map = new SockMap("sock_map", 2);
            prog = DelegateProgram.Pass();
            Assert.Equal(0, map.Attach(SockAttachType.SkMsgVerdict, prog));
            Assert.Equal(0, map.Update(0, c1));
            Assert.Equal(0, map.Update(1, p1));
        }
        var threads = new SequentialThreads(k);
        var up = threads.Start(() => PatternStreams.SendAllAsync(d => c1.SendMsgAsync(d), Total, callSize, 0x00));
        var down = threads.Start(() => PatternStreams.SendAllAsync(d => p1.SendMsgAsync(d), Total, callSize, 0x5a));
        var atP1 = threads.Start(() => PatternStreams.ReadAllAsync(b => p1.RecvMsgAsync(b), Total, 0x00));
        var atC1 = threads.Start(() => PatternStreams.ReadAllAsync(b => c1.RecvMsgAsync(b), Total, 0x5a));
        threads.Run();

        Assert.Equal(Total, await up);
        Assert.Equal(Total, await down);
        Assert.Equal(Total, await atP1);
        Assert.Equal(Total, await atC1);
        if (prog is not null) Assert.True(prog.Runs >= 2 * Total / callSize, $"the pass program ran {prog.Runs} times");
    }

    [Fact]
    public void Senders_that_sleep_with_nobody_to_wake_them_are_reported_as_a_hang_not_waited_for()
    {
        var k = new SimKernel();
        var (c1, _) = k.ConnectPair("c1", "p1");
        var threads = new SequentialThreads(k);
        var big = new byte[16 << 20];
        threads.Start(async () => await c1.SendMsgAsync(big));
        var e = Assert.Throws<SimulationDeadlockException>(threads.Run);
        Assert.Contains("1 thread(s) sleep", e.Message);
    }

    [Fact]
    public async Task A_blocking_receive_with_SO_RCVTIMEO_returns_EAGAIN_when_the_timeout_runs_out_on_virtual_time()
    {
        var k = new SimKernel();
        var (_, p1) = k.ConnectPair("c1", "p1");
        Assert.Equal(0, p1.SetSockOpt(SockOption.RcvTimeoNs, 300_000_000));
        var threads = new SequentialThreads(k);
        var r = threads.Start(async () => await p1.RecvMsgAsync(new byte[100]));
        threads.Run();
        Assert.Equal(-Errno.EAGAIN, await r);
        Assert.Equal(300_000_000, k.NowNs);
    }

    [Fact]
    public async Task A_sleeping_receive_is_woken_by_the_peer_send_and_reads_it()
    {
        var k = new SimKernel();
        var (c1, p1) = k.ConnectPair("c1", "p1");
        var threads = new SequentialThreads(k);
        var buf = new byte[100];
        var r = threads.Start(async () => await p1.RecvMsgAsync(buf));
        Assert.False(r.IsCompleted);
        var s = threads.Start(async () => await c1.SendMsgAsync("hello"u8.ToArray()));
        threads.Run();
        Assert.Equal(5, await s);
        Assert.Equal(5, await r);
        Assert.Equal("hello"u8.ToArray(), buf[..5]);
        Assert.Equal(0, k.NowNs);
    }

    [Fact]
    public async Task A_receive_on_a_closed_stream_returns_zero_and_a_sleeping_one_is_woken_by_the_close()
    {
        var k = new SimKernel();
        var (c1, p1) = k.ConnectPair("c1", "p1");
        var threads = new SequentialThreads(k);
        var r = threads.Start(async () => await p1.RecvMsgAsync(new byte[10]));
        c1.Close();
        threads.Run();
        Assert.Equal(0, await r);
    }
}
