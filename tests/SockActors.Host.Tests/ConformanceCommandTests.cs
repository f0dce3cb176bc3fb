namespace SockActors.Host.Tests;

public class ConformanceCommandTests
{
    [Fact]
    public void The_model_matches_every_observed_line()
    {
        var run = HostRun.Invoke(["conformance"]);
        Assert.True(run.ExitCode == 0, run.Out + run.Err);
        Assert.Contains("0 differ", run.OutLines[^1]);
    }

    [Fact]
    public void A_difference_is_printed_field_by_field_and_exits_1()
    {
        var path = Path.Combine(Path.GetTempPath(), $"observed-{Guid.NewGuid():N}.jsonl");
        var line = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "conformance", "observed-linux-6.18.jsonl"))
            .First(l => l.Contains("\"name\": \"sendm-pass-one\"") || l.Contains("\"name\":\"sendm-pass-one\""));
        // Claim the kernel delivered one byte more to p1 than it did.
        File.WriteAllText(path, line.Replace("\"bytes\": 100", "\"bytes\": 101").Replace("\"bytes\":100", "\"bytes\":101"));
        try
        {
            var run = HostRun.Invoke(["conformance", "--scenarios", path]);
            Assert.Equal(1, run.ExitCode);
            Assert.Contains("p1.bytes: expected 101, actors gave 100", run.Out);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_missing_scenario_file_is_a_usage_error()
    {
        var run = HostRun.Invoke(["conformance", "--scenarios", "/nonexistent.jsonl"]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("/nonexistent.jsonl", run.Err);
    }
}
