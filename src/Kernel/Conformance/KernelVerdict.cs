using SockActors.Model.Scenarios;

namespace SockActors.Kernel.Conformance;

/// <summary>
/// Judges a simulation result against one or more kernel runs of the same scenario. A kernel run matches when it has
/// no difference from the simulation (<see cref="ResultDiff"/>), or when its only difference is p1 getting the bytes
/// c1 held back with MSG_MORE, the kernel's other answer at the edge of p1's read window (<see cref="TimingEdge"/>).
/// The simulation agrees when a strict majority of the kernel runs match; where some runs match and some do not, the
/// kernel is unstable on the scenario and the comparison says so with the counts. The simulation giving the kernel's
/// minority answer is a failure.
/// </summary>
public static class KernelVerdict
{
    public static bool Matches(Scenario s, ScenarioResult kernel, ScenarioResult sim) => TimingEdge.Matches(s, kernel, sim);

    public static ScenarioComparison Judge(Scenario s, IReadOnlyList<ScenarioResult> kernelRuns, ScenarioResult sim, bool ran)
    {
        int matching = kernelRuns.Count(k => Matches(s, k, sim));
        int n = kernelRuns.Count;
        bool majority = 2 * matching > n;
        // The reported kernel result: a matching run when the majority matches, else the first that does not.
        var shown = majority ? kernelRuns.First(k => Matches(s, k, sim)) : kernelRuns.First(k => !Matches(s, k, sim));
        var diffs = ResultDiff.Compare(s, shown, sim);
        string? unstable = matching > 0 && matching < n
            ? $"kernel unstable: {matching} of {n} kernel runs match the simulation, {n - matching} differ"
            : null;
        string? timing = diffs.Count > 0 && TimingEdge.Explains(diffs, shown, sim, !s.Program.ContentIsUndefined) ? TimingEdge.Describe(sim) : null;
        if (majority)
            return new ScenarioComparison(s, shown, sim, [], ran) { Attempts = n, Matching = matching, Note = timing ?? unstable };
        return new ScenarioComparison(s, shown, sim, diffs, ran)
        {
            Attempts = n,
            Matching = matching,
            Note = unstable,
            Catalogued = DivergenceCatalogue.Explain(s),
        };
    }
}
