using System.Text.Json;
using SockActors.Kernel;
using SockActors.Model.Scenarios;

namespace SockActors.Host.Tests;

/// <summary>`--engine kernel`. These tests change the process environment (SOCKACTORS_PRETEND_NO_BPF), so they run in a
/// collection of their own that never runs in parallel with another test that looks at the kernel.</summary>
[Collection(KernelCollection.Name)]
public class KernelEngineTests
{
    [Fact]
    public void An_unavailable_kernel_is_exit_2_with_the_reason()
    {
        using var _ = KernelCollection.PretendNoBpf();
        var run = HostRun.Invoke(["scenario", "--engine", "kernel"], "{\"name\":\"x\",\"sends\":[100]}");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Contains("engine 'kernel' is not available here", run.Err);
        Assert.Contains("CAP_BPF", run.Err);
        Assert.False(run.HasStackTrace, run.Err);
    }

    [KernelFact]
    public void A_scenario_runs_on_the_live_kernel_and_a_runaway_one_is_refused()
    {
        var run = HostRun.Invoke(["scenario", "--engine", "kernel"],
            "{\"name\":\"pass\",\"sends\":[100]}\n{\"name\":\"runaway\",\"program\":{\"apply\":1,\"push_start\":50,\"push_len\":2},\"sends\":[100]}");
        Assert.True(run.ExitCode == 0, run.Out + run.Err);
        Assert.Equal(2, run.OutLines.Length);
        using var pass = JsonDocument.Parse(run.OutLines[0]);
        var r = ScenarioJson.ParseResult(pass.RootElement.GetProperty("result"));
        Assert.Equal(100, r.P1.Bytes);
        Assert.Equal(1, r.RunsTotal);
        using var runaway = JsonDocument.Parse(run.OutLines[1]);
        Assert.True(ScenarioJson.ParseResult(runaway.RootElement.GetProperty("result")).Runaway);
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KernelCollection
{
    public const string Name = "kernel";

    public static IDisposable PretendNoBpf()
    {
        var before = Environment.GetEnvironmentVariable(KernelSupport.PretendNoBpfVariable);
        Environment.SetEnvironmentVariable(KernelSupport.PretendNoBpfVariable, "1");
        return new Restore(() => Environment.SetEnvironmentVariable(KernelSupport.PretendNoBpfVariable, before));
    }

    private sealed class Restore(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
