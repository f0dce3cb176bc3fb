using SockActors.Model.Kernel;
using SockActors.Model.Scenarios;

namespace SockActors.Host.Engines;

/// <summary>
/// Something that runs conformance scenarios: the sequential model, the actor runtime, the live kernel. The host
/// disposes an engine that implements <see cref="IDisposable"/> when the command ends.
/// </summary>
public interface IScenarioEngine
{
    /// <summary>The name used on the command line and in configuration (--engine).</summary>
    string Name { get; }

    /// <summary>Runs one scenario in the contract's topology and returns the contract's result.</summary>
    ScenarioResult Run(Scenario scenario, KernelProfile profile);
}

/// <summary>An engine that exists but cannot run here (no CAP_BPF, no cluster): the host reports the message and exits 2.</summary>
public sealed class EngineUnavailableException(string message) : Exception(message);
