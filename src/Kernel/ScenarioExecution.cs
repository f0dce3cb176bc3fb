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
        if (scenario.UsesReceiveHalf) return RunWithReceiveHalf(scenario, objectPath, quiet, sendTimeout, order);
        using var topology = LoopbackTopology.Create(sendTimeout);
        using var obj = ScenarioBpfObject.Load(objectPath);
        obj.WriteConfig(scenario.Program);
        obj.AttachToSockMap();
        obj.InsertSocket(SenderKey, topology.C1);
        obj.InsertSocket(TargetKey, topology.P2);
        var sends = SendOnFreshThread(topology.C1, scenario);
        var received = QuietReader.ReadUntilQuiet([topology.P1, topology.C2, topology.P2], quiet, order);
        var (total, runs) = obj.ReadTrace();
        return new ScenarioResult
        {
            Sends = sends, P1 = received[0], C2 = received[1], P2 = received[2], Runs = runs, RunsTotal = total,
        };
    }

    /// <summary>
    /// A receive-half scenario (conformance/CONTRACT.md, "The receive half"): the SK_MSG object as above; the receive
    /// half's object over the same sock_map with its parser and verdict attached; with "sockops" a cgroup with the
    /// SOCK_OPS program that this process joins while it makes the listeners and connections (the program then inserts
    /// c1, p2 and p1 as they establish); without it the harness inserts c1 at 0, p2 at 1 and p1 at 2.
    /// </summary>
    private static ScenarioResult RunWithReceiveHalf(Scenario scenario, string objectPath, TimeSpan quiet, TimeSpan sendTimeout, ReadOrder order)
    {
        var skb = scenario.Skb;
        if (scenario.BouncesForEver)
            throw new KernelDriverException($"{scenario.Name}: the skb redirect to the egress of key {skb!.RedirectKey} sends bytes round the two halves for ever; not run");
        using var obj = ScenarioBpfObject.Load(objectPath);
        obj.WriteConfig(scenario.Program);
        obj.AttachToSockMap();
        using var rx = ReceiveHalfBpfObject.Load(ScenarioObjectCompiler.EnsureReceiveHalfCompiled(), obj.SockMapFd);
        if (skb is not null) rx.AttachToSockMap(skb);
        using var cgroup = scenario.SockOps ? SockOpsCgroup.Create() : null;
        cgroup?.AttachSockOps(rx.SockOpsFd);
        uint p1Key = skb is null ? ReceiveHalfPrograms.NoKey : ReceiveHalfSpec.P1Key;
        uint[] opsKeys = scenario.SockOps ? [SenderKey, p1Key, ReceiveHalfPrograms.NoKey, TargetKey] : [.. Enumerable.Repeat(ReceiveHalfPrograms.NoKey, 4)];
        LoopbackTopology topology;
        cgroup?.Enter();
        try
        {
            topology = LoopbackTopology.Create(sendTimeout, (port1, port2) => rx.WriteConfig(skb ?? new ReceiveHalfSpec(), port1, port2, opsKeys));
        }
        finally
        {
            cgroup?.Leave();
        }
        using (topology)
        {
            if (!scenario.SockOps)
            {
                obj.InsertSocket(SenderKey, topology.C1);
                obj.InsertSocket(TargetKey, topology.P2);
                if (skb is not null) obj.InsertSocket(ReceiveHalfSpec.P1Key, topology.P1);
            }
            var sends = SendOnFreshThread(topology.C1, scenario);
            var received = QuietReader.ReadUntilQuiet([topology.P1, topology.C2, topology.P2], quiet, order);
            var (total, runs) = obj.ReadTrace();
            var (skbTrace, opsTrace) = rx.ReadTrace();
            return new ScenarioResult
            {
                Sends = sends, P1 = received[0], C2 = received[1], P2 = received[2], Runs = runs, RunsTotal = total,
                Skb = skb is null ? null : skbTrace, SockOps = scenario.SockOps ? opsTrace : null,
            };
        }
    }

    /// <summary>
    /// Makes the sends on a new OS thread. The kernel copies sendmsg data into the sending task's page frag
    /// (current-&gt;task_frag, sk_page_frag), so where a scenario's first message starts inside a page, and therefore
    /// the sizes of its first runs, depends on what the same thread sent before and on whether those pages were freed
    /// yet (random-2-38 gave runs[0].len 20937 in one run and 32768 in another). A new task starts with an empty
    /// task_frag, so every scenario starts on a fresh page, as the published recording (one process per scenario) did.
    /// </summary>
    private static List<SendOutcome> SendOnFreshThread(int fd, Scenario scenario)
    {
        List<SendOutcome>? sends = null;
        System.Runtime.ExceptionServices.ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var sender = new StreamSender(fd, scenario);
                sends = sender.SendAll();
            }
            catch (Exception e)
            {
                failure = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
            }
        }, maxStackSize: 256 * 1024) { IsBackground = true, Name = $"kernel-sends-{scenario.Name}" };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return sends!;
    }
}
