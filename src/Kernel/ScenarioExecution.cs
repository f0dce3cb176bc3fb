using SockActors.Kernel.Bpf;
using SockActors.Model.Scenarios;

namespace SockActors.Kernel;

/// <summary>
/// One scenario on the live kernel, in this process, exactly in the contract's order: topology, object with cfg_map
/// filled and the program attached, then c1 at sock_map[0] and p2 at sock_map[1], the sends, the quiet reads of
/// p1, c2, p2, the trace, and everything closed.
/// </summary>
internal static class ScenarioExecution
{
    public const uint SenderKey = 0;
    public const uint TargetKey = 1;

    public static ScenarioResult Run(Scenario scenario, string objectPath, TimeSpan quiet, TimeSpan sendTimeout, ReadOrder order)
    {
        if (scenario.Program.CanRunAwayOnKernel) return KernelScenarioRunner.Refusal(scenario);
        using var topology = LoopbackTopology.Create(sendTimeout);
        using var obj = ScenarioBpfObject.Load(objectPath);
        obj.WriteConfig(scenario.Program);
        obj.AttachToSockMap();
        obj.InsertSocket(SenderKey, topology.C1);
        obj.InsertSocket(TargetKey, topology.P2);
        List<SendOutcome> sends;
        using (var sender = new StreamSender(topology.C1, scenario)) sends = sender.SendAll();
        var received = QuietReader.ReadUntilQuiet([topology.P1, topology.C2, topology.P2], quiet, order);
        var (total, runs) = obj.ReadTrace();
        return new ScenarioResult
        {
            Sends = sends, P1 = received[0], C2 = received[1], P2 = received[2], Runs = runs, RunsTotal = total,
        };
    }
}
