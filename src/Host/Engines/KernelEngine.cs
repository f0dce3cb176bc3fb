using SockActors.Kernel;
using SockActors.Model.Kernel;
using SockActors.Model.Scenarios;

namespace SockActors.Host.Engines;

/// <summary>
/// The live kernel (src/Kernel): each scenario runs in the guarded worker process, and a scenario that can make the
/// kernel allocate without end is refused ({"runaway": true} with a "not run on the kernel" diagnostic). The kernel is
/// what it is: the profile is not applied (the result is whatever the running kernel does).
/// </summary>
public sealed class KernelEngine : IScenarioEngine, IDisposable
{
    private readonly KernelScenarioRunner _runner;

    private KernelEngine(KernelScenarioRunner runner) => _runner = runner;

    public string Name => "kernel";

    /// <summary>The engine, or <see cref="EngineUnavailableException"/> with <see cref="KernelSupport.Probe"/>'s reason.</summary>
    public static KernelEngine Create(KernelRunnerOptions? options = null)
    {
        try
        {
            return new KernelEngine(new KernelScenarioRunner(options));
        }
        catch (KernelUnavailableException e)
        {
            throw new EngineUnavailableException(e.Message);
        }
        catch (KernelDriverException e)
        {
            throw new EngineUnavailableException(e.Message);
        }
    }

    public ScenarioResult Run(Scenario scenario, KernelProfile profile) => _runner.Run(scenario);

    public void Dispose() => _runner.Dispose();
}
