using SockActors.Kernel.Bpf;
using SockActors.Kernel.Guard;
using SockActors.Model.Scenarios;

namespace SockActors.Kernel;

/// <summary>
/// Runs conformance scenarios on the live kernel and returns the contract's result. A scenario that can make the kernel
/// allocate without end (<see cref="ProgramSpec.CanRunAwayOnKernel"/>) is refused before anything touches the kernel.
/// With <see cref="KernelRunnerOptions.Guarded"/> (the default) scenarios run in a worker process inside a memory cgroup.
/// Not thread-safe: use one runner per thread.
/// </summary>
public sealed class KernelScenarioRunner : IDisposable
{
    private readonly KernelRunnerOptions _options;
    private readonly string _objectPath;
    private GuardedWorker? _worker;

    public KernelScenarioRunner(KernelRunnerOptions? options = null)
    {
        _options = options ?? new KernelRunnerOptions();
        var (available, reason) = KernelSupport.Probe(_options.ObjectPath);
        if (!available) throw new KernelUnavailableException(reason);
        _objectPath = _options.ObjectPath ?? ScenarioObjectCompiler.EnsureCompiled();
    }

    public KernelRunnerOptions Options => _options;

    /// <summary>The compiled or given BPF object the runner loads for every scenario.</summary>
    public string ObjectPath => _objectPath;

    public ScenarioResult Run(Scenario scenario)
    {
        if (scenario.Program.CanRunAwayOnKernel) return Refusal(scenario);
        if (!_options.Guarded) return ScenarioExecution.Run(scenario, _objectPath, _options.QuietTime, _options.SendTimeout, _options.ReadOrder);
        _worker ??= GuardedWorker.Start(_objectPath, _options);
        var result = _worker.Run(scenario);
        if (_worker.HasExited)
        {
            // The guard killed the worker (memory limit or timeout): the next scenario gets a fresh one.
            _worker.Dispose();
            _worker = null;
        }
        return result;
    }

    internal static ScenarioResult Refusal(Scenario s) => ScenarioResult.RunawayResult(
        $"not run on the kernel: apply {s.Program.Apply} with push_len {s.Program.PushLen} >= apply makes the kernel allocate without end");

    public void Dispose()
    {
        _worker?.Dispose();
        _worker = null;
    }
}
