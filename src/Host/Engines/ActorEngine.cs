using SockActors.Actors.Scenarios;
using SockActors.Model.Kernel;
using SockActors.Model.Scenarios;

namespace SockActors.Host.Engines;

/// <summary>
/// The Akka.NET actor runtime in deterministic mode: every socket, the sockmap and the program are actors, each send
/// of c1 is a message through them (<see cref="ActorScenarioEngine"/>). It equals the model scenario for scenario.
/// </summary>
public sealed class ActorEngine : IScenarioEngine, IDisposable
{
    private readonly ActorScenarioEngine _engine = new();

    public string Name => "actors";

    public ScenarioResult Run(Scenario scenario, KernelProfile profile) => _engine.Run(scenario, ScenarioProgramFactory.Instance, profile);

    public void Dispose() => _engine.Dispose();
}
