using SockActors.Model.Net;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using SockActors.Actors.Client;
using SockActors.Actors.Protocol;
using SockActors.Model;
using SockActors.Model.Scenarios;

namespace SockActors.Actors.Tests;

/// <summary>The testing API: a program under test, sockets and a map, talked to with TestKit probes.</summary>
public sealed class SampleTestKitTests() : TestKit(TestConfig.Create())
{
    [Fact]
    public async Task A_redirect_program_moves_bytes_to_the_other_connection()
    {
        var host = await SimulatedHost.CreateAsync(Sys);
        var (c1, p1) = await host.ConnectPairAsync("c1", "p1");
        var (c2, p2) = await host.ConnectPairAsync("c2", "p2");
        var program = new ScenarioProgram();
        program.Configure(new ProgramSpec { Action = ScenarioAction.Redirect, RedirectKey = 1 });
        var (prog, maps) = await host.LoadProgramAsync(program, program.Map);
        Assert.Equal(0, await host.AttachAsync(maps[0], prog));
        Assert.Equal(0, await host.MapUpdateAsync(maps[0], 0, c1));
        Assert.Equal(0, await host.MapUpdateAsync(maps[0], 1, p2));

        // Plain messages to the kernel actor, answered to a probe.
        var probe = CreateTestProbe();
        host.Kernel.Tell(new SendMsg(c1.Id, "hello"u8.ToArray(), 0), probe.Ref);
        Assert.Equal(5, probe.ExpectMsg<SendResult>().Rc);
        host.Kernel.Tell(new Recv(c2.Id, 100, false), probe.Ref);
        Assert.Equal("hello"u8.ToArray(), probe.ExpectMsg<RecvResult>().Data);
        host.Kernel.Tell(new Recv(p1.Id, 100, false), probe.Ref);
        Assert.Equal(-Errno.EAGAIN, probe.ExpectMsg<RecvResult>().Rc);
    }

    [Fact]
    public async Task A_map_publishes_snapshots_to_subscribers()
    {
        var host = await SimulatedHost.CreateAsync(Sys);
        var (c1, _) = await host.ConnectPairAsync("c1", "p1");
        var map = await host.CreateSockHashAsync("hash", 8);
        var probe = CreateTestProbe();
        map.Actor.Tell(new SubscribeMap(map.Id), probe.Ref);
        Assert.Empty(probe.ExpectMsg<MapSnapshot>().Slots);
        Assert.Equal(0, await host.MapUpdateAsync(map, 7, c1));
        var snap = probe.ExpectMsg<MapSnapshot>();
        Assert.Equal(c1.Id, Assert.Single(snap.Slots).SockId);
        Assert.Equal(c1.Id, await host.MapLookupAsync(map, 7));
        Assert.Equal(0, await host.MapDeleteAsync(map, 7));
        Assert.Empty(probe.ExpectMsg<MapSnapshot>().Slots);
    }
}

/// <summary>sockactors.clock = scheduler: SO_SNDTIMEO deadlines follow TestKit's virtual-time TestScheduler.</summary>
public sealed class SchedulerClockTests() : TestKit(TestConfig.Create("""
    sockactors.clock = scheduler
    akka.scheduler.implementation = "Akka.TestKit.TestScheduler, Akka.TestKit"
    """))
{
    [Fact]
    public async Task A_blocked_send_times_out_when_the_test_scheduler_advances()
    {
        var host = await SimulatedHost.CreateAsync(Sys);
        var (c1, _) = await host.ConnectPairAsync("c1", "p1");
        await host.SetSockOptAsync(c1, SockOption.SndBuf, 4096);
        await host.SetSockOptAsync(c1, SockOption.NonBlocking, 1);
        // Fill c1's and p1's buffers, then block with a 500 ms SO_SNDTIMEO.
        while (await host.SendMsgAsync(c1, new byte[65536]) > 0) { }
        await host.SetSockOptAsync(c1, SockOption.NonBlocking, 0);
        await host.SetSockOptAsync(c1, SockOption.SndTimeoNs, 500_000_000);
        var send = host.SendMsgAsync(c1, new byte[1000]);
        var scheduler = (TestScheduler)Sys.Scheduler;
        scheduler.Advance(TimeSpan.FromMilliseconds(499));
        Assert.Equal(1, (await host.SockStatsAsync(c1)).WaitingSends);
        scheduler.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(-Errno.EAGAIN, await send);
        Assert.Equal(500_000_000, (await host.StatsAsync()).NowNs);
    }
}
