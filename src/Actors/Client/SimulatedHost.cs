using Akka.Actor;
using SockActors.Actors.Protocol;
using SockActors.Actors.Runtime;
using SockActors.Model.Net;
using SockActors.Model.Programs;

namespace SockActors.Actors.Client;

/// <summary>
/// The async C# face of one simulated kernel: every method is a message to the kernel's actor and a typed reply.
/// Return codes are the kernel's (bytes, or -errno); a blocking call's task completes when the kernel would return.
/// Calls of one <c>thread</c> (non-zero) run one after the other, as a user-space thread makes one system call at a
/// time; calls without one are each a thread of their own, so a blocked send and a receive on the same socket run
/// side by side, as in Linux. Every call ends: with its reply, or with a <see cref="TimeoutException"/> naming the
/// request after <c>timeout</c> (default sockactors.ask-timeout), or cancelled by its token. Runtime failures (no such
/// socket, a simulator bug) throw.
/// </summary>
public sealed class SimulatedHost
{
    private readonly ActorSystem _system;

    private SimulatedHost(ActorSystem system, int kernelId, IActorRef kernel, string hostId)
    {
        _system = system;
        KernelId = kernelId;
        Kernel = kernel;
        HostId = hostId;
    }

    /// <summary>The kernel's id in the manager (<see cref="KernelCreated.KernelId"/>).</summary>
    public int KernelId { get; }

    /// <summary>This host's id on the wire between hosts ("host-17"): what <see cref="ConnectRemoteAsync(string, ushort, string?, string?, TimeSpan?, CancellationToken)"/> names.</summary>
    public string HostId { get; }
    /// <summary>The kernel's actor: every call of this host is a message to it.</summary>
    public IActorRef Kernel { get; }

    /// <summary>The timeout of calls that do not pass their own (sockactors.ask-timeout).</summary>
    public TimeSpan DefaultTimeout => SockActorsExtension.Get(_system).Settings.AskTimeout;

    private readonly Dictionary<string, MapHandle> _configuredMaps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Model.Bpf.BpfObject> _configuredObjects = new(StringComparer.Ordinal);

    /// <summary>A map that sockactors.programs loaded into this kernel, by name (its program already attached).</summary>
    public MapHandle Map(string name) => _configuredMaps.TryGetValue(name, out var m)
        ? m
        : throw new KeyNotFoundException($"no map '{name}' was loaded from sockactors.programs (loaded: {string.Join(", ", _configuredMaps.Keys)})");

    /// <summary>The BPF object sockactors.programs loaded for map <paramref name="mapName"/> (its data maps, e.g. config and trace arrays).</summary>
    public Model.Bpf.BpfObject ObjectFor(string mapName) => _configuredObjects[mapName];

    /// <summary>
    /// Creates a kernel (profile, random seed and interleaving seed default to the configuration's) and loads the
    /// programs of sockactors.programs into it: each object's sk_msg program attached to its map of the configured name.
    /// </summary>
    public static async Task<SimulatedHost> CreateAsync(ActorSystem system, string? profile = null, long seed = 0, long interleavingSeed = 0, string? hostId = null)
    {
        var ext = SockActorsExtension.Get(system);
        var configured = ConfiguredPrograms.Load(ext.Settings.Programs);
        var created = await AskAsync<KernelCreated>(system, ext.Manager, new CreateKernel(profile ?? "", seed, interleavingSeed, hostId));
        var host = new SimulatedHost(system, created.KernelId, created.Kernel, created.HostId);
        foreach (var (mapName, obj, map, program) in configured)
        {
            var (prog, maps) = await host.LoadProgramAsync(program, map);
            long rc = await host.AttachAsync(maps[0], prog);
            if (rc != 0) throw new ConfiguredProgramException($"sockactors.programs.{mapName}: attaching its program failed ({rc})");
            host._configuredMaps[mapName] = maps[0];
            host._configuredObjects[mapName] = obj;
        }
        return host;
    }

    /// <summary>Creates a kernel actor around a model kernel the caller made (it must not be used directly afterwards).</summary>
    public static async Task<SimulatedHost> CreateAsync(ActorSystem system, SimKernel kernel, long interleavingSeed = 0)
    {
        var ext = SockActorsExtension.Get(system);
        var created = await AskAsync<KernelCreated>(system, ext.Manager, new CreateLocalKernel(kernel, interleavingSeed));
        return new SimulatedHost(system, created.KernelId, created.Kernel, created.HostId);
    }

    /// <summary>socket() + bind(127.0.0.1:<paramref name="port"/>) + listen(): a listening socket to <see cref="ConnectAsync"/> to.
    /// Port 0 takes the next free one; <paramref name="name"/> null names it sk&lt;id&gt;.</summary>
    public async Task<SocketHandle> ListenAsync(string? name = null, ushort port = 0, TimeSpan? timeout = null, CancellationToken ct = default)
    {
        var r = await Ask<SocketCreated>(new Listen(name, port), timeout, ct);
        return new SocketHandle(r.SockId, r.Name, r.Socket);
    }

    /// <summary>connect() + accept(): an established loopback pair.</summary>
    public async Task<(SocketHandle Client, SocketHandle Server)> ConnectAsync(SocketHandle listener, string? clientName = null, string? serverName = null,
        TimeSpan? timeout = null, CancellationToken ct = default)
        => Pair(await Ask<Connected>(new Connect(listener.Id, clientName, serverName), timeout, ct), clientName, serverName);

    /// <summary>A connected loopback pair without a visible listener.</summary>
    public async Task<(SocketHandle Client, SocketHandle Server)> ConnectPairAsync(string? clientName = null, string? serverName = null,
        TimeSpan? timeout = null, CancellationToken ct = default)
        => Pair(await Ask<Connected>(new Connect(0, clientName, serverName), timeout, ct), clientName, serverName);

    /// <summary>
    /// connect() from a new socket of this host to the listener on <paramref name="port"/> of host
    /// <paramref name="listenerHost"/> (another kernel, in this actor system or reached through the
    /// <see cref="Runtime.IHostDirectory"/>), and its accept there. Bytes between the two travel as TCP segments with
    /// the kernel's flow control (docs/wire.md). The server socket is called on its own host's kernel. Throws
    /// <see cref="InvalidOperationException"/> with ECONNREFUSED when nothing listens there.
    /// </summary>
    public Task<(SocketHandle Client, SocketHandle Server)> ConnectRemoteAsync(string listenerHost, ushort port, string? clientName = null,
        string? serverName = null, TimeSpan? timeout = null, CancellationToken ct = default)
        => ConnectRemoteAsync(new ConnectRemote(listenerHost, 0, port, clientName, serverName), timeout, ct);

    /// <summary>connect() to <paramref name="listener"/> of host <paramref name="listenerHost"/> (by its socket id).</summary>
    public Task<(SocketHandle Client, SocketHandle Server)> ConnectRemoteAsync(string listenerHost, SocketHandle listener, string? clientName = null,
        string? serverName = null, TimeSpan? timeout = null, CancellationToken ct = default)
        => ConnectRemoteAsync(new ConnectRemote(listenerHost, listener.Id, 0, clientName, serverName), timeout, ct);

    private async Task<(SocketHandle Client, SocketHandle Server)> ConnectRemoteAsync(ConnectRemote request, TimeSpan? timeout, CancellationToken ct)
    {
        var r = await Ask<RemoteConnected>(request, timeout, ct);
        if (r.Rc < 0)
        {
            string where = request.ListenerId != 0 ? $"socket {request.ListenerId}" : $"port {request.ListenerPort}";
            throw new InvalidOperationException($"connect from {HostId} to {request.ListenerHost} {where} failed: {new SysResult(r.Rc)}");
        }
        return (new SocketHandle(r.ClientId, r.ClientName, r.Client!), new SocketHandle(r.ServerId, r.ServerName, r.Server!));
    }

    private static (SocketHandle, SocketHandle) Pair(Connected c, string? cn, string? sn) =>
        (new SocketHandle(c.ClientId, cn ?? $"sk{c.ClientId}", c.Client), new SocketHandle(c.ServerId, sn ?? $"sk{c.ServerId}", c.Server));

    /// <summary>bpf_map_create(BPF_MAP_TYPE_SOCKMAP) with 4-byte keys and values. Throws <see cref="InvalidOperationException"/>
    /// with the errno when the kernel refuses (e.g. <paramref name="maxEntries"/> 0).</summary>
    public Task<MapHandle> CreateSockMapAsync(string name, uint maxEntries, TimeSpan? timeout = null, CancellationToken ct = default)
        => CreateMapAsync(new CreateSockMap(name, false, maxEntries, 4, 4), timeout, ct);

    /// <summary>bpf_map_create(BPF_MAP_TYPE_SOCKHASH) with <paramref name="keySize"/>-byte keys (the key of
    /// <see cref="MapUpdateAsync"/> is then the 4-byte little-endian key). Throws <see cref="InvalidOperationException"/> with
    /// the errno when the kernel refuses.</summary>
    public Task<MapHandle> CreateSockHashAsync(string name, uint maxEntries, uint keySize = 4, TimeSpan? timeout = null, CancellationToken ct = default)
        => CreateMapAsync(new CreateSockMap(name, true, maxEntries, keySize, 4), timeout, ct);

    private async Task<MapHandle> CreateMapAsync(CreateSockMap m, TimeSpan? timeout, CancellationToken ct)
    {
        var r = await Ask<MapCreated>(m, timeout, ct);
        if (r.Rc != 0) throw new InvalidOperationException($"bpf_map_create({m.Name}) failed: {r.Rc}");
        return new MapHandle(r.MapId, r.Map!);
    }

    /// <summary>Loads a C# program instance (registered in this process; programs do not cross nodes).</summary>
    public async Task<ProgramHandle> LoadProgramAsync(ISkMsgProgram program)
    {
        long handle = LocalObjects.Register(program);
        try
        {
            var r = await Ask<ProgramLoaded>(new LoadProgram(handle));
            return new ProgramHandle(r.ProgId, r.Name, r.Program);
        }
        finally
        {
            LocalObjects.Unregister(handle);
        }
    }

    /// <summary>
    /// Loads a program by reference, the way that works across nodes: a BPF object's bytes, or the name of a program
    /// registered on the node (<c>SockActors.Get(system).Programs</c>; the contract's scenario program is
    /// "sk_msg_scenario"). Returns the program and its socket maps by name (each with its map actor); its data maps are
    /// reached through <see cref="Protocol.ProgramMapLookup"/> / <see cref="Protocol.ProgramMapUpdate"/>.
    /// </summary>
    public async Task<(ProgramHandle Program, IReadOnlyDictionary<string, MapHandle> SockMaps)> LoadProgramAsync(ProgramReference reference,
        TimeSpan? timeout = null, CancellationToken ct = default)
    {
        var r = await Ask<ProgramLoaded>(new LoadProgramReference(reference), timeout, ct);
        var maps = new Dictionary<string, MapHandle>(StringComparer.Ordinal);
        foreach (var m in r.Maps ?? [])
            if (m is { MapId: not 0, Map: { } mapRef }) maps[m.Name] = new MapHandle(m.MapId, mapRef);
        return (new ProgramHandle(r.ProgId, r.Name, r.Program), maps);
    }

    /// <summary>Configures a scenario program (cfg_map[0] of the conformance contract) through its program actor.</summary>
    public async Task<long> ConfigureScenarioProgramAsync(ProgramHandle program, Model.Scenarios.ProgramSpec spec, TimeSpan? timeout = null, CancellationToken ct = default)
        => (await Ask<ProgramResult>(new ConfigureScenarioProgram(program.Id, spec.ToConfigWords()), timeout, ct)).Rc;

    /// <summary>Loads a C# program with the model maps it uses (a redirect program holds its sockmap, as a BPF object
    /// declares its maps); the maps get actors and handles, in the order given.</summary>
    public async Task<(ProgramHandle Program, MapHandle[] Maps)> LoadProgramAsync(ISkMsgProgram program, params Model.Maps.SockMapBase[] maps)
    {
        var r = await Ask<Adopted>(new AdoptObjects([], maps, [program]));
        var p = r.Programs[0];
        return (new ProgramHandle(p.ProgId, p.Name, p.Program), r.Maps.Select(m => new MapHandle(m.MapId, m.Map!)).ToArray());
    }

    /// <summary>bpf_prog_attach(program, map, BPF_SK_MSG_VERDICT): 0, or -errno (-EINVAL for a program that is not SK_MSG).
    /// Attaching replaces the map's current SK_MSG program, as sock_map_prog_update does.</summary>
    public async Task<long> AttachAsync(MapHandle map, ProgramHandle program, TimeSpan? timeout = null, CancellationToken ct = default)
        => (await Ask<MapResult>(new AttachProgram(map.Id, program.Id), timeout, ct)).Rc;

    /// <summary>bpf_prog_detach(program, map, BPF_SK_MSG_VERDICT): 0, or -errno (-ENOENT when the program is not attached).</summary>
    public async Task<long> DetachAsync(MapHandle map, ProgramHandle program, TimeSpan? timeout = null, CancellationToken ct = default)
        => (await Ask<MapResult>(new DetachProgram(map.Id, program.Id), timeout, ct)).Rc;

    /// <summary>bpf_map_update_elem(map, key, socket, flags) (BPF_ANY, BPF_NOEXIST, BPF_EXIST): 0, or -errno. Adding a
    /// socket to a map gives it a psock and the map's programs.</summary>
    public async Task<long> MapUpdateAsync(MapHandle map, uint key, SocketHandle sock, ulong flags = 0, TimeSpan? timeout = null, CancellationToken ct = default)
        => (await Ask<MapResult>(new MapUpdate(map.Id, key, sock.Id, flags), timeout, ct)).Rc;

    /// <summary>bpf_map_delete_elem(map, key): 0, or -ENOENT for an empty slot.</summary>
    public async Task<long> MapDeleteAsync(MapHandle map, uint key, TimeSpan? timeout = null, CancellationToken ct = default)
        => (await Ask<MapResult>(new MapDelete(map.Id, key), timeout, ct)).Rc;

    /// <summary>The socket id in a slot, or -ENOENT.</summary>
    public async Task<long> MapLookupAsync(MapHandle map, uint key, TimeSpan? timeout = null, CancellationToken ct = default)
        => (await Ask<MapResult>(new MapLookup(map.Id, key), timeout, ct)).Rc;

    /// <summary>setsockopt / fcntl with the kernel's rules (SO_SNDBUF doubles; see <see cref="Sock.SetSockOpt"/>).</summary>
    public async Task<int> SetSockOptAsync(SocketHandle sock, SockOption option, long value, int thread = 0, TimeSpan? timeout = null, CancellationToken ct = default)
        => (await Ask<SockOptSet>(new SetSockOpt(sock.Id, option, value, thread), timeout, ct)).Rc;

    /// <summary>sendmsg(2): bytes accepted or -errno; completes when the kernel would return (a blocking send waits for room).</summary>
    public async Task<int> SendMsgAsync(SocketHandle sock, byte[] data, int flags = 0, int thread = 0, TimeSpan? timeout = null, CancellationToken ct = default)
        => (int)(await Ask<SendResult>(new SendMsg(sock.Id, data, flags, thread), timeout, ct)).Rc;

    /// <summary>sendmsg(2) of a copy of <paramref name="data"/>: bytes accepted or -errno.</summary>
    public Task<int> SendMsgAsync(SocketHandle sock, ReadOnlyMemory<byte> data, int flags = 0, int thread = 0, TimeSpan? timeout = null, CancellationToken ct = default)
        => SendMsgAsync(sock, data.ToArray(), flags, thread, timeout, ct);

    /// <summary>sendfile(2) of <paramref name="count"/> bytes of <paramref name="file"/> from <paramref name="offset"/>.</summary>
    public async Task<long> SendFileAsync(SocketHandle sock, byte[] file, long offset, int count, int flags = 0, int thread = 0, TimeSpan? timeout = null, CancellationToken ct = default)
        => (await Ask<SendResult>(new SendFile(sock.Id, file, offset, count, flags, thread), timeout, ct)).Rc;

    /// <summary><paramref name="count"/> sendmsg calls of <paramref name="size"/> bytes, each through the full model path.</summary>
    public Task<SendBatchResult> SendMsgBatchAsync(SocketHandle sock, int count, int size, int flags = 0, int thread = 0, TimeSpan? timeout = null, CancellationToken ct = default)
        => Ask<SendBatchResult>(new SendMsgBatch(sock.Id, count, size, flags, thread), timeout, ct);

    /// <summary>recvmsg(2): Rc is bytes, 0 at end of stream, -EAGAIN when empty (non-blocking) or when SO_RCVTIMEO ran
    /// out (<paramref name="blocking"/>: the call sleeps until data arrives, without holding the socket lock).</summary>
    public Task<RecvResult> RecvAsync(SocketHandle sock, int maxBytes, bool peek = false, bool blocking = false, int thread = 0, TimeSpan? timeout = null, CancellationToken ct = default)
        => Ask<RecvResult>(new Recv(sock.Id, maxBytes, peek, blocking, thread), timeout, ct);

    /// <summary>Reads until nothing more is queued, keeping the count and FNV-1a.</summary>
    public Task<Drained> DrainAsync(SocketHandle sock, long maxBytes = 0, int thread = 0, TimeSpan? timeout = null, CancellationToken ct = default)
        => Ask<Drained>(new Drain(sock.Id, maxBytes, false, thread), timeout, ct);

    /// <summary>close(2); returns the bytes the socket lost (cork, unread ingress and receive queue).</summary>
    public async Task<long> CloseAsync(SocketHandle sock, int thread = 0, TimeSpan? timeout = null, CancellationToken ct = default)
        => (await Ask<SocketClosed>(new Close(sock.Id, thread), timeout, ct)).PurgedBytes;

    /// <summary>shutdown(2): 0 or -errno; SHUT_WR (<see cref="ShutdownHow.Wr"/>) gives the peer end of stream after the queued bytes.</summary>
    public async Task<int> ShutdownAsync(SocketHandle sock, int how, int thread = 0, TimeSpan? timeout = null, CancellationToken ct = default)
        => (await Ask<ShutdownDone>(new Shutdown(sock.Id, how, thread), timeout, ct)).Rc;

    /// <summary>The socket's buffers and accounting (answered at once, even while one of its calls waits).</summary>
    public Task<SockStats> SockStatsAsync(SocketHandle sock, TimeSpan? timeout = null, CancellationToken ct = default)
        => Ask<SockStats>(new GetSockStats(sock.Id), timeout, ct);

    /// <summary>The kernel's clock, page bytes in use, socket count and sleeping calls.</summary>
    public Task<KernelStats> StatsAsync(TimeSpan? timeout = null, CancellationToken ct = default) => Ask<KernelStats>(GetKernelStats.Instance, timeout, ct);

    /// <summary>The kernel's trace: completed socket calls in order, and program trace lines.</summary>
    public async Task<string[]> TraceAsync(TimeSpan? timeout = null, CancellationToken ct = default) => (await Ask<KernelTrace>(GetTrace.Instance, timeout, ct)).Lines;

    /// <summary>Advances virtual time; SO_SNDTIMEO / SO_RCVTIMEO deadlines and TCP timers fall due in order.</summary>
    public Task<ClockAdvanced> AdvanceClockAsync(long ns, TimeSpan? timeout = null, CancellationToken ct = default) => Ask<ClockAdvanced>(new AdvanceClock(ns), timeout, ct);

    /// <summary>Advances virtual time to the earliest pending SO_SNDTIMEO / SO_RCVTIMEO deadline; Fired is false when no call
    /// waits on one.</summary>
    public Task<ClockAdvanced> AdvanceToNextDeadlineAsync(TimeSpan? timeout = null, CancellationToken ct = default) => Ask<ClockAdvanced>(AdvanceToNextDeadline.Instance, timeout, ct);

    /// <summary>Deterministic mode: releases the held socket calls in the order of the interleaving seed.</summary>
    public Task<ScheduledRun> RunScheduledAsync(TimeSpan? timeout = null, CancellationToken ct = default) => Ask<ScheduledRun>(RunScheduled.Instance, timeout, ct);

    /// <summary>Subscribes <paramref name="subscriber"/> (a TestKit probe, say) to this kernel's program runs: it gets a
    /// <see cref="ProgramRunEvent"/> per run, in order.</summary>
    public Task<VerdictsSubscribed> SubscribeVerdictsAsync(IActorRef subscriber, TimeSpan? timeout = null, CancellationToken ct = default)
        => Ask<VerdictsSubscribed>(new SubscribeVerdicts(subscriber), timeout, ct);

    /// <summary>Sends <paramref name="message"/> to the kernel and returns its typed reply.</summary>
    public Task<T> Ask<T>(object message, TimeSpan? timeout = null, CancellationToken ct = default)
        => AskAsync<T>(_system, Kernel, message, timeout ?? DefaultTimeout, ct);

    internal static async Task<T> AskAsync<T>(ActorSystem system, IActorRef target, object message, TimeSpan? timeoutOrDefault = null, CancellationToken ct = default)
    {
        var timeout = timeoutOrDefault ?? SockActorsExtension.Get(system).Settings.AskTimeout;
        var sink = new ReplySink(system);
        target.Tell(message, sink);
        object reply;
        try
        {
            reply = await sink.Task.WaitAsync(timeout, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(
                $"{message.GetType().Name} to {target.Path} got no reply within {timeout.TotalSeconds:0.###} s " +
                "(a call still blocked in the simulation, one held for RunScheduled under an interleaving seed, or a kernel that has stopped)");
        }
        return reply switch
        {
            T t => t,
            RequestFailed f => throw new InvalidOperationException(f.Reason),
            _ => throw new InvalidOperationException($"expected {typeof(T).Name} in reply to {message.GetType().Name}, got {reply.GetType().Name}"),
        };
    }
}
