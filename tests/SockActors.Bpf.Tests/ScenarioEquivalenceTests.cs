using SockActors.Model.Bpf;
using SockActors.Model.Scenarios;

namespace SockActors.Bpf.Tests;

/// <summary>
/// The C# scenario program and the compiled BPF object must give identical results (FNV included) on every conformance
/// scenario and 1,000 random ones.
/// </summary>
public class ScenarioEquivalenceTests
{
    public static IEnumerable<Scenario> AllScenarios()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "conformance", "observed-linux-6.18.jsonl");
        foreach (var line in File.ReadLines(path).Where(l => l.Trim().Length > 0))
            yield return ScenarioJson.ParseObserved(line).Scenario;
        foreach (var s in new RandomScenarioGenerator(7) { ExcludeKernelRunaway = false }.Take(1000))
            yield return s;
    }

    [ClangFact]
    public void CSharpAndBpfProgramsAgree()
    {
        var factory = new BpfScenarioProgramFactory(Clang.ScenarioObject);
        var faults = new List<BpfFault>();
        factory.OnFault = faults.Add;
        var failures = new List<string>();
        foreach (var s in AllScenarios())
        {
            var expected = ScenarioRunner.Run(s);
            var actual = ScenarioRunner.Run(s, factory);
            var diff = ResultDiff.Compare(s, expected, actual);
            // Compare skips checksums where the kernel's bytes are undefined; the two simulations must agree anyway.
            if (!expected.Runaway && (expected.P1.Fnv != actual.P1.Fnv || expected.C2.Fnv != actual.C2.Fnv || expected.P2.Fnv != actual.P2.Fnv))
                failures.Add($"{s.Name}: fnv differs");
            if (diff.Count > 0)
                failures.Add($"{s.Name}: " + string.Join("; ", diff.Take(5).Select(d => $"{d.Field}: {d.Expected} vs {d.Actual}")));
        }
        Assert.Empty(faults);
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }
}
