using Akka.Actor;
using SockActors.Actors.Client;

namespace SockActors.Actors.Tests;

/// <summary>sockactors.programs: a BPF object file per map, loaded from HOCON into every kernel SimulatedHost makes.</summary>
public sealed class ConfiguredProgramTests
{
    private static ActorSystem System(string programs) =>
        ActorSystem.Create("configured", TestConfig.Create($"sockactors.programs {{ {programs} }}"));

    [ClangFact]
    public async Task A_program_named_in_hocon_is_attached_to_its_map_and_runs_on_every_send()
    {
        using var system = System($"sock_map = \"{BpfObjects.ScenarioObject}\"");
        var host = await SimulatedHost.CreateAsync(system);
        var map = host.Map("sock_map");
        var (c1, p1) = await host.ConnectPairAsync("c1", "p1");
        Assert.Equal(0, await host.MapUpdateAsync(map, 0, c1));

        Assert.Equal(100, await host.SendMsgAsync(c1, new byte[100]));
        Assert.Equal(50, await host.SendMsgAsync(c1, new byte[50]));

        Assert.Equal(150, (await host.DrainAsync(p1)).Bytes);
        // trace_map[0].n: the object's own program counted its runs (cfg_map is all zero: action pass).
        var trace = host.ObjectFor("sock_map").GetMap("trace_map");
        Assert.True(trace.TryLookupValue(new byte[4], out var value));
        Assert.Equal(2u, BitConverter.ToUInt32(value.AsSpan(0, 4)));
    }

    [Fact]
    public async Task A_missing_object_file_is_an_error_naming_the_map_and_the_file()
    {
        using var system = System("sock_map = \"/nonexistent/prog.o\"");
        var e = await Assert.ThrowsAsync<ConfiguredProgramException>(() => SimulatedHost.CreateAsync(system));
        Assert.Contains("sockactors.programs.sock_map", e.Message);
        Assert.Contains("/nonexistent/prog.o", e.Message);
    }

    [ClangFact]
    public async Task An_object_without_the_named_map_is_an_error_listing_its_maps()
    {
        using var system = System($"other_map = \"{BpfObjects.ScenarioObject}\"");
        var e = await Assert.ThrowsAsync<ConfiguredProgramException>(() => SimulatedHost.CreateAsync(system));
        Assert.Contains("no SOCKMAP or SOCKHASH named 'other_map'", e.Message);
        Assert.Contains("sock_map", e.Message);
    }
}
