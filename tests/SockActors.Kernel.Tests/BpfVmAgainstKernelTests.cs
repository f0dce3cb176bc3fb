using System.Text;
using SockActors.Kernel.Bpf;
using SockActors.Kernel.Conformance;
using SockActors.Model.Bpf;
using SockActors.Model.Scenarios;
using Xunit;
using Xunit.Abstractions;

namespace SockActors.Kernel.Tests;

/// <summary>
/// The same compiled object on both sides: bpf/sk_msg_scenario.bpf.c loaded into the live kernel and into the
/// simulation's BPF VM (ScenarioRunner with BpfScenarioProgramFactory), on every published scenario. Runaway-capable
/// scenarios are not run on the kernel; the VM must report the runaway. Judged as every kernel comparison is
/// (<see cref="KernelConformance.CompareOne"/>).
/// </summary>
public sealed class BpfVmAgainstKernelTests(ITestOutputHelper output)
{
    private const int Attempts = 3;

    [KernelFact]
    public void The_scenario_object_on_the_bpf_vm_agrees_with_the_same_object_in_the_live_kernel()
    {
        var vm = new BpfScenarioProgramFactory(ScenarioObjectCompiler.EnsureCompiled());
        var faults = new List<BpfFault>();
        vm.OnFault = faults.Add;
        using var runner = new KernelScenarioRunner();
        var report = new StringBuilder();
        foreach (var (scenario, _) in ObservedScenarios.Load())
        {
            var simulated = ScenarioRunner.Run(scenario, vm);
            if (scenario.Program.CanRunAwayOnKernel)
            {
                Assert.True(simulated.Runaway, $"{scenario.Name}: the VM-driven simulation should report a runaway");
                continue;
            }
            // The same judgement as every kernel comparison: the kernel's majority, with the probe-timer edge's other
            // answer for p1 accepted (TimingEdge; the VM-driven run names it like the C# one).
            var c = KernelConformance.CompareOne(runner, scenario, simulated, Attempts);
            if (c.Note is not null) output.WriteLine($"{scenario.Name}: {c.Note}");
            if (c.Agrees) continue;
            report.AppendLine($"{scenario.Name}: {c.Matching} of {c.Attempts} kernel runs give the VM's result");
            foreach (var d in c.Differences) report.AppendLine($"    {d.Field}: kernel {d.Expected}, VM {d.Actual}");
        }
        Assert.Empty(faults);
        Assert.True(report.Length == 0, "kernel and BPF VM disagree:\n" + report);
    }
}
