using Akka.TestKit.Xunit2;
using SockActors.Actors.Client;
using SockActors.Actors.Protocol;
using SockActors.Model;
using SockActors.Model.Net;
using SockActors.Model.Scenarios;

namespace SockActors.Actors.Tests;

/// <summary>What a test can observe of a running kernel (its verdict events, its maps' snapshots) and how the runtime
/// fails instead of hanging (timeouts, cancellation, requests it cannot route).</summary>
public sealed class ObservationAndFailureTests() : TestKit(TestConfig.Create())
{
    private async Task<(SimulatedHost Host, SocketHandle C1, SocketHandle P1, SocketHandle C2, SocketHandle P2, MapHandle Map)> Topology(ProgramSpec spec)
    {
        var host = await SimulatedHost.CreateAsync(Sys);
        var (c1, p1) = await host.ConnectPairAsync("c1", "p1");
        var (c2, p2) = await host.ConnectPairAsync("c2", "p2");
        var prog = new ScenarioProgram();
        prog.Configure(spec);
        var (ph, maps) = await host.LoadProgramAsync(prog, prog.Map);
        Assert.Equal(0, await host.AttachAsync(maps[0], ph));
        Assert.Equal(0, await host.MapUpdateAsync(maps[0], 0, c1));
        Assert.Equal(0, await host.MapUpdateAsync(maps[0], 1, p2));
        return (host, c1, p1, c2, p2, maps[0]);
    }

    [Fact]
    public async Task A_probe_sees_every_program_run_in_order_with_size_verdict_and_windows()
    {
        var (host, c1, _, _, p2, _) = await Topology(new ProgramSpec { Action = ScenarioAction.Redirect, RedirectKey = 1, Apply = 4 });
        var probe = CreateTestProbe();
        await host.SubscribeVerdictsAsync(probe.Ref);

        Assert.Equal(10, await host.SendMsgAsync(c1, new byte[10]));
        // The 4-byte apply window makes the program run again on what is left: 10, 6, 2.
        var runs = new[] { probe.ExpectMsg<ProgramRunEvent>(), probe.ExpectMsg<ProgramRunEvent>(), probe.ExpectMsg<ProgramRunEvent>() };
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
        Assert.Equal(new uint[] { 10, 6, 2 }, runs.Select(r => r.Size));
        Assert.Equal(new long[] { 0, 1, 2 }, runs.Select(r => r.RunIndex));
        Assert.All(runs, r =>
        {
            Assert.Equal("c1", r.Sock);
            Assert.Equal(c1.Id, r.SockId);
            Assert.Equal("redirect", r.Verdict);
            Assert.Equal(4u, r.ApplyBytes);
            Assert.Equal(p2.Id, r.RedirectSockId);
            Assert.False(r.Ingress);
        });
    }

    [Fact]
    public async Task A_drop_program_publishes_drop_verdicts()
    {
        var (host, c1, _, _, _, _) = await Topology(new ProgramSpec { Action = ScenarioAction.Drop });
        var probe = CreateTestProbe();
        await host.SubscribeVerdictsAsync(probe.Ref);
        Assert.Equal(-Errno.EACCES, await host.SendMsgAsync(c1, new byte[100]));
        var run = probe.ExpectMsg<ProgramRunEvent>();
        Assert.Equal("drop", run.Verdict);
        Assert.Equal(100u, run.Size);
    }

    [Fact]
    public async Task A_map_snapshot_after_a_socket_closes_no_longer_holds_the_socket()
    {
        var (host, c1, _, _, p2, map) = await Topology(new ProgramSpec());
        var probe = CreateTestProbe();
        map.Actor.Tell(new SubscribeMap(map.Id), probe.Ref);
        var first = probe.ExpectMsg<MapSnapshot>();
        Assert.Equal(new[] { c1.Id, p2.Id }, first.Slots.Select(s => s.SockId).Order());

        await host.CloseAsync(c1);
        var after = probe.ExpectMsg<MapSnapshot>();
        Assert.Equal(first.Version + 1, after.Version);
        Assert.Equal(new[] { p2.Id }, after.Slots.Select(s => s.SockId));
        Assert.Equal(-Errno.ENOENT, await host.MapLookupAsync(map, 0));
        Assert.Equal(p2.Id, await host.MapLookupAsync(map, 1));
    }

    [Fact]
    public async Task A_blocking_send_nobody_frees_ends_in_a_timeout_naming_the_request_not_a_hang()
    {
        var host = await SimulatedHost.CreateAsync(Sys);
        var (c1, _) = await host.ConnectPairAsync("c1", "p1");
        var e = await Assert.ThrowsAsync<TimeoutException>(() => host.SendMsgAsync(c1, new byte[16 << 20], timeout: TimeSpan.FromMilliseconds(300)));
        Assert.Contains("SendMsg", e.Message);
        Assert.Contains("kernel-", e.Message);
        // The simulation itself is fine: the send still sleeps there, and other calls answer.
        Assert.Equal(1, (await host.SockStatsAsync(c1)).WaitingSends);
    }

    [Fact]
    public async Task A_cancelled_call_ends_with_OperationCanceledException()
    {
        var host = await SimulatedHost.CreateAsync(Sys);
        var (_, p1) = await host.ConnectPairAsync("c1", "p1");
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => host.RecvAsync(p1, 10, blocking: true, ct: cts.Token));
    }

    [Fact]
    public async Task Requests_the_kernel_cannot_route_get_a_failure_naming_what_is_missing()
    {
        var host = await SimulatedHost.CreateAsync(Sys);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => host.SendMsgAsync(new SocketHandle(999, "ghost", Akka.Actor.ActorRefs.Nobody), new byte[1]));
        Assert.Contains("no socket 999", e.Message);
        var m = await Assert.ThrowsAsync<InvalidOperationException>(() => host.Ask<MapResult>(new MapLookup(77, 0)));
        Assert.Contains("no map 77", m.Message);
        var u = await Assert.ThrowsAsync<InvalidOperationException>(() => host.Ask<ProgramInfo>(GetProgramInfo.Instance));
        Assert.Contains("does not handle GetProgramInfo", u.Message);
    }

    [Fact]
    public async Task SO_SNDBUF_through_the_runtime_follows_the_kernel_rule()
    {
        var host = await SimulatedHost.CreateAsync(Sys);
        var (c1, _) = await host.ConnectPairAsync("c1", "p1");
        Assert.Equal(0, await host.SetSockOptAsync(c1, SockOption.SndBuf, 4096));
        Assert.Equal(8192, (await host.SockStatsAsync(c1)).Sndbuf);
        Assert.Equal(0, await host.SetSockOptAsync(c1, SockOption.SndTimeoNs, -1));
        Assert.True(await host.SendMsgAsync(c1, new byte[1 << 20]) < 1 << 20);
        Assert.Equal(-Errno.EAGAIN, await host.SendMsgAsync(c1, new byte[1]));
    }
}
