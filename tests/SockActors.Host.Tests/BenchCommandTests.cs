using System.Text.Json;

namespace SockActors.Host.Tests;

[Collection(KernelCollection.Name)]
public class BenchCommandTests
{
    [Fact]
    public void The_model_bench_prints_one_json_line_per_case_and_the_vm_line()
    {
        var run = HostRun.Invoke(["bench", "--engine", "model", "--json", "--seconds", "0.05"]);
        Assert.True(run.ExitCode == 0, run.Err);
        var lines = run.OutLines;
        Assert.Equal(7, lines.Length);
        var cases = new List<(string, long)>();
        foreach (var l in lines[..6])
        {
            using var d = JsonDocument.Parse(l);
            var r = d.RootElement;
            Assert.Equal("model", r.GetProperty("engine").GetString());
            foreach (var key in new[] { "count", "seconds", "sends_per_s", "mb_per_s" }) Assert.True(r.GetProperty(key).GetDouble() > 0, $"{key} in {l}");
            cases.Add((r.GetProperty("workload").GetString()!, r.GetProperty("size").GetInt64()));
        }
        Assert.Equal([("pass", 64L), ("pass", 65536L), ("redirect", 64L), ("redirect", 65536L), ("ingress", 64L), ("ingress", 65536L)], cases);
        using var vm = JsonDocument.Parse(lines[6]);
        Assert.Equal("bpf-vm", vm.RootElement.GetProperty("engine").GetString());
        Assert.True(vm.RootElement.GetProperty("instructions_per_s").GetDouble() > 0);
    }

    [Fact]
    public void Without_the_kernel_all_leaves_it_out_and_kernel_alone_is_exit_2()
    {
        using var _ = KernelCollection.PretendNoBpf();
        var all = HostRun.Invoke(["bench", "--size", "64", "--seconds", "0.05"]);
        Assert.True(all.ExitCode == 0, all.Err);
        Assert.Contains("engine kernel left out", all.Err);
        Assert.Contains("model sends/s", all.Out);
        Assert.DoesNotContain("kernel sends/s", all.Out);
        var kernel = HostRun.Invoke(["bench", "--engine", "kernel"]);
        Assert.Equal(2, kernel.ExitCode);
        Assert.Contains("engine 'kernel' is not available here", kernel.Err);
    }

    [Fact]
    public void An_unknown_engine_is_a_usage_error()
    {
        var run = HostRun.Invoke(["bench", "--engine", "warp"]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("unknown bench engine 'warp'", run.Err);
    }

    [KernelFact]
    public void The_table_shows_the_model_beside_the_kernel_with_ratios()
    {
        var run = HostRun.Invoke(["bench", "--size", "64", "--seconds", "0.1"]);
        Assert.True(run.ExitCode == 0, run.Err);
        Assert.Contains("x kernel", run.OutLines[0]);
        Assert.Contains("kernel sends/s", run.OutLines[0]);
        Assert.Equal(3, run.OutLines.Count(l => l.Contains("  64  ") || System.Text.RegularExpressions.Regex.IsMatch(l, @"^\w+\s+64\s")));
        Assert.StartsWith("bpf-vm:", run.OutLines[^1]);
    }
}
