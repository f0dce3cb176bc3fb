using SockActors.Model.Scenarios;

namespace SockActors.Kernel.Tests;

/// <summary>The published observations (conformance/observed-linux-6.18.jsonl, copied next to the test assembly).</summary>
internal static class ObservedScenarios
{
    public static IReadOnlyList<(Scenario Scenario, ScenarioResult Result)> Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "conformance", "observed-linux-6.18.jsonl");
        return File.ReadLines(path).Where(l => l.Trim().Length > 0)
            .Select(l => ScenarioJson.ParseObserved(l)).Select(o => (o.Scenario, o.Result)).ToList();
    }
}
