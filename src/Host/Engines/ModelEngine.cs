using SockActors.Model.Kernel;
using SockActors.Model.Scenarios;

namespace SockActors.Host.Engines;

/// <summary>The sequential reference engine: <see cref="ScenarioRunner.Run"/> with the C# scenario program, or with
/// the program of a BPF object run on the simulation's BPF VM (<c>scenario --program FILE.o</c>).</summary>
public sealed class ModelEngine(IScenarioProgramFactory? program = null) : IScenarioEngine, IProgramEngine
{
    public string Name => "model";

    public ScenarioResult Run(Scenario scenario, KernelProfile profile) =>
        ScenarioRunner.Run(scenario, program ?? ScenarioProgramFactory.Instance, profile);

    public IScenarioEngine WithProgram(IScenarioProgramFactory factory) => new ModelEngine(factory);
}

/// <summary>An engine that can run a scenario program other than its own (a BPF object on the BPF VM).</summary>
public interface IProgramEngine
{
    IScenarioEngine WithProgram(IScenarioProgramFactory factory);
}
