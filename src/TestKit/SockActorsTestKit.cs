using Akka.TestKit;
using SockActors.Actors.Client;
using SockActors.Model.Programs;

namespace SockActors.TestKit;

/// <summary>
/// Base class of a SockActors test: an Akka.TestKit whose actor system runs with <see cref="SockActorsTestConfig"/>
/// (deterministic, serialize-messages on), shut down when the test class is disposed (xunit disposes each test's
/// instance; NUnit users call Dispose in a TearDown). It uses no test framework itself, so it runs under xunit 2 or 3
/// and NUnit alike. The helpers of <see cref="SimulatedHostTestExtensions"/> work on any host, so they serve
/// Akka.Hosting.TestKit tests as well.
/// </summary>
public abstract class SockActorsTestKit : TestKitBase, IDisposable
{
    /// <param name="extraHocon">HOCON whose keys win over the test defaults (e.g. <c>sockactors.interleaving-seed = 7</c>).</param>
    protected SockActorsTestKit(string extraHocon = "")
        : base(SockActorsAssertions.Instance, SockActorsTestConfig.Create(extraHocon), "sockactors-test")
    {
    }

    /// <summary>A new simulated kernel in this test's actor system (sockactors.programs loaded, if configured).</summary>
    protected Task<SimulatedHost> CreateHostAsync(string? profile = null, long seed = 0, long interleavingSeed = 0)
        => SimulatedHost.CreateAsync(Sys, profile, seed, interleavingSeed);

    /// <summary>A host with a C# SK_MSG program attached to a new sockmap ("sock_map") of <paramref name="maxEntries"/> slots.</summary>
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

    /// <summary>Shuts the actor system down.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Shuts the actor system down (override to release more, calling the base).</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing) Shutdown();
    }
}
