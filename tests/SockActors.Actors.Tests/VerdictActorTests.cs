using Akka.Actor;
using Akka.TestKit.Xunit2;
using SockActors.Actors.Client;
using SockActors.Actors.Protocol;
using SockActors.Model;
using SockActors.Model.Maps;
using SockActors.Model.Programs;
using SockActors.Model.Scenarios;

namespace SockActors.Actors.Tests;

/// <summary>Each psock's verdict (tcp_bpf_send_verdict: the program, pass / redirect / drop) runs in its own actor, the
/// child "verdict" of the socket's actor, and the socket's results are those of the verdict running in place.</summary>
public sealed class VerdictActorTests() : TestKit(TestConfig.Create())
{
    /// <summary>Records the actor in whose turn each run happens, then passes or redirects to key 1.</summary>
    private sealed class WhereItRuns(SockMap map, bool redirect) : ISkMsgProgram
    {
        public List<ActorPath> RanIn { get; } = new();
        public string Name => "where_it_runs";

        public int Run(ISkMsgContext ctx)
        {
            RanIn.Add(ActorCell.GetCurrentSelfOrNoSender()!.Path);
            return redirect ? (int)ctx.MsgRedirectMap(map, 1, 0) : SkAction.Pass;
        }
    }

    private async Task<(SimulatedHost Host, SocketHandle C1, SocketHandle P1, SocketHandle C2, SocketHandle P2, WhereItRuns Prog)> Topology(bool redirect)
    {
        var host = await SimulatedHost.CreateAsync(Sys);
        var (c1, p1) = await host.ConnectPairAsync("c1", "p1");
        var (c2, p2) = await host.ConnectPairAsync("c2", "p2");
        var map = new SockMap("sock_map", 4);
        var prog = new WhereItRuns(map, redirect);
        var (ph, maps) = await host.LoadProgramAsync(prog, map);
        Assert.Equal(0, await host.AttachAsync(maps[0], ph));
        Assert.Equal(0, await host.MapUpdateAsync(maps[0], 0, c1));
        Assert.Equal(0, await host.MapUpdateAsync(maps[0], 1, p2));
        return (host, c1, p1, c2, p2, prog);
    }

    [Fact]
    public async Task The_program_runs_in_the_verdict_actor_child_of_the_sending_socket()
    {
        var (host, c1, p1, _, _, prog) = await Topology(redirect: false);
        Assert.Equal(5, await host.SendMsgAsync(c1, "hello"u8.ToArray()));
        Assert.Equal(3, await host.SendMsgAsync(c1, "abc"u8.ToArray()));
        Assert.Equal(2, prog.RanIn.Count);
        Assert.All(prog.RanIn, path => Assert.Equal(c1.Actor.Path / "verdict", path));
        Assert.Equal("helloabc"u8.ToArray(), (await host.RecvAsync(p1, 100)).Data);
    }

    [Fact]
    public async Task A_redirect_routed_by_the_verdict_actor_reaches_the_target_and_the_sender_keeps_its_queue_empty()
    {
        var (host, c1, p1, c2, _, prog) = await Topology(redirect: true);
        for (int i = 0; i < 20; i++) Assert.Equal(64, await host.SendMsgAsync(c1, new byte[64]));
        Assert.Equal(20, prog.RanIn.Count);
        Assert.All(prog.RanIn, path => Assert.Equal(c1.Actor.Path / "verdict", path));
        Assert.Equal(20 * 64, (await host.RecvAsync(c2, 4096)).Rc);
        Assert.Equal(-Errno.EAGAIN, (await host.RecvAsync(p1, 4096)).Rc);
        var stats = await host.SockStatsAsync(c1);
        Assert.Equal(0, stats.WmemQueued);
        Assert.Equal(0, stats.WaitingForLock);
    }

    /// <summary>A program whose C# code throws (an assertion, a bug): not a verdict but a failure.</summary>
    private sealed class Throws : ISkMsgProgram
    {
        public string Name => "throws";
        public int Run(ISkMsgContext ctx) => throw new InvalidOperationException("program assertion");
    }

    [Fact]
    public async Task An_exception_in_the_verdict_actor_fails_the_send_naming_the_socket_and_stops_the_kernel()
    {
        var host = await SimulatedHost.CreateAsync(Sys);
        var (c1, _) = await host.ConnectPairAsync("c1", "p1");
        var map = new SockMap("sock_map", 4);
        var (ph, maps) = await host.LoadProgramAsync(new Throws(), map);
        Assert.Equal(0, await host.AttachAsync(maps[0], ph));
        Assert.Equal(0, await host.MapUpdateAsync(maps[0], 0, c1));
        Watch(host.Kernel);
        var e = await Assert.ThrowsAsync<SimulatorFaultException>(() => host.SendMsgAsync(c1, "hello"u8.ToArray()));
        Assert.Contains("socket c1", e.Message);
        Assert.Contains("program assertion", e.Message);
        ExpectTerminated(host.Kernel);
    }

    [Fact]
    public async Task A_socket_without_a_psock_has_no_verdict_actor()
    {
        var (host, _, p1, _, _, _) = await Topology(redirect: false);
        Assert.Equal(5, await host.SendMsgAsync(p1, "hello"u8.ToArray()));
        var probe = CreateTestProbe();
        Sys.ActorSelection(p1.Actor.Path / "verdict").Tell(new Identify(1), probe.Ref);
        Assert.Null(probe.ExpectMsg<ActorIdentity>().Subject);
    }
}

/// <summary>sockactors.verdict = in-place: the verdict runs in the socket actor's own turn and no verdict actor exists.</summary>
public sealed class InPlaceVerdictTests() : TestKit(TestConfig.Create("sockactors.verdict = in-place"))
{
    private sealed class WhereItRuns : ISkMsgProgram
    {
        public List<ActorPath> RanIn { get; } = new();
        public string Name => "where_it_runs";

        public int Run(ISkMsgContext ctx)
        {
            RanIn.Add(ActorCell.GetCurrentSelfOrNoSender()!.Path);
            return SkAction.Pass;
        }
    }

    [Fact]
    public async Task The_program_runs_in_the_sending_socket_actor_and_no_verdict_actor_is_made()
    {
        var host = await SimulatedHost.CreateAsync(Sys);
        var (c1, p1) = await host.ConnectPairAsync("c1", "p1");
        var map = new SockMap("sock_map", 4);
        var prog = new WhereItRuns();
        var (ph, maps) = await host.LoadProgramAsync(prog, map);
        Assert.Equal(0, await host.AttachAsync(maps[0], ph));
        Assert.Equal(0, await host.MapUpdateAsync(maps[0], 0, c1));
        Assert.Equal(5, await host.SendMsgAsync(c1, "hello"u8.ToArray()));
        Assert.Equal(c1.Actor.Path, Assert.Single(prog.RanIn));
        Assert.Equal("hello"u8.ToArray(), (await host.RecvAsync(p1, 100)).Data);
        var probe = CreateTestProbe();
        Sys.ActorSelection(c1.Actor.Path / "verdict").Tell(new Identify(1), probe.Ref);
        Assert.Null(probe.ExpectMsg<ActorIdentity>().Subject);
    }
}
