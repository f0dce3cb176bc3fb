using SockActors.Model.Maps;
using SockActors.Model.Programs;

namespace SockActors.Model.Scenarios;

/// <summary>
/// A program that implements the contract's scenario program, with the maps it brings: the C# one
/// (<see cref="ScenarioProgram"/>) or a loaded BPF object that declares sock_map, cfg_map and trace_map.
/// The scenario runner attaches <see cref="Program"/> to <see cref="SockMap"/>, calls <see cref="Configure"/>
/// before it inserts the sockets, and reads the trace after the last send.
/// </summary>
public interface IScenarioProgram
{
    /// <summary>The SK_MSG program the runner attaches to <see cref="SockMap"/>.</summary>
    ISkMsgProgram Program { get; }

    /// <summary>The program's SOCKMAP: the runner puts c1 at key 0 and p2 at key 1.</summary>
    BpfMap SockMap { get; }

    /// <summary>Fills the configuration (cfg_map[0]) from the scenario.</summary>
    void Configure(ProgramSpec spec);

    /// <summary>The first runs (at most 256) and the total number of runs (trace_map[0]).</summary>
    (IReadOnlyList<ProgramRun> Runs, long Total) ReadTrace();

    /// <summary>The receive half's SK_SKB and SOCK_OPS programs over <see cref="SockMap"/>, for scenarios with "skb" or
    /// "sockops"; null when this program brings none (such scenarios then cannot run on it).</summary>
    ReceiveHalfPrograms? ReceiveHalf => null;
}

/// <summary>Makes a fresh <see cref="IScenarioProgram"/> for each scenario.</summary>
public interface IScenarioProgramFactory
{
    /// <summary>What the programs are, for messages ("the C# scenario program", "BPF object x.o").</summary>
    string Description { get; }
    /// <summary>A fresh program with fresh maps (no state from an earlier scenario).</summary>
    IScenarioProgram Create();

    /// <summary>The program as a serializable reference (a BPF object's bytes, or a registered name), for engines that
    /// load programs by message; null when it can only be made in this process.</summary>
    ProgramSource? Source => null;
}
