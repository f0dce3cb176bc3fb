using SockActors.Model.Net;
using Akka.TestKit.Xunit2;
using SockActors.Actors.Client;
using SockActors.Actors.Protocol;
using SockActors.Model;
using SockActors.Model.Scenarios;
using Xunit.Abstractions;

namespace SockActors.Actors.Tests;

/// <summary>Backpressure as the kernel has it: a blocking sender is answered when its data is accepted, a
/// non-blocking one gets -EAGAIN, SO_SNDTIMEO runs on virtual time, a reader that stops stalls without loss and
/// without memory growing.</summary>
public sealed class BackpressureTests : TestKit
{
    private readonly ITestOutputHelper output;

    public BackpressureTests(ITestOutputHelper output) : base(TestConfig.Create(), output: output) => this.output = output;

    private const int Small = 64 * 1024;

    /// <summary>c1 -> p1 through a sockmap with a passing program, small buffers on both sides.</summary>
    private async Task<(SimulatedHost Host, SocketHandle C1, SocketHandle P1)> PassPairAsync(ProgramSpec? spec = null)
    {
        var host = await SimulatedHost.CreateAsync(Sys);
        var (c1, p1) = await host.ConnectPairAsync("c1", "p1");
        var prog = new ScenarioProgram();
        prog.Configure(spec ?? new ProgramSpec());
        var (ph, maps) = await host.LoadProgramAsync(prog, prog.Map);
        Assert.Equal(0, await host.AttachAsync(maps[0], ph));
        Assert.Equal(0, await host.MapUpdateAsync(maps[0], 0, c1));
        Assert.Equal(0, await host.SetSockOptAsync(c1, SockOption.SndBuf, Small));
        Assert.Equal(0, await host.SetSockOptAsync(p1, SockOption.RcvBuf, Small));
        return (host, c1, p1);
    }

    private static byte[] Pattern(int n)
    {
        var b = new byte[n];
        StreamPattern.Fill(b, 0);
        return b;
    }

    [Fact]
    public async Task A_blocking_sender_is_answered_only_when_the_reader_frees_space()
    {
        var (host, c1, p1) = await PassPairAsync();
        const int total = 8 * Small;
        var send = host.SendMsgAsync(c1, Pattern(total));
        var stats = await host.SockStatsAsync(c1);
        Assert.Equal(1, stats.WaitingSends);
        Assert.False(send.IsCompleted);

        long read = 0;
        var fnv = new Fnv1a();
        int rounds = 0;
        while (!send.IsCompleted || read < total)
        {
            var r = await host.RecvAsync(p1, 16 * 1024);
            if (r.Rc > 0)
            {
                fnv.Append(r.Data);
                read += r.Rc;
            }
            Assert.True(++rounds < 10_000, "the reader made no progress");
            if (r.Rc <= 0) await Task.Delay(1);
        }
        Assert.Equal(total, await send);
        Assert.Equal(total, read);
        var expected = new Fnv1a();
        expected.Append(Pattern(total));
        Assert.Equal(expected.Value, fnv.Value);
        Assert.Equal(0, (await host.StatsAsync()).WaitingSends);
    }

    [Fact]
    public async Task A_non_blocking_sender_gets_EAGAIN_when_the_buffers_are_full()
    {
        var (host, c1, p1) = await PassPairAsync();
        Assert.Equal(0, await host.SetSockOptAsync(c1, SockOption.NonBlocking, 1));
        var chunk = Pattern(16 * 1024);
        long accepted = 0;
        int rc;
        int calls = 0;
        while ((rc = await host.SendMsgAsync(c1, chunk)) > 0)
        {
            accepted += rc;
            Assert.True(++calls < 1000, "the buffers never filled");
        }
        Assert.Equal(-Errno.EAGAIN, rc);
        // Nothing was lost: everything accepted reaches the reader.
        var drained = await host.DrainAsync(p1);
        var c1Stats = await host.SockStatsAsync(c1);
        Assert.Equal(accepted, drained.Bytes + c1Stats.WmemQueued + (await host.DrainAsync(p1)).Bytes);
    }

    [Fact]
    public async Task SO_SNDTIMEO_expires_on_virtual_time()
    {
        var (host, c1, _) = await PassPairAsync();
        Assert.Equal(0, await host.SetSockOptAsync(c1, SockOption.SndTimeoNs, 1_000_000_000));
        var send = host.SendMsgAsync(c1, Pattern(8 * Small));
        await host.AdvanceClockAsync(999_999_999);
        Assert.Equal(1, (await host.SockStatsAsync(c1)).WaitingSends);
        Assert.False(send.IsCompleted);
        var adv = await host.AdvanceClockAsync(1);
        Assert.True(adv.Fired);
        int rc = await send;
        // A partial send returns what was accepted before the deadline; nothing was accepted only if rc is -EAGAIN.
        Assert.True(rc > 0 && rc < 8 * Small, $"rc {rc}");
        Assert.Equal(1_000_000_000, (await host.StatsAsync()).NowNs);
    }

    [Fact]
    public async Task A_reader_that_never_reads_stalls_a_redirecting_sender_with_bounded_memory()
    {
        var host = await SimulatedHost.CreateAsync(Sys);
        var (c1, _) = await host.ConnectPairAsync("c1", "p1");
        var (c2, p2) = await host.ConnectPairAsync("c2", "p2");
        var prog = new ScenarioProgram();
        prog.Configure(new ProgramSpec { Action = ScenarioAction.Redirect, RedirectKey = 1 });
        var (ph, maps) = await host.LoadProgramAsync(prog, prog.Map);
        await host.AttachAsync(maps[0], ph);
        await host.MapUpdateAsync(maps[0], 0, c1);
        await host.MapUpdateAsync(maps[0], 1, p2);
        foreach (var (s, opt) in new[] { (c1, SockOption.SndBuf), (p2, SockOption.SndBuf), (c2, SockOption.RcvBuf) })
            await host.SetSockOptAsync(s, opt, Small);

        // Blocking sends of 64 KiB from one thread until one stalls: egress redirect, p2's buffer full, c2 never reads.
        const int thread = 1;
        var chunk = Pattern(Small);
        long accepted = 0;
        Task<int>? stalled = null;
        for (int i = 0; i < 200 && stalled is null; i++)
        {
            var t = host.SendMsgAsync(c1, chunk, thread: thread);
            await host.StatsAsync(); // the cascade of the send has run
            if ((await host.StatsAsync()).WaitingSends > 0) stalled = t;
            else accepted += await t;
        }
        Assert.NotNull(stalled);
        var before = await host.StatsAsync();
        // More offered load from the same thread does not make memory grow: the thread is blocked in its stalled call,
        // so its next calls wait for it (a thread makes one system call at a time).
        var queued = Enumerable.Range(0, 50).Select(_ => host.SendMsgAsync(c1, chunk, thread: thread)).ToList();
        var after = await host.StatsAsync();
        output.WriteLine($"accepted before stalling {accepted}, pages in use {before.PageBytesInUse} -> {after.PageBytesInUse}");
        Assert.True(after.PageBytesInUse <= before.PageBytesInUse + 2 * 32768, $"{before.PageBytesInUse} -> {after.PageBytesInUse}");
        Assert.True(after.PageBytesInUse < 8 * Small + 4 * 32768, $"page memory {after.PageBytesInUse}");
        Assert.False(stalled.IsCompleted);
        Assert.All(queued, q => Assert.False(q.IsCompleted));
        // The reader reads: the stalled send and then the queued ones complete, nothing lost.
        long delivered = 0;
        int rounds = 0;
        while (!(stalled.IsCompleted && queued.All(q => q.IsCompleted)))
        {
            delivered += (await host.DrainAsync(c2)).Bytes;
            Assert.True(++rounds < 100_000, "no progress");
            await Task.Yield();
        }
        delivered += (await host.DrainAsync(c2)).Bytes;
        long sent = accepted + await stalled + (await Task.WhenAll(queued)).Sum(x => (long)x);
        Assert.Equal(sent, delivered);
        Assert.Equal(51 * (long)Small + accepted, sent);
    }
}
