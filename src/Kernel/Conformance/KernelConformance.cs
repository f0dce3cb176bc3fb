using SockActors.Model.Scenarios;

namespace SockActors.Kernel.Conformance;

/// <summary>
/// The library API behind `sockactors conformance --kernel` and `conformance record`: runs scenarios on the live kernel
/// (guarded, see <see cref="KernelRunnerOptions"/>) and on a simulation delegate and reports field differences with
/// <see cref="ResultDiff"/>, or writes observed lines for the running kernel. Where the kernel cannot run scenarios the
/// reports carry a skip reason instead of throwing.
/// </summary>
public static class KernelConformance
{
    /// <summary>Runs every scenario on the kernel (expected side) and on <paramref name="simulate"/> (actual side).
    /// Where they differ the kernel runs the scenario again, up to <paramref name="attempts"/> runs in all (a few kernel
    /// results depend on timing at the edge of the 200 ms read windows); the last kernel result is kept.</summary>
    public static ConformanceReport Compare(
        IEnumerable<Scenario> scenarios,
        Func<Scenario, ScenarioResult> simulate,
        KernelRunnerOptions? options = null,
        Action<ScenarioComparison>? progress = null,
        int attempts = 1)
    {
        string kernel = KernelIdentity.Describe();
        var (available, reason) = KernelSupport.Probe(options?.ObjectPath);
        if (!available) return new ConformanceReport(false, reason, kernel, []);
        var list = new List<ScenarioComparison>();
        using var runner = new KernelScenarioRunner(options);
        foreach (var s in scenarios)
        {
            bool ran = !s.Program.CanRunAwayOnKernel;
            var sim = simulate(s);
            var k = runner.Run(s);
            var diffs = ResultDiff.Compare(s, k, sim);
            int used = 1;
            while (diffs.Count > 0 && ran && used < attempts)
            {
                used++;
                k = runner.Run(s);
                diffs = ResultDiff.Compare(s, k, sim);
            }
            var c = new ScenarioComparison(s, k, sim, diffs, ran) { Attempts = used, Catalogued = diffs.Count > 0 ? DivergenceCatalogue.Explain(s) : null };
            list.Add(c);
            progress?.Invoke(c);
        }
        return new ConformanceReport(true, null, kernel, list);
    }

    /// <summary>Runs every scenario on the kernel and writes one observed line per scenario to <paramref name="output"/>
    /// ({"name","scenario","kernel","result"}, the format of conformance/observed-*.jsonl). Runaway-capable scenarios are
    /// refused and listed, not written; a scenario the guard had to kill is written as {"runaway": true}.</summary>
    public static RecordReport Record(
        IEnumerable<Scenario> scenarios,
        TextWriter output,
        KernelRunnerOptions? options = null,
        Action<Scenario, ScenarioResult>? progress = null)
    {
        string kernel = KernelIdentity.Describe();
        var (available, reason) = KernelSupport.Probe(options?.ObjectPath);
        if (!available) return new RecordReport(false, reason, kernel, 0, []);
        var refused = new List<string>();
        int written = 0;
        using var runner = new KernelScenarioRunner(options);
        foreach (var s in scenarios)
        {
            if (s.Program.CanRunAwayOnKernel)
            {
                refused.Add(s.Name);
                continue;
            }
            var r = runner.Run(s);
            output.WriteLine(ScenarioJson.ObservedLine(s, kernel, r));
            output.Flush();
            written++;
            progress?.Invoke(s, r);
        }
        return new RecordReport(true, null, kernel, written, refused);
    }
}
