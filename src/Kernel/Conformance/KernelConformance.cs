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
    /// A scenario whose first kernel run differs is run again, <paramref name="attempts"/> kernel runs in all (at least
    /// 3 when it is more than 1), and judged by <see cref="KernelVerdict.Judge"/>: the simulation must give the kernel's
    /// majority answer; a kernel that answered both ways is reported unstable with its counts.
    /// <paramref name="skip"/> leaves out scenarios already done (a resumed campaign).</summary>
    public static ConformanceReport Compare(
        IEnumerable<Scenario> scenarios,
        Func<Scenario, ScenarioResult> simulate,
        KernelRunnerOptions? options = null,
        Action<ScenarioComparison>? progress = null,
        int attempts = 1,
        Func<Scenario, bool>? skip = null)
    {
        string kernel = KernelIdentity.Describe();
        var (available, reason) = KernelSupport.Probe(options?.ObjectPath);
        if (!available) return new ConformanceReport(false, reason, kernel, []);
        var list = new List<ScenarioComparison>();
        using var runner = new KernelScenarioRunner(options);
        foreach (var s in scenarios)
        {
            if (skip?.Invoke(s) == true) continue;
            ScenarioResult sim;
            try
            {
                sim = simulate(s);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A simulator failure is a difference of this scenario, not the end of the campaign; the kernel is
                // not run (the scenario may be one the simulation refuses for a reason, e.g. a send that would block forever).
                var failed = new ScenarioComparison(s, new ScenarioResult(), new ScenarioResult { Diagnostic = e.Message },
                    [new FieldDifference("simulation", "a result", $"{e.GetType().Name}: {e.Message}")], KernelRan: false);
                list.Add(failed);
                progress?.Invoke(failed);
                continue;
            }
            var c = CompareOne(runner, s, sim, attempts);
            list.Add(c);
            progress?.Invoke(c);
        }
        return new ConformanceReport(true, null, kernel, list);
    }

    /// <summary>One scenario: a kernel run, and where it differs from <paramref name="sim"/>, more runs (see <see cref="Compare"/>).</summary>
    public static ScenarioComparison CompareOne(KernelScenarioRunner runner, Scenario s, ScenarioResult sim, int attempts)
    {
        bool ran = !s.Program.CanRunAwayOnKernel;
        var runs = new List<ScenarioResult> { runner.Run(s) };
        if (ran && attempts > 1 && !KernelVerdict.Matches(s, runs[0], sim))
            while (runs.Count < Math.Max(3, attempts)) runs.Add(runner.Run(s));
        return KernelVerdict.Judge(s, runs, sim, ran);
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
            output.WriteLine(ScenarioJson.ObservedLine(s, kernel, r, KernelIdentity.Release()));
            output.Flush();
            written++;
            progress?.Invoke(s, r);
        }
        return new RecordReport(true, null, kernel, written, refused);
    }
}
