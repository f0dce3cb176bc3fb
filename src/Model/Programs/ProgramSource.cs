namespace SockActors.Model.Programs;

/// <summary>
/// Where a program comes from, as data that can travel between nodes: the bytes of a clang-compiled BPF object
/// (<see cref="ElfImage"/>, with <see cref="Name"/> naming it in messages), or, without an image, the name of a program
/// registered on the node that loads it (a C# program, which is code and does not travel).
/// </summary>
/// <param name="Name">The object's name in messages, or the registered program's name.</param>
/// <param name="ElfImage">The BPF object file's bytes; null for a program registered on the node.</param>
public sealed record ProgramSource(string Name, byte[]? ElfImage = null)
{
    /// <summary>The name under which the C# scenario program (<see cref="Scenarios.ScenarioProgram"/>) is registered
    /// on every node.</summary>
    public const string ScenarioProgramName = "sk_msg_scenario";
}
