using SockActors.Kernel.Guard;
using SockActors.Model.Scenarios;
using Xunit;

namespace SockActors.Kernel.Tests;

/// <summary>The memory guard, tested only with tiny limits and user-space allocations (never with a runaway program).</summary>
public sealed class GuardTests
{
    [KernelFact]
    public void A_worker_that_exceeds_its_memory_limit_is_killed_and_reported_as_runaway()
    {
        var options = new KernelRunnerOptions { MemoryLimitBytes = 32L * 1024 * 1024, ScenarioTimeout = TimeSpan.FromSeconds(30) };
        string obj = Bpf.ScenarioObjectCompiler.EnsureCompiled();
        using var worker = GuardedWorker.Start(obj, options);
        // 96 MiB of touched user memory in a 32 MiB cgroup: the cgroup's OOM killer ends the worker, nothing else.
        var reply = worker.Exchange("!alloc 96", out var failure);
        Assert.Null(reply);
        Assert.NotNull(failure);
        Assert.Contains("limit", failure);
        Assert.True(worker.HasExited);
    }

    [KernelFact]
    public void A_guarded_runner_runs_a_scenario_and_refuses_a_runaway_one()
    {
        using var runner = new KernelScenarioRunner();
        var ok = runner.Run(new Scenario { Name = "guard-pass", Sends = [100] });
        Assert.False(ok.Runaway);
        Assert.Equal(100, ok.P1.Bytes);
        var refused = runner.Run(new Scenario { Name = "guard-runaway", Program = new ProgramSpec { Apply = 1, PushStart = 50, PushLen = 2 }, Sends = [100] });
        Assert.True(refused.Runaway);
        Assert.StartsWith("not run on the kernel", refused.Diagnostic);
    }
}
