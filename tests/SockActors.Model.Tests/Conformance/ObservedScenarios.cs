using SockActors.Model.Scenarios;

namespace SockActors.Model.Tests.Conformance;

/// <summary>The 57 scenarios observed on a live Linux 6.18 kernel (conformance/observed-linux-6.18.jsonl).</summary>
public static class ObservedScenarios
{
    public static string FilePath => Path.Combine(AppContext.BaseDirectory, "conformance", "observed-linux-6.18.jsonl");

    public static IReadOnlyList<(Scenario Scenario, ScenarioResult Result)> All { get; } =
        File.ReadLines(FilePath).Where(l => l.Trim().Length > 0).Select(l =>
        {
            var (s, r, _) = ScenarioJson.ParseObserved(l);
            return (s, r);
        }).ToList();

    public static IEnumerable<object[]> Names => All.Select(x => new object[] { x.Scenario.Name });

    public static (Scenario Scenario, ScenarioResult Result) Get(string name) => All.Single(x => x.Scenario.Name == name);
}
