using System.Text.Json;

namespace SockActors.Host.Tests;

/// <summary>`explain --engine kernel` and `--compare` on the live kernel (skipped where it cannot run scenarios).</summary>
[Collection(KernelCollection.Name)]
public class ExplainKernelTests
{
    [KernelFact]
    public void The_kernel_picture_draws_the_runs_of_its_trace_and_compare_draws_both_with_their_differences()
    {
        string line = ExplainPictureTests.Observed("sendm-apply-split");
        var kernel = HostRun.Invoke(["explain", "--engine", "kernel", "--json"], line);
        Assert.True(kernel.ExitCode == 0, kernel.Err);
        using (var doc = JsonDocument.Parse(kernel.Out))
        {
            Assert.Equal("kernel", doc.RootElement.GetProperty("engine").GetString());
            Assert.False(doc.RootElement.GetProperty("flows_known").GetBoolean());
            Assert.Equal([100u, 70u, 40u, 10u], doc.RootElement.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("size").GetUInt32()));
            Assert.Equal(100, doc.RootElement.GetProperty("receivers")[0].GetProperty("read").GetInt64());
        }

        var compare = HostRun.Invoke(["explain", "--compare", "--json"], line);
        Assert.True(compare.ExitCode == 0, compare.Err);
        using var both = JsonDocument.Parse(compare.Out);
        Assert.Equal(["kernel", "model"], both.RootElement.EnumerateArray().Select(p => p.GetProperty("engine").GetString()));
        Assert.All(both.RootElement.EnumerateArray(), p => Assert.Equal(4, p.GetProperty("runs").GetArrayLength()));
        Assert.Equal(0, both.RootElement[0].GetProperty("differences").GetArrayLength());

        var html = HostRun.Invoke(["explain", "--compare"], line);
        Assert.Contains("The kernel and the simulation agree on every field", html.Out);
        Assert.Contains("id=\"picture-kernel\"", html.Out);
        Assert.Contains("id=\"picture-model\"", html.Out);
    }
}
