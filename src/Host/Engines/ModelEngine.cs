using SockActors.Model.Kernel;
using SockActors.Model.Scenarios;

namespace SockActors.Host.Engines;

/// <summary>The sequential reference engine: <see cref="ScenarioRunner.Run"/> with the C# scenario program.</summary>
public sealed class ModelEngine : IScenarioEngine
{
    public string Name => "model";

    public ScenarioResult Run(Scenario scenario, KernelProfile profile) =>
        ScenarioRunner.Run(scenario, ScenarioProgramFactory.Instance, profile);
}
