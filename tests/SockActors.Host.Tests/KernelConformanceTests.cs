using System.Text.Json;
using SockActors.Model.Scenarios;

namespace SockActors.Host.Tests;

/// <summary>`conformance --kernel` and `conformance record`.</summary>
[Collection(KernelCollection.Name)]
public class KernelConformanceTests
{
    [Fact]
    public void Without_the_kernel_both_commands_say_skipped_and_exit_0()
    {
        using var _ = KernelCollection.PretendNoBpf();
        var compare = HostRun.Invoke(["conformance", "--kernel", "--random", "1", "--count", "3"]);
        Assert.Equal(0, compare.ExitCode);
        Assert.StartsWith("skipped: ", compare.OutLines.Single());
        Assert.Contains("CAP_BPF", compare.Out);
        var record = HostRun.Invoke(["conformance", "record", "--random", "1", "--count", "3"]);
        Assert.Equal(0, record.ExitCode);
        Assert.StartsWith("skipped: ", record.OutLines.Single());
    }

    [KernelFact]
    public void The_kernel_and_the_model_agree_and_a_runaway_scenario_is_simulation_only()
    {
        var path = Path.Combine(Path.GetTempPath(), $"scenarios-{Guid.NewGuid():N}.jsonl");
        File.WriteAllLines(path,
        [
            "{\"name\":\"k-pass\",\"sends\":[100,200]}",
            "{\"name\":\"k-redir\",\"program\":{\"action\":\"redirect\",\"redirect_key\":1},\"sends\":[100]}",
            "{\"name\":\"k-runaway\",\"program\":{\"apply\":1,\"push_start\":50,\"push_len\":2},\"sends\":[100]}",
        ]);
        try
        {
            var run = HostRun.Invoke(["conformance", "--kernel", "--scenarios", path]);
            Assert.True(run.ExitCode == 0, run.Out + run.Err);
            Assert.Contains(run.OutLines, l => l.StartsWith("ok") && l.Contains("k-pass"));
            Assert.Contains(run.OutLines, l => l.StartsWith("ok") && l.Contains("k-redir"));
            Assert.Contains(run.OutLines, l => l.StartsWith("not-run") && l.Contains("k-runaway"));
            Assert.Contains("3 agree, 0 differ", run.OutLines[^1]);
            Assert.Contains("1 not run on the kernel", run.OutLines[^1]);

            var json = HostRun.Invoke(["conformance", "--kernel", "--scenarios", path, "--json"]);
            Assert.Equal(0, json.ExitCode);
            Assert.Equal(4, json.OutLines.Length);
            foreach (var l in json.OutLines) JsonDocument.Parse(l).Dispose();
            Assert.Contains("\"kernel_ran\":false", json.OutLines[2]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [KernelFact]
    public void Record_writes_observed_lines_and_refuses_runaway_scenarios()
    {
        var scenarios = Path.Combine(Path.GetTempPath(), $"scenarios-{Guid.NewGuid():N}.jsonl");
        var observed = Path.Combine(Path.GetTempPath(), $"observed-{Guid.NewGuid():N}.jsonl");
        File.WriteAllLines(scenarios,
        [
            "{\"name\":\"r-pass\",\"sends\":[100]}",
            "{\"name\":\"r-runaway\",\"program\":{\"apply\":1,\"push_start\":50,\"push_len\":2},\"sends\":[100]}",
        ]);
        try
        {
            var run = HostRun.Invoke(["conformance", "record", "--scenarios", scenarios, "--out", observed]);
            Assert.True(run.ExitCode == 0, run.Out + run.Err);
            Assert.Contains("not run on the kernel (runaway-capable): r-runaway", run.Out);
            var line = Assert.Single(File.ReadAllLines(observed));
            var (scenario, result, kernel) = ScenarioJson.ParseObserved(line);
            Assert.Equal("r-pass", scenario.Name);
            Assert.Equal(100, result.P1.Bytes);
            Assert.StartsWith("linux-", kernel);
            // The recorded file is itself a reference for the plain conformance command.
            var check = HostRun.Invoke(["conformance", "--scenarios", observed]);
            Assert.True(check.ExitCode == 0, check.Out);
        }
        finally
        {
            File.Delete(scenarios);
            File.Delete(observed);
        }
    }

    [Fact]
    public void A_scenario_file_and_a_seed_together_are_a_usage_error()
    {
        var run = HostRun.Invoke(["conformance", "--kernel", "--scenarios", "x.jsonl", "--random", "1"]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("not both", run.Err);
    }
}
