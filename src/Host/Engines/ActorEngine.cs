using SockActors.Actors.Scenarios;
using SockActors.Model.Kernel;
using SockActors.Model.Scenarios;

namespace SockActors.Host.Engines;

/// <summary>
/// The Akka.NET actor runtime in deterministic mode: every socket, the sockmap and the program are actors, each send
/// of c1 is a message through them (<see cref="ActorScenarioEngine"/>). It equals the model scenario for scenario.
/// </summary>
public sealed class ActorEngine(IScenarioProgramFactory? program = null) : IScenarioEngine, IProgramEngine, IDisposable
{
    private readonly ActorScenarioEngine _engine = new();

    public string Name => "actors";

    public ScenarioResult Run(Scenario scenario, KernelProfile profile) => _engine.Run(scenario, program ?? ScenarioProgramFactory.Instance, profile);

    /// <summary>The same runtime with a BPF object's program (scenario --program); this engine is disposed.</summary>
    public IScenarioEngine WithProgram(IScenarioProgramFactory factory)
    {
        Dispose();
        return new ActorEngine(factory);
    }

    public void Dispose() => _engine.Dispose();
}
