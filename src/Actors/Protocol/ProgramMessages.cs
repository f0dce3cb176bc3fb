using MessagePack;

namespace SockActors.Actors.Protocol;

// Programs loaded by reference, and what their actors own: the program instance and its data maps (arrays, hashes),
// which user space reads and writes through the program's actor, as an operator reconfigures a running program.

/// <summary>A program as data: a BPF object's bytes (<see cref="ElfImage"/>, named <see cref="Name"/>), or the name of a
/// program registered on the node (see <see cref="Runtime.ProgramCatalog"/>).</summary>
/// <param name="Name">The object's name, or the registered program's name.</param>
/// <param name="ElfImage">The BPF object file's bytes; null to look <paramref name="Name"/> up in the node's catalog.</param>
[MessagePackObject]
public sealed record ProgramReference([property: Key(0)] string Name, [property: Key(1)] byte[]? ElfImage = null);

/// <summary>Loads a program by reference into the kernel. Its socket maps get map actors; its data maps stay with the
/// program's actor. Reply: <see cref="ProgramLoaded"/>, or <see cref="RequestFailed"/> naming what could not be loaded.</summary>
/// <param name="Program">The program to load.</param>
[MessagePackObject]
public sealed record LoadProgramReference([property: Key(0)] ProgramReference Program) : ISockActorsRequest;

/// <summary>One map a loaded program declares: its name and type; <see cref="MapId"/> and <see cref="Map"/> are the map
/// actor's for a SOCKMAP or SOCKHASH, 0 and null for a data map (reached through the program's actor).</summary>
/// <param name="Name">The map's name in the object.</param>
/// <param name="Type">The map's type ("SockMap", "Array", ...).</param>
/// <param name="MapId">The map actor's id, 0 for a data map.</param>
/// <param name="Map">The map's actor, null for a data map.</param>
[MessagePackObject]
public sealed record ProgramMapInfo(
    [property: Key(0)] string Name,
    [property: Key(1)] string Type,
    [property: Key(2)] int MapId,
    [property: Key(3)] Akka.Actor.IActorRef? Map = null);

/// <summary>A request for one program's actor (routed by <see cref="ProgId"/>).</summary>
public interface IProgramRequest : ISockActorsRequest
{
    /// <summary>The program's id in its kernel.</summary>
    int ProgId { get; }
}

/// <summary>bpf_map_lookup_elem from user space on one of the program's data maps. Reply: <see cref="ProgramMapValue"/>.</summary>
/// <param name="ProgId">The program.</param>
/// <param name="Map">The data map's name.</param>
/// <param name="Key">The key's bytes (key_size of the map).</param>
[MessagePackObject]
public sealed record ProgramMapLookup([property: Key(0)] int ProgId, [property: Key(1)] string Map, [property: Key(2)] byte[] Key) : IProgramRequest;

/// <summary>Reply to <see cref="ProgramMapLookup"/>.</summary>
/// <param name="ProgId">The program.</param>
/// <param name="Rc">0, or -errno: -ENOENT for a key not in the map or a map the program does not declare, -EINVAL for a key of the wrong size.</param>
/// <param name="Value">The value's bytes (empty when <paramref name="Rc"/> &lt; 0).</param>
[MessagePackObject]
public sealed record ProgramMapValue([property: Key(0)] int ProgId, [property: Key(1)] long Rc, [property: Key(2)] byte[] Value) : ISockActorsReply;

/// <summary>bpf_map_update_elem from user space on one of the program's data maps. Reply: <see cref="ProgramResult"/>.</summary>
/// <param name="ProgId">The program.</param>
/// <param name="Map">The data map's name.</param>
/// <param name="Key">The key's bytes (key_size of the map).</param>
/// <param name="Value">The value's bytes (value_size of the map).</param>
/// <param name="Flags">BPF_ANY, BPF_NOEXIST or BPF_EXIST.</param>
[MessagePackObject]
public sealed record ProgramMapUpdate(
    [property: Key(0)] int ProgId,
    [property: Key(1)] string Map,
    [property: Key(2)] byte[] Key,
    [property: Key(3)] byte[] Value,
    [property: Key(4)] ulong Flags = 0) : IProgramRequest;

/// <summary>Reply to <see cref="ProgramMapUpdate"/> and <see cref="ConfigureScenarioProgram"/>.</summary>
/// <param name="ProgId">The program.</param>
/// <param name="Rc">0, or -errno.</param>
[MessagePackObject]
public sealed record ProgramResult([property: Key(0)] int ProgId, [property: Key(1)] long Rc) : ISockActorsReply;

/// <summary>The conformance contract's program configuration (cfg_map[0]: action, redirect_key, ingress, apply, cork,
/// pull_start, pull_end, push_start, push_len, pop_start, pop_len, drop_every) for a scenario program.
/// Reply: <see cref="ProgramResult"/> (-EINVAL when the program is not a scenario program).</summary>
/// <param name="ProgId">The scenario program.</param>
/// <param name="Config">cfg_map[0]'s 12 words, in the order of <see cref="Model.Scenarios.ProgramSpec.ToConfigWords"/>.</param>
[MessagePackObject]
public sealed record ConfigureScenarioProgram([property: Key(0)] int ProgId, [property: Key(1)] uint[] Config) : IProgramRequest;

/// <summary>Reads a scenario program's trace (trace_map[0]). Reply: <see cref="ScenarioTrace"/>.</summary>
/// <param name="ProgId">The scenario program.</param>
[MessagePackObject]
public sealed record ReadScenarioTrace([property: Key(0)] int ProgId) : IProgramRequest;

/// <summary>One recorded run of the scenario program (the contract's "runs" row).</summary>
/// <param name="Size">msg->sg.size the run saw, in bytes.</param>
/// <param name="Len">data_end - data after the helpers, in bytes.</param>
/// <param name="Apply">bpf_msg_apply_bytes's return (0 when not called).</param>
/// <param name="Cork">bpf_msg_cork_bytes's return (0 when not called).</param>
/// <param name="Pull">bpf_msg_pull_data's return (0 when not called).</param>
/// <param name="Push">bpf_msg_push_data's return (0 when not called).</param>
/// <param name="Pop">bpf_msg_pop_data's return (0 when not called).</param>
/// <param name="Verdict">The program's return value.</param>
[MessagePackObject]
public sealed record ScenarioRunRow(
    [property: Key(0)] uint Size,
    [property: Key(1)] uint Len,
    [property: Key(2)] int Apply,
    [property: Key(3)] int Cork,
    [property: Key(4)] int Pull,
    [property: Key(5)] int Push,
    [property: Key(6)] int Pop,
    [property: Key(7)] int Verdict);

/// <summary>The trace, and the BPF VM's faults of this program so far (at most 100): a faulting run ends in SK_DROP
/// with a diagnostic, as the kernel's verifier would have refused the program.</summary>
/// <param name="ProgId">The scenario program.</param>
/// <param name="Runs">The first runs (at most 256).</param>
/// <param name="Total">Every run.</param>
/// <param name="Faults">The BPF VM's faults, or null for a C# program.</param>
[MessagePackObject]
public sealed record ScenarioTrace(
    [property: Key(0)] int ProgId,
    [property: Key(1)] ScenarioRunRow[] Runs,
    [property: Key(2)] long Total,
    [property: Key(3)] ProgramFaultInfo[]? Faults = null) : ISockActorsReply;

/// <summary>A BPF program fault (<see cref="Model.Bpf.BpfFault"/>) as data.</summary>
/// <param name="Program">The program's name.</param>
/// <param name="InstructionIndex">Index of the faulting instruction in the linked image.</param>
/// <param name="Location">Where the instruction came from ("sk_msg+12").</param>
/// <param name="Message">What was wrong.</param>
[MessagePackObject]
public sealed record ProgramFaultInfo(
    [property: Key(0)] string Program,
    [property: Key(1)] int InstructionIndex,
    [property: Key(2)] string Location,
    [property: Key(3)] string Message);

/// <summary>A program's name and run count, routed by the kernel. Reply: <see cref="ProgramInfo"/>.</summary>
/// <param name="ProgId">The program.</param>
[MessagePackObject]
public sealed record GetProgramStats([property: Key(0)] int ProgId) : IProgramRequest;
