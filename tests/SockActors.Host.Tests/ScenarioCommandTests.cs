using System.Text.Json;
using SockActors.Model.Scenarios;

namespace SockActors.Host.Tests;

public class ScenarioCommandTests
{
    private static string[] ObservedLines() =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "conformance", "observed-linux-6.18.jsonl"))
            .Where(l => l.Length > 0).ToArray();

    [Fact]
    public void Observed_lines_give_the_observed_results()
    {
        var lines = ObservedLines().Where(l => !l.Contains("\"runaway\"")).Take(6).ToArray();
        var run = HostRun.Invoke(["scenario"], string.Join('\n', lines));
        Assert.Equal(0, run.ExitCode);
        // Only kernel-defect warnings on stderr (sendm-drop-second trips the sticky drop), no errors.
        Assert.All(run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => Assert.Contains(": warning: ", l));
        var outLines = run.OutLines;
        Assert.Equal(lines.Length, outLines.Length);
        for (int i = 0; i < lines.Length; i++)
        {
            var (scenario, expected, _) = ScenarioJson.ParseObserved(lines[i]);
            using var actual = JsonDocument.Parse(outLines[i]);
            Assert.Equal(scenario.Name, actual.RootElement.GetProperty("name").GetString());
            var diffs = ResultDiff.Compare(scenario, expected, ScenarioJson.ParseResult(actual.RootElement.GetProperty("result")));
            Assert.True(diffs.Count == 0, string.Join("; ", diffs));
        }
    }

    [Fact]
    public void A_bare_scenario_runs_and_blank_lines_are_skipped()
    {
        var run = HostRun.Invoke(["scenario", "--engine", "model", "--profile", "linux-6.18"],
            "\n{\"name\": \"one\", \"sends\": [100]}\n   \n");
        Assert.Equal(0, run.ExitCode);
        var line = Assert.Single(run.OutLines);
        using var doc = JsonDocument.Parse(line);
        Assert.Equal("one", doc.RootElement.GetProperty("name").GetString());
        Assert.Equal(100, doc.RootElement.GetProperty("result").GetProperty("p1").GetProperty("bytes").GetInt64());
    }

    [Theory]
    [InlineData("{\"name\": \"x\", \"sends\": [100", null, "malformed JSON")]
    [InlineData("not json at all", null, "malformed JSON")]
    [InlineData("{\"name\": \"neg\", \"sends\": [100, -5]}", "neg", "sends[1] is negative")]
    [InlineData("{\"name\": \"nosends\"}", "nosends", "missing \"sends\"")]
    [InlineData("{\"name\": \"act\", \"program\": {\"action\": \"explode\"}, \"sends\": [1]}", "act", "unknown action \"explode\"")]
    [InlineData("{\"name\": \"key\", \"sendz\": [1], \"sends\": [1]}", "key", "unknown key \"sendz\"")]
    [InlineData("{\"name\": \"pkey\", \"program\": {\"aply\": 3}, \"sends\": [1]}", "pkey", "unknown program key \"aply\"")]
    [InlineData("{\"name\": \"type\", \"sends\": \"100\"}", "type", "\"sends\" must be an array")]
    [InlineData("{\"name\": \"type2\", \"program\": {\"apply\": \"3\"}, \"sends\": [1]}", "type2", "\"program.apply\" must be a whole number")]
    [InlineData("{\"sends\": [1]}", null, "missing \"name\"")]
    [InlineData("[1, 2]", null, "must be a JSON object")]
    public void A_bad_line_gets_an_error_line_and_the_others_still_run(string bad, string? name, string problem)
    {
        string input = "{\"name\": \"before\", \"sends\": [10]}\n" + bad + "\n{\"name\": \"after\", \"sends\": [20]}\n";
        var run = HostRun.Invoke(["scenario"], input);
        Assert.Equal(2, run.ExitCode);
        Assert.False(run.HasStackTrace, run.Out + run.Err);
        var lines = run.OutLines;
        Assert.Equal(3, lines.Length);
        using var before = JsonDocument.Parse(lines[0]);
        using var error = JsonDocument.Parse(lines[1]);
        using var after = JsonDocument.Parse(lines[2]);
        Assert.Equal("before", before.RootElement.GetProperty("name").GetString());
        Assert.Equal("after", after.RootElement.GetProperty("name").GetString());
        Assert.True(after.RootElement.TryGetProperty("result", out _));
        Assert.Equal(2, error.RootElement.GetProperty("line").GetInt32());
        var n = error.RootElement.GetProperty("name");
        if (name is null) Assert.Equal(JsonValueKind.Null, n.ValueKind);
        else Assert.Equal(name, n.GetString());
        Assert.Contains(problem, error.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public void The_runaway_scenario_reports_runaway_without_hanging()
    {
        var line = ObservedLines().First(l => l.Contains("\"runaway\""));
        var run = HostRun.Invoke(["scenario"], line);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("\"runaway\":true", run.Out);
    }

    [Fact]
    public void An_unknown_engine_is_a_usage_error()
    {
        var run = HostRun.Invoke(["scenario", "--engine", "warp"], "{\"name\": \"a\", \"sends\": [1]}");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("unknown engine 'warp'", run.Err);
        Assert.Contains("model", run.Err);
        Assert.False(run.HasStackTrace);
    }

    [Fact]
    public void An_unknown_profile_is_a_usage_error()
    {
        var run = HostRun.Invoke(["scenario", "--profile", "linux-9.99"], "");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("linux-9.99", run.Err);
        Assert.False(run.HasStackTrace);
    }

    [Fact]
    public void An_unknown_option_is_a_usage_error()
    {
        var run = HostRun.Invoke(["scenario", "--frobnicate"], "");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--frobnicate", run.Err);
    }
}
