using System.Text;
using SockActors.Model.Scenarios;
using Xunit;
using Xunit.Abstractions;

namespace SockActors.Kernel.Tests;

/// <summary>Validates the driver: every published scenario, run on this kernel, gives the published result in every
/// field the contract compares (runaway-capable scenarios are refused, never run).</summary>
public sealed class PublishedObservationsTests(ITestOutputHelper output)
{
    [KernelFact]
    public void Every_published_scenario_reproduces_on_the_live_kernel()
    {
        var observed = ObservedScenarios.Load();
        Assert.Equal(57, observed.Count);
        using var runner = new KernelScenarioRunner();
        var report = new StringBuilder();
        int ran = 0, refused = 0;
        foreach (var (scenario, expected) in observed)
        {
            if (scenario.Program.CanRunAwayOnKernel)
            {
                Assert.True(runner.Run(scenario).Runaway);
                refused++;
                continue;
            }
            var actual = runner.Run(scenario);
            ran++;
            foreach (var d in ResultDiff.Compare(scenario, expected, actual))
                report.AppendLine($"{scenario.Name}: {d.Field} expected {d.Expected}, kernel gave {d.Actual}");
        }
        output.WriteLine($"{ran} scenarios ran on the kernel, {refused} refused as runaway-capable");
        Assert.True(report.Length == 0, "kernel results differ from the published observations:\n" + report);
    }
}
