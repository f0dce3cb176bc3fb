using System.Text.Json;

namespace SockActors.Host.Tests;

public class RunCommandTests
{
    [Fact]
    public void The_matrix_through_the_actor_runtime_equals_the_model_case_by_case()
    {
        static Dictionary<string, string> Run(string engine)
        {
            var run = HostRun.Invoke(["run", "--engine", engine, "--json"]);
            Assert.True(run.ExitCode == 0, run.Out + run.Err);
            return run.OutLines.Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement).ToDictionary(
                o => o.GetProperty("case").GetString()!,
                o => string.Join(" ", new[] { "bytes_received", "program_runs", "sends_ok", "sends_failed", "data_errors", "result" }
                    .Select(k => $"{k}={o.GetProperty(k)}")));
        }
        var model = Run("model");
        var actors = Run("actors");
        Assert.True(model.Count > 600);
        Assert.Equal(model.Keys.Order(), actors.Keys.Order());
        foreach (var (name, m) in model)
            Assert.True(m == actors[name], $"{name}: model {m}, actors {actors[name]}");
    }

    [Fact]
    public void The_whole_matrix_passes()
    {
        var run = HostRun.Invoke(["run"]);
        Assert.True(run.ExitCode == 0, run.Out + run.Err);
        var rows = run.OutLines.Where(l => l.StartsWith("sh/") || l.StartsWith("ts/")).ToArray();
        Assert.True(rows.Length > 600, $"only {rows.Length} cases");
        Assert.All(rows, r => Assert.EndsWith("PASS", r));
        Assert.Contains(" 0 failed", run.OutLines[^1]);
    }

    [Fact]
    public void A_filtered_run_prints_json_per_case()
    {
        var run = HostRun.Invoke(["run", "--filter", "ts/push-pop", "--json"]);
        Assert.Equal(0, run.ExitCode);
        var objects = run.OutLines.Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l)).ToList();
        Assert.Equal(12, objects.Count);
        foreach (var o in objects)
        {
            var root = o.RootElement;
            Assert.StartsWith("ts/push-pop", root.GetProperty("case").GetString());
            Assert.Equal("PASS", root.GetProperty("result").GetString());
            Assert.True(root.GetProperty("data_checked").GetBoolean());
            Assert.True(root.GetProperty("bytes_received").GetInt64() >= root.GetProperty("bytes_expected").GetDouble());
        }
        // push(1,10)+pop(5,4) on two 262144-byte sendmsg: 524288 + 2 × 10 − 2 × 4.
        var sm = objects.Single(o => o.RootElement.GetProperty("case").GetString() == "ts/push-pop/pass-push1+10-pop5+4/sendmsg/r2-i32-l8192");
        Assert.Equal(524300, sm.RootElement.GetProperty("bytes_received").GetInt64());
    }

    [Fact]
    public void Drop_cases_fail_every_send_and_deliver_nothing()
    {
        var run = HostRun.Invoke(["run", "--filter", "ts/drop", "--json"]);
        Assert.Equal(0, run.ExitCode);
        foreach (var line in run.OutLines.Where(l => l.StartsWith('{')))
        {
            using var o = JsonDocument.Parse(line);
            Assert.Equal(0, o.RootElement.GetProperty("bytes_received").GetInt64());
            Assert.Equal(0, o.RootElement.GetProperty("sends_ok").GetInt32());
        }
    }

    [Fact]
    public void A_filter_that_matches_nothing_is_a_usage_error()
    {
        var run = HostRun.Invoke(["run", "--filter", "no-such-case"]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("no-such-case", run.Err);
    }
}
