using System.Text.Json;
using SockActors.Model.Scenarios;

namespace SockActors.Model.Tests.Conformance;

/// <summary>
/// Re-judges the issue-11 campaign's recorded kernel answers (conformance/campaign-families-20261203-linux-6.18.jsonl)
/// for family 2: the scenarios where the kernel's p2 read more than the model's. A campaign line keeps the kernel's
/// value of each field that differed, and each of these was run 3 more times on the kernel with the same answer
/// (campaign-families-20261203-rechecks-linux-6.18.jsonl). The model must now give the kernel's value.
/// </summary>
public class CampaignFamily2Tests
{
    private static string Dir => Path.Combine(AppContext.BaseDirectory, "conformance");

    private sealed record CampaignDiff(Scenario Scenario, IReadOnlyDictionary<string, string> Kernel);

    /// <summary>The campaign's DIFF lines that redirect to ingress with an apply window and differ only at p2.</summary>
    private static IReadOnlyList<CampaignDiff> Family2 { get; } = File.ReadLines(Path.Combine(Dir, "campaign-families-20261203-linux-6.18.jsonl"))
        .Where(l => l.Trim().Length > 0)
        .Select(l => JsonDocument.Parse(l).RootElement)
        .Where(e => e.GetProperty("status").GetString() == "DIFF")
        .Select(e => new CampaignDiff(
            ScenarioJson.ParseScenario(e.GetProperty("scenario")),
            e.GetProperty("differences").EnumerateArray().ToDictionary(
                d => d.GetProperty("field").GetString()!, d => d.GetProperty("kernel").GetString()!)))
        .Where(d => d.Scenario.Program is { Action: ScenarioAction.Redirect, Ingress: true, Apply: > 0 }
                    && d.Kernel.Keys.All(f => f.StartsWith("p2.", StringComparison.Ordinal)))
        .ToList();

    [Fact]
    public void The_campaign_holds_the_46_family_2_disagreements_44_with_a_pop_and_2_with_a_push()
    {
        Assert.Equal(46, Family2.Count);
        Assert.Equal(44, Family2.Count(d => d.Scenario.Program.PopLen > 0));
        Assert.Equal(2, Family2.Count(d => d.Scenario.Program.PushLen > 0));
    }

    [Fact]
    public void Ingress_reads_through_end_marked_entries_and_give_the_kernels_p2_in_every_family_2_campaign_line()
    {
        var failures = new List<string>();
        foreach (var (scenario, kernel) in Family2)
        {
            var p2 = ScenarioRunner.Run(scenario).P2;
            if (kernel.TryGetValue("p2.bytes", out var bytes) && bytes != p2.Bytes.ToString())
                failures.Add($"{scenario.Name}: p2.bytes kernel {bytes}, model {p2.Bytes}");
            if (kernel.TryGetValue("p2.fnv", out var fnv) && fnv != p2.Fnv)
                failures.Add($"{scenario.Name}: p2.fnv kernel {fnv}, model {p2.Fnv}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
