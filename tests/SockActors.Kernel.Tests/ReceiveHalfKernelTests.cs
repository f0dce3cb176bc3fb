using System.Text;
using SockActors.Kernel.Conformance;
using SockActors.Model.Scenarios;
using Xunit;
using Xunit.Abstractions;

namespace SockActors.Kernel.Tests;

/// <summary>
/// The receive half on the live kernel: the recorded SK_SKB / SOCK_OPS scenarios (conformance/observed-receive-linux-6.18.jsonl)
/// run again here and must give the recorded result as the kernel's majority answer (none of them has a timing edge:
/// one sender, small sends, no egress redirect with more than one send), and the driver leaves no cgroup behind.
/// </summary>
public sealed class ReceiveHalfKernelTests(ITestOutputHelper output)
{
    private const int Attempts = 3;

    private static IReadOnlyList<(Scenario Scenario, ScenarioResult Result)> Recorded() =>
        File.ReadLines(Path.Combine(AppContext.BaseDirectory, "conformance", "observed-receive-linux-6.18.jsonl"))
            .Where(l => l.Trim().Length > 0).Select(l => ScenarioJson.ParseObserved(l)).Select(o => (o.Scenario, o.Result)).ToList();

    [KernelFact]
    public void Every_recorded_receive_half_scenario_reproduces_on_the_live_kernel_as_its_majority_answer()
    {
        var recorded = Recorded();
        Assert.True(recorded.Count >= 20, $"{recorded.Count} recorded receive-half scenarios");
        using var runner = new KernelScenarioRunner();
        var report = new StringBuilder();
        foreach (var (scenario, expected) in recorded)
        {
            var c = KernelConformance.CompareOne(runner, scenario, expected, Attempts);
            if (c.Note is not null) output.WriteLine($"{scenario.Name}: {c.Note}");
            if (c.Agrees) continue;
            report.AppendLine($"{scenario.Name}: {c.Matching} of {c.Attempts} kernel runs give the recorded result");
            foreach (var d in c.Differences) report.AppendLine($"    {d.Field}: kernel gave {d.Expected}, recorded {d.Actual}");
        }
        Assert.True(report.Length == 0, "kernel results differ from the recorded receive half:\n" + report);
    }

    [KernelFact]
    public void A_sockops_scenario_fills_the_map_on_the_kernel_and_removes_its_cgroup()
    {
        var scenario = ScenarioJson.ParseScenario(
            """{"name":"sockops-check","program":{"action":"redirect","ingress":true},"sends":[64],"sockops":true,"skb":{"parser":"len","verdict":"pass"}}""");
        using var runner = new KernelScenarioRunner(new KernelRunnerOptions { Guarded = false });
        var result = runner.Run(scenario);
        Assert.Equal(new SockOpsTrace(Active: 2, Passive: 2, Updates: 3, UpdateErrors: 0), result.SockOps);
        Assert.Equal(64, result.P2.Bytes);
        string mount = File.ReadLines("/proc/self/mounts").Select(l => l.Split(' ')).First(f => f[2] == "cgroup2")[1];
        string own = File.ReadLines("/proc/self/cgroup").First(l => l.StartsWith("0::", StringComparison.Ordinal))[3..];
        string home = Path.Combine(mount, own.TrimStart('/'));
        Assert.Empty(Directory.GetDirectories(home, $"sockactors-sockops-{Environment.ProcessId}-*"));
        Assert.Equal(own, File.ReadLines("/proc/self/cgroup").First(l => l.StartsWith("0::", StringComparison.Ordinal))[3..]);
    }
}
