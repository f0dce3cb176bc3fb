using Akka.Actor;
using MessagePack;

namespace SockActors.Actors.Protocol;

// The protocol of the kernel manager (/system/sockactors) and of one simulated kernel: create kernels, sockets,
// connections, maps and programs; move virtual time; read the trace. Every request has one typed reply.

/// <summary>Creates a simulated kernel (a SimKernel with its own page allocator, clock and sockets), the simulated host
/// <see cref="HostId"/> (host-N by default). Reply: <see cref="KernelCreated"/>, or RequestFailed when the host id is taken.</summary>
/// <param name="Profile">Kernel profile name ("linux-6.18", "linux-4.17"); empty for sockactors.profile.</param>
/// <param name="Seed">Seed of the kernel's random source (bpf_get_prandom_u32); 0 for sockactors.seed.</param>
/// <param name="InterleavingSeed">Deterministic mode: seed of the order in which held calls run; 0 for sockactors.interleaving-seed.</param>
/// <param name="HostId">The simulated host's id on the wire ("host-17"); null for host-N.</param>
[MessagePackObject]
public sealed record CreateKernel(
    [property: Key(0)] string Profile,
    [property: Key(1)] long Seed,
    [property: Key(2)] long InterleavingSeed,
    [property: Key(3)] string? HostId = null) : ISockActorsRequest;

/// <summary>A kernel was created: its id in this actor system, its actor and its host id on the wire (host-N unless
/// <see cref="CreateKernel.HostId"/> named one).</summary>
/// <param name="KernelId">The kernel's id, unique in the manager.</param>
/// <param name="Kernel">The kernel's actor.</param>
/// <param name="HostId">The host's id on the wire between hosts.</param>
[MessagePackObject]
public sealed record KernelCreated([property: Key(0)] int KernelId, [property: Key(1)] IActorRef Kernel, [property: Key(2)] string HostId = "") : ISockActorsReply;

/// <summary>socket + bind + listen on 127.0.0.1. Reply: <see cref="SocketCreated"/>.</summary>
/// <param name="Name">The socket's name in traces; null names it sk&lt;id&gt;.</param>
/// <param name="Port">The local port; 0 takes the next free one.</param>
[MessagePackObject]
public sealed record Listen([property: Key(0)] string? Name, [property: Key(1)] ushort Port) : ISockActorsRequest;

/// <summary>Reply to <see cref="Listen"/>: the listening socket.</summary>
/// <param name="SockId">The socket's id in its kernel (what <see cref="ISocketRequest.SockId"/> names).</param>
/// <param name="Name">The socket's name in traces and results (the requested one or a generated one).</param>
/// <param name="Socket">The socket's actor.</param>
[MessagePackObject]
public sealed record SocketCreated([property: Key(0)] int SockId, [property: Key(1)] string Name, [property: Key(2)] IActorRef Socket) : ISockActorsReply;

/// <summary>connect() to a listener and accept(). <see cref="ListenerId"/> 0 makes a pair without a visible listener.
/// Reply: <see cref="Connected"/>.</summary>
/// <param name="ListenerId">The listening socket, or 0.</param>
/// <param name="ClientName">The client socket's name; null names it sk&lt;id&gt;.</param>
/// <param name="ServerName">The accepted socket's name; null names it sk&lt;id&gt;.</param>
[MessagePackObject]
public sealed record Connect(
    [property: Key(0)] int ListenerId,
    [property: Key(1)] string? ClientName,
    [property: Key(2)] string? ServerName) : ISockActorsRequest;

/// <summary>Reply to <see cref="Connect"/>: the two ends of an established TCP connection (the connect()ing client and
/// the socket accept() returned).</summary>
/// <param name="ClientId">The client socket's id.</param>
/// <param name="Client">The client socket's actor.</param>
/// <param name="ServerId">The accepted socket's id.</param>
/// <param name="Server">The accepted socket's actor.</param>
[MessagePackObject]
public sealed record Connected(
    [property: Key(0)] int ClientId,
    [property: Key(1)] IActorRef Client,
    [property: Key(2)] int ServerId,
    [property: Key(3)] IActorRef Server) : ISockActorsReply;

/// <summary>bpf_map_create(SOCKMAP or SOCKHASH). Reply: <see cref="MapCreated"/> (Rc &lt; 0 when the kernel refuses).</summary>
/// <param name="Name">The map's name.</param>
/// <param name="Hash">true: BPF_MAP_TYPE_SOCKHASH; false: BPF_MAP_TYPE_SOCKMAP.</param>
/// <param name="MaxEntries">bpf_attr.max_entries.</param>
/// <param name="KeySize">bpf_attr.key_size in bytes; 0 for 4.</param>
/// <param name="ValueSize">bpf_attr.value_size in bytes (4 or 8); 0 for 4.</param>
[MessagePackObject]
public sealed record CreateSockMap(
    [property: Key(0)] string Name,
    [property: Key(1)] bool Hash,
    [property: Key(2)] uint MaxEntries,
    [property: Key(3)] uint KeySize,
    [property: Key(4)] uint ValueSize) : ISockActorsRequest;

/// <summary>Reply to <see cref="CreateSockMap"/>.</summary>
/// <param name="Rc">bpf_map_create's return: 0, or -errno (-EINVAL for a key or value size or max_entries the map type refuses, -E2BIG for a sockhash key over 512 bytes).</param>
/// <param name="MapId">The map's id (0 when <paramref name="Rc"/> &lt; 0).</param>
/// <param name="Map">The map's actor (null when <paramref name="Rc"/> &lt; 0).</param>
[MessagePackObject]
public sealed record MapCreated([property: Key(0)] long Rc, [property: Key(1)] int MapId, [property: Key(2)] IActorRef? Map) : ISockActorsReply;

/// <summary>Loads a program instance registered in this process (<see cref="Runtime.LocalObjects"/>); programs are code
/// and do not cross nodes. Reply: <see cref="ProgramLoaded"/>.</summary>
/// <param name="LocalHandle">The program's handle in <see cref="Runtime.LocalObjects"/>.</param>
[MessagePackObject]
public sealed record LoadProgram([property: Key(0)] long LocalHandle) : ISockActorsRequest;

/// <summary>A loaded program: its id and actor and, for one loaded by reference, the maps it declares.</summary>
/// <param name="ProgId">The program's id in its kernel.</param>
/// <param name="Name">The program's name.</param>
/// <param name="Program">The program's actor.</param>
/// <param name="Maps">The maps a program loaded by reference declares; null for a program loaded as an instance.</param>
[MessagePackObject]
public sealed record ProgramLoaded(
    [property: Key(0)] int ProgId,
    [property: Key(1)] string Name,
    [property: Key(2)] IActorRef Program,
    [property: Key(3)] ProgramMapInfo[]? Maps = null) : ISockActorsReply;

/// <summary>Advances virtual time by <see cref="Ns"/>: socket timers and SO_SNDTIMEO deadlines fall due in order.
/// Reply: <see cref="ClockAdvanced"/>.</summary>
/// <param name="Ns">Virtual nanoseconds to advance by.</param>
[MessagePackObject]
public sealed record AdvanceClock([property: Key(0)] long Ns) : ISockActorsRequest;

/// <summary>Advances virtual time to the earliest pending SO_SNDTIMEO deadline (what a quiet kernel would do next).
/// Reply: <see cref="ClockAdvanced"/> with Fired = false when no send is waiting on a deadline.</summary>
[MessagePackObject]
public sealed record AdvanceToNextDeadline : ISockActorsRequest
{
    /// <summary>The one instance (the message carries no data).</summary>
    public static AdvanceToNextDeadline Instance { get; } = new();
}

/// <summary>Reply to <see cref="AdvanceClock"/> and <see cref="AdvanceToNextDeadline"/>.</summary>
/// <param name="NowNs">The kernel's virtual clock after the advance, in ns.</param>
/// <param name="Fired">Whether at least one SO_SNDTIMEO/SO_RCVTIMEO deadline fell due on the way (its sleeping call woke
/// and returned what it had, or -EAGAIN).</param>
[MessagePackObject]
public sealed record ClockAdvanced([property: Key(0)] long NowNs, [property: Key(1)] bool Fired) : ISockActorsReply;

/// <summary>Deterministic mode: lets the held sends (<see cref="ISendCall"/>) run, one at a time, the next one chosen by the kernel's
/// interleaving seed among the sockets that have calls waiting. Reply: <see cref="ScheduledRun"/> once nothing is
/// held any more (calls that block on memory stay in flight).</summary>
[MessagePackObject]
public sealed record RunScheduled : ISockActorsRequest
{
    /// <summary>The one instance (the message carries no data).</summary>
    public static RunScheduled Instance { get; } = new();
}

/// <summary>Reply to <see cref="RunScheduled"/>.</summary>
/// <param name="Released">How many held calls were let run.</param>
[MessagePackObject]
public sealed record ScheduledRun([property: Key(0)] int Released) : ISockActorsReply;

/// <summary>The kernel's event trace (completed socket calls, in order) and program trace lines. Reply: <see cref="KernelTrace"/>.</summary>
[MessagePackObject]
public sealed record GetTrace : ISockActorsRequest
{
    /// <summary>The one instance (the message carries no data).</summary>
    public static GetTrace Instance { get; } = new();
}

/// <summary>Reply to <see cref="GetTrace"/>.</summary>
/// <param name="Lines">The trace lines, oldest first.</param>
[MessagePackObject]
public sealed record KernelTrace([property: Key(0)] string[] Lines) : ISockActorsReply;

/// <summary>Page allocator and socket accounting of the kernel. Reply: <see cref="KernelStats"/>.</summary>
[MessagePackObject]
public sealed record GetKernelStats : ISockActorsRequest
{
    /// <summary>The one instance (the message carries no data).</summary>
    public static GetKernelStats Instance { get; } = new();
}

/// <summary>Reply to <see cref="GetKernelStats"/>.</summary>
/// <param name="NowNs">The kernel's virtual clock, in ns.</param>
/// <param name="PageBytesInUse">Bytes of pages the kernel's page allocator has handed out and not got back (socket
/// buffers, sk_msg scatterlists, page frags).</param>
/// <param name="Sockets">Open sockets.</param>
/// <param name="WaitingSends">Socket calls asleep in the kernel (sk_stream_wait_memory, a blocking receive).</param>
[MessagePackObject]
public sealed record KernelStats(
    [property: Key(0)] long NowNs,
    [property: Key(1)] long PageBytesInUse,
    [property: Key(2)] int Sockets,
    [property: Key(3)] int WaitingSends) : ISockActorsReply;

/// <summary>A request the runtime could not carry out (no such socket, map or program). Kernel errors are not
/// failures: they come back as negative return codes in the normal replies.</summary>
/// <param name="Reason">What could not be done, naming the socket, map or program.</param>
[MessagePackObject]
public sealed record RequestFailed([property: Key(0)] string Reason) : ISockActorsReply;

/// <summary>Asks a program actor what it holds. Reply: <see cref="ProgramInfo"/>.</summary>
[MessagePackObject]
public sealed record GetProgramInfo : ISockActorsRequest
{
    /// <summary>The one instance (the message carries no data).</summary>
    public static GetProgramInfo Instance { get; } = new();
}

/// <summary>A program's name and how often it has run (counted by its actor for programs loaded by reference).</summary>
/// <param name="ProgId">The program's id in its kernel.</param>
/// <param name="Name">The program's name.</param>
/// <param name="Runs">Times the program has run.</param>
[MessagePackObject]
public sealed record ProgramInfo([property: Key(0)] int ProgId, [property: Key(1)] string Name, [property: Key(2)] long Runs = 0) : ISockActorsReply;
