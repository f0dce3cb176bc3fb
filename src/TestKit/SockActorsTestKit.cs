using Akka.Actor;
using Akka.TestKit;
using SockActors.Actors.Client;
using SockActors.Model.Programs;
using Xunit.Abstractions;

namespace SockActors.TestKit;

/// <summary>
/// Base class of an xunit test of SockActors: an Akka.TestKit whose actor system runs with
/// <see cref="SockActorsTestConfig"/> (deterministic, serialize-messages on). The helpers of
/// <see cref="SimulatedHostTestExtensions"/> work on any host, so they serve Akka.Hosting.TestKit tests as well.
/// </summary>
public abstract class SockActorsTestKit : Akka.TestKit.Xunit2.TestKit
{
    /// <param name="extraHocon">HOCON whose keys win over the test defaults (e.g. <c>sockactors.interleaving-seed = 7</c>).</param>
    /// <param name="output">xunit's output helper, to see the actor system's log in the test output.</param>
    protected SockActorsTestKit(string extraHocon = "", ITestOutputHelper? output = null)
        : base(SockActorsTestConfig.Create(extraHocon), "sockactors-test", output)
    {
    }

    /// <summary>A new simulated kernel in this test's actor system (sockactors.programs loaded, if configured).</summary>
    protected Task<SimulatedHost> CreateHostAsync(string? profile = null, long seed = 0, long interleavingSeed = 0)
        => SimulatedHost.CreateAsync(Sys, profile, seed, interleavingSeed);

    /// <summary>A host with a C# SK_MSG program attached to a new sockmap of <paramref name="maxEntries"/> slots.</summary>
    protected async Task<(SimulatedHost Host, MapHandle Map)> CreateHostWithProgramAsync(ISkMsgProgram program, uint maxEntries = 8)
    {
        var host = await CreateHostAsync();
        var map = await host.CreateSockMapAsync("sock_map", maxEntries);
        await host.AttachProgramAsync(program, map);
        return (host, map);
    }

    /// <summary>A probe subscribed to <paramref name="host"/>'s verdict events (ProgramRunEvent, one per program run);
    /// read them with <see cref="TestProbeVerdictExtensions.ExpectVerdict"/>.</summary>
    protected async Task<TestProbe> SubscribeVerdictsAsync(SimulatedHost host)
    {
        var probe = CreateTestProbe();
        await host.SubscribeVerdictsAsync(probe.Ref);
        return probe;
    }
}
