using SockActors.Model.Scenarios;

namespace SockActors.Model.Tests.Conformance;

/// <summary>
/// 2,150 random scenarios (RandomScenarioGenerator seeds 1 to 8; seed 8 recorded during issue 11, never used to fit the model) and 20 edge cases (megabyte sends, a cork larger than
/// the 17-element ring, zero-length sends, redirects to the sender itself) recorded on the live Linux 6.18 kernel of
/// this project's machines. They go beyond the published 57, so they check that the model encodes the rules rather
/// than the lines.
/// </summary>
public class RecordedRandomKernelConformanceTests
{
    private static string Dir => Path.Combine(AppContext.BaseDirectory, "conformance");

    private static IReadOnlyDictionary<string, string> Unstable { get; } =
        File.ReadLines(Path.Combine(Dir, "unstable-on-kernel.txt"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('\t', 2))
            .ToDictionary(p => p[0], p => p[1]);

    private static IReadOnlyList<(Scenario Scenario, ScenarioResult Result)> Load(string file) =>
        File.ReadLines(Path.Combine(Dir, file))
            .Where(l => l.Trim().Length > 0)
            .Select(l => { var (s, r, _) = ScenarioJson.ParseObserved(l); return (s, r); })
            .ToList();

    private static IReadOnlyList<(Scenario Scenario, ScenarioResult Result)> Recorded { get; } =
        Load("observed-random-linux-6.18.jsonl").Concat(Load("observed-edge-linux-6.18.jsonl")).ToList();

    [Fact]
    public void The_recorded_scenarios_are_present_and_only_a_few_are_marked_unstable()
    {
        Assert.Equal(2170, Recorded.Count);
        Assert.True(Unstable.Count <= 3, $"{Unstable.Count} unstable scenarios listed; each needs evidence from two kernel runs");
        Assert.All(Unstable.Keys, name => Assert.Contains(Recorded, r => r.Scenario.Name == name));
    }

    [Fact]
    public void Model_agrees_with_every_stable_recorded_kernel_scenario()
    {
        var failures = new List<string>();
        foreach (var (scenario, expected) in Recorded)
        {
            if (Unstable.ContainsKey(scenario.Name)) continue;
            var actual = ScenarioRunner.Run(scenario);
            // A recorded p1 that is the kernel's other answer at the probe-timer edge (the bytes c1 held back with
            // MSG_MORE reached p1 in time) matches too (TimingEdge; e.g. random-8-16).
            if (TimingEdge.Matches(scenario, expected, actual)) continue;
            var diff = ResultDiff.Compare(scenario, expected, actual);
            if (diff.Count > 0)
                failures.Add($"{ScenarioJson.ScenarioLine(scenario)}\n    " +
                             string.Join("\n    ", diff.Take(5).Select(d => $"{d.Field}: kernel {d.Expected}, model {d.Actual}")));
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {Recorded.Count} differ:\n" + string.Join("\n", failures.Take(10)));
    }

    [Fact]
    public void Each_unstable_scenario_gives_one_of_the_answers_the_kernel_gave()
    {
        // The recorded line holds the first of the kernel's two answers; the reason names both. The model's must be one.
        foreach (var (scenario, expected) in Recorded.Where(r => Unstable.ContainsKey(r.Scenario.Name)))
        {
            var actual = ScenarioRunner.Run(scenario);
            var diff = ResultDiff.Compare(scenario, expected, actual);
            // A receiver's checksum differs whenever its byte count does; the count is what the reason names.
            foreach (var d in diff.Where(d => !(d.Field.EndsWith(".fnv") && diff.Any(b => b.Field == d.Field.Replace(".fnv", ".bytes")))))
            {
                Assert.StartsWith(d.Field + " ", Unstable[scenario.Name]);
                Assert.Matches($@"\b{d.Actual}\b in (one|the other)", Unstable[scenario.Name]);
            }
        }
    }
}
