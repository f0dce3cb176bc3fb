using System.Buffers.Binary;
using Akka.TestKit.Xunit2;
using SockActors.Actors.Client;
using SockActors.Actors.Protocol;
using SockActors.Model.Scenarios;

namespace SockActors.Actors.Tests;

/// <summary>
/// Programs loaded by reference (a name registered on the node, or a BPF object's bytes) through messages alone: the
/// program's actor owns its data maps, which user space reads and writes through it, and counts its runs.
/// </summary>
public sealed class ProgramActorTests() : TestKit(TestConfig.Create())
{
    private static uint[] Words(ProgramSpec spec) => spec.ToConfigWords();

    private async Task<(SimulatedHost Host, SocketHandle C1, SocketHandle P1, ProgramLoaded Prog, int MapId)> Load(ProgramReference reference, ProgramSpec spec)
    {
        var host = await SimulatedHost.CreateAsync(Sys);
        var (c1, p1) = await host.ConnectPairAsync("c1", "p1");
        var prog = await host.Ask<ProgramLoaded>(new LoadProgramReference(reference));
        var sockMap = Assert.Single(prog.Maps!, m => m.Name == "sock_map");
        Assert.NotEqual(0, sockMap.MapId);
        Assert.Equal(0, (await host.Ask<MapResult>(new AttachProgram(sockMap.MapId, prog.ProgId))).Rc);
        Assert.Equal(0, (await host.Ask<ProgramResult>(new ConfigureScenarioProgram(prog.ProgId, Words(spec)))).Rc);
        Assert.Equal(0, (await host.Ask<MapResult>(new MapUpdate(sockMap.MapId, 0, c1.Id, 0))).Rc);
        return (host, c1, p1, prog, sockMap.MapId);
    }

    [Fact]
    public async Task A_registered_program_loads_by_name_and_its_actor_counts_runs_and_reads_its_trace()
    {
        var (host, c1, p1, prog, _) = await Load(new ProgramReference(Model.Programs.ProgramSource.ScenarioProgramName), new ProgramSpec { Apply = 4 });
        Assert.Equal(10, await host.SendMsgAsync(c1, new byte[10]));
        Assert.Equal(10, (await host.DrainAsync(p1)).Bytes);
        var info = await host.Ask<ProgramInfo>(new GetProgramStats(prog.ProgId));
        Assert.Equal(3, info.Runs);
        var trace = await host.Ask<ScenarioTrace>(new ReadScenarioTrace(prog.ProgId));
        Assert.Equal(3, trace.Total);
        Assert.Equal(new uint[] { 10, 6, 2 }, trace.Runs.Select(r => r.Size));
    }

    [Fact]
    public async Task An_unknown_program_name_is_refused_with_the_names_that_exist()
    {
        var host = await SimulatedHost.CreateAsync(Sys);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => host.Ask<ProgramLoaded>(new LoadProgramReference(new ProgramReference("nope"))));
        Assert.Contains("no program 'nope'", e.Message);
        Assert.Contains("sk_msg_scenario", e.Message);
        var bad = await Assert.ThrowsAsync<InvalidOperationException>(() => host.Ask<ProgramLoaded>(new LoadProgramReference(new ProgramReference("x.o", [1, 2, 3]))));
        Assert.Contains("BPF object x.o", bad.Message);
    }

    [ClangFact]
    public async Task A_BPF_object_loads_from_its_bytes_and_user_space_reconfigures_it_through_its_program_actor()
    {
        var image = await File.ReadAllBytesAsync(BpfObjects.ScenarioObject);
        var (host, c1, p1, prog, _) = await Load(new ProgramReference("sk_msg_scenario.o", image), new ProgramSpec { Action = ScenarioAction.Drop });
        Assert.Contains(prog.Maps!, m => m.Name == "cfg_map" && m.MapId == 0);
        var key = new byte[4];

        // cfg_map[0] holds what ConfigureScenarioProgram wrote: action 1 (drop).
        var cfg = await host.Ask<ProgramMapValue>(new ProgramMapLookup(prog.ProgId, "cfg_map", key));
        Assert.Equal(0, cfg.Rc);
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(cfg.Value));
        Assert.Equal(-Model.Errno.EACCES, await host.SendMsgAsync(c1, new byte[10]));

        // An operator rewrites the running program's configuration: action 0 (pass). The verdict is sticky for c1's
        // psock (a cached DROP), so a fresh socket shows the change.
        var (c3, p3) = await host.ConnectPairAsync("c3", "p3");
        var map = prog.Maps!.Single(m => m.Name == "sock_map").MapId;
        Assert.Equal(0, (await host.Ask<MapResult>(new MapUpdate(map, 2, c3.Id, 0))).Rc);
        var pass = cfg.Value.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(pass, 0);
        Assert.Equal(0, (await host.Ask<ProgramResult>(new ProgramMapUpdate(prog.ProgId, "cfg_map", key, pass))).Rc);
        Assert.Equal(10, await host.SendMsgAsync(c3, new byte[10]));
        Assert.Equal(10, (await host.DrainAsync(p3)).Bytes);

        var trace = await host.Ask<ProgramMapValue>(new ProgramMapLookup(prog.ProgId, "trace_map", key));
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(trace.Value));
        Assert.Equal(2, (await host.Ask<ProgramInfo>(new GetProgramStats(prog.ProgId))).Runs);
        // Socket maps are not data maps of the program: their actor owns them.
        Assert.Equal(-Model.Errno.ENOENT, (await host.Ask<ProgramMapValue>(new ProgramMapLookup(prog.ProgId, "sock_map", key))).Rc);
        Assert.Equal(-Model.Errno.EINVAL, (await host.Ask<ProgramResult>(new ProgramMapUpdate(prog.ProgId, "cfg_map", [1], pass))).Rc);
        _ = p1;
    }
}
