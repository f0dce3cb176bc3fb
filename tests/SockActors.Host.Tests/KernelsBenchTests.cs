using System.Text.Json;

namespace SockActors.Host.Tests;

/// <summary>`sockactors bench --kernels N`: N independent kernels at once beside one kernel, in one run.</summary>
public class KernelsBenchTests
{
    [Fact]
    public void Two_kernels_report_one_json_line_with_both_kernels_sends_and_the_ratio()
    {
        var run = HostRun.Invoke(["bench", "--kernels", "2", "--json", "--seconds", "0.2"]);
        Assert.True(run.ExitCode == 0, run.Err);
        var line = Assert.Single(run.OutLines);
        using var d = JsonDocument.Parse(line);
        var r = d.RootElement;
        Assert.Equal(2, r.GetProperty("kernels").GetInt32());
        Assert.Equal("redirect", r.GetProperty("workload").GetString());
        Assert.Equal(64, r.GetProperty("size").GetInt32());
        Assert.Equal("sockactors.dispatchers.kernel-strand", r.GetProperty("dispatcher").GetString());
        var perKernel = r.GetProperty("sends_per_kernel").EnumerateArray().Select(e => e.GetInt64()).ToList();
        Assert.Equal(2, perKernel.Count);
        Assert.All(perKernel, n => Assert.True(n > 0, line));
        foreach (var key in new[] { "one_kernel_sends_per_s", "all_kernels_sends_per_s", "ratio" })
            Assert.True(r.GetProperty(key).GetDouble() > 0, $"{key} in {line}");
        double ratio = r.GetProperty("all_kernels_sends_per_s").GetDouble() / r.GetProperty("one_kernel_sends_per_s").GetDouble();
        Assert.Equal(ratio, r.GetProperty("ratio").GetDouble(), 0.01);
    }

    [Fact]
    public void Without_a_value_it_runs_one_kernel_per_core_and_the_table_names_the_dispatcher()
    {
        var run = HostRun.Invoke(["bench", "--kernels", "--seconds", "0.1", "--set", "sockactors:kernel-dispatcher=sockactors.dispatchers.kernel-thread"]);
        Assert.True(run.ExitCode == 0, run.Err);
        Assert.Contains("x 1 kernel", run.OutLines[0]);
        Assert.StartsWith(Environment.ProcessorCount.ToString(), run.OutLines[1]);
        Assert.Contains("dispatcher sockactors.dispatchers.kernel-thread", run.Out);
    }

    [Theory]
    [InlineData(new[] { "--kernels", "0" }, "--kernels must be a whole number between 1 and 1024, got '0'")]
    [InlineData(new[] { "--kernels", "2", "--engine", "model" }, "--engine model cannot be combined with it")]
    [InlineData(new[] { "--kernels", "2", "--seconds", "0" }, "--seconds must be more than 0")]
    [InlineData(new[] { "--kernels", "2", "--set", "sockactors:kernel-dispatcher=warp" }, "sockactors.kernel-dispatcher 'warp' is not a configured dispatcher")]
    [InlineData(new[] { "--kernels", "2", "--set", "sockactors:kernel-dispatcher=a\"b" }, "sockactors.kernel-dispatcher 'a\"b' is not a dispatcher id")]
    public void Bad_input_is_one_line_and_exit_2(string[] args, string message)
    {
        var run = HostRun.Invoke(["bench", .. args]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Err);
        Assert.False(run.HasStackTrace, run.Err);
    }
}
