using System.Diagnostics;
using System.Text;
using SockActors.Kernel.Conformance;
using SockActors.Model.Scenarios;
using Xunit;
using Xunit.Abstractions;

namespace SockActors.Kernel.Tests;

/// <summary>
/// Random scenarios (<see cref="RandomScenarioGenerator"/>, runaway-capable ones excluded) on the live kernel and on
/// the model. A scenario whose first kernel run differs is run <see cref="Attempts"/> times and judged by
/// <see cref="KernelVerdict"/>: the model must give the kernel's majority answer (bytes c1 held back with MSG_MORE
/// count as the kernel's other answer at the edge of p1's read window); a kernel that answered both ways is listed
/// as unstable with its counts. Catalogued divergences (<see cref="DivergenceCatalogue"/>) are listed, not failed.
/// </summary>
public sealed class RandomScenariosTests(ITestOutputHelper output)
{
    private const int Attempts = 3;

    /// <summary>Seed 3 is the set the model was fitted to: it guards against regressions, it is no evidence of fidelity.</summary>
    public const long RegressionSeed = 3;
    public const int RegressionCount = 300;

    /// <summary>Seed 8 was drawn and recorded during issue 11 (before its last model change, the stream-advance fix) and never used to fit the model (held out).</summary>
    public const long HeldOutSeed = 8;
    public const int HeldOutCount = 100;

    [KernelFact]
    public void Regression_the_fitting_set_seed_3_gives_the_kernels_majority_answer() => Check(RegressionSeed, RegressionCount);

    [KernelFact]
    public void Held_out_seed_8_never_used_to_fit_the_model_gives_the_kernels_majority_answer() => Check(HeldOutSeed, HeldOutCount);

    private void Check(long seed, int count)
    {
        var clock = Stopwatch.StartNew();
        var scenarios = new RandomScenarioGenerator(seed).Take(count).ToList();
        Assert.DoesNotContain(scenarios, s => s.Program.CanRunAwayOnKernel);
        using var runner = new KernelScenarioRunner();
        var report = new StringBuilder();
        int unstable = 0, catalogued = 0;
        foreach (var scenario in scenarios)
        {
            var c = KernelConformance.CompareOne(runner, scenario, ScenarioRunner.Run(scenario), Attempts);
            if (c.Note is not null) output.WriteLine($"{scenario.Name}: {c.Note}");
            if (c.Unstable) unstable++;
            if (c.Agrees) continue;
            if (c.Catalogued is not null)
            {
                catalogued++;
                output.WriteLine($"{scenario.Name}: catalogued: {c.Catalogued}");
                continue;
            }
            report.AppendLine($"{scenario.Name} ({c.Matching} of {c.Attempts} kernel runs match) {ScenarioJson.ScenarioLine(scenario)}");
            foreach (var d in c.Differences) report.AppendLine($"    {d.Field}: kernel {d.Expected}, model {d.Actual}");
        }
        output.WriteLine($"{count} random scenarios (seed {seed}) in {clock.Elapsed.TotalSeconds:0} s; {unstable} kernel-unstable, {catalogued} catalogued");
        if (report.Length > 0) output.WriteLine("disagreements:\n" + report);
        Assert.True(report.Length == 0, "the model does not give the kernel's majority answer:\n" + report);
    }
}
