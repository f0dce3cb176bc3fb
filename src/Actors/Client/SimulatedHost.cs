using Akka.Actor;
using SockActors.Actors.Protocol;
using SockActors.Actors.Runtime;
using SockActors.Model.Net;
using SockActors.Model.Programs;

namespace SockActors.Actors.Client;

/// <summary>
/// The async C# face of one simulated kernel: every method is a message to the kernel's actor and a typed reply.
/// Return codes are the kernel's (bytes, or -errno); a blocking send's task completes when the kernel would return.
/// Runtime failures (no such socket, a simulator bug) throw.
/// </summary>
public sealed class SimulatedHost
{
    private readonly ActorSystem _system;

    private SimulatedHost(ActorSystem system, int kernelId, IActorRef kernel)
    {
        _system = system;
        KernelId = kernelId;
        Kernel = kernel;
    }

    public int KernelId { get; }
    public IActorRef Kernel { get; }

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
    public static async Task<SimulatedHost> CreateAsync(ActorSystem system, string? profile = null, long seed = 0, long interleavingSeed = 0)
    {
        var ext = SockActorsExtension.Get(system);
        var configured = ConfiguredPrograms.Load(ext.Settings.Programs);
        var created = await AskAsync<KernelCreated>(system, ext.Manager, new CreateKernel(profile ?? "", seed, interleavingSeed));
        var host = new SimulatedHost(system, created.KernelId, created.Kernel);
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
        return new SimulatedHost(system, created.KernelId, created.Kernel);
    }

    public async Task<SocketHandle> ListenAsync(string? name = null, ushort port = 0)
    {
        var r = await Ask<SocketCreated>(new Listen(name, port));
        return new SocketHandle(r.SockId, r.Name, r.Socket);
    }

    /// <summary>connect() + accept(): an established loopback pair.</summary>
    public async Task<(SocketHandle Client, SocketHandle Server)> ConnectAsync(SocketHandle listener, string? clientName = null, string? serverName = null)
        => Pair(await Ask<Connected>(new Connect(listener.Id, clientName, serverName)), clientName, serverName);

    /// <summary>A connected loopback pair without a visible listener.</summary>
    public async Task<(SocketHandle Client, SocketHandle Server)> ConnectPairAsync(string? clientName = null, string? serverName = null)
        => Pair(await Ask<Connected>(new Connect(0, clientName, serverName)), clientName, serverName);

    private static (SocketHandle, SocketHandle) Pair(Connected c, string? cn, string? sn) =>
        (new SocketHandle(c.ClientId, cn ?? $"sk{c.ClientId}", c.Client), new SocketHandle(c.ServerId, sn ?? $"sk{c.ServerId}", c.Server));

    public Task<MapHandle> CreateSockMapAsync(string name, uint maxEntries) => CreateMapAsync(new CreateSockMap(name, false, maxEntries, 4, 4));

    public Task<MapHandle> CreateSockHashAsync(string name, uint maxEntries, uint keySize = 4) => CreateMapAsync(new CreateSockMap(name, true, maxEntries, keySize, 4));

    private async Task<MapHandle> CreateMapAsync(CreateSockMap m)
    {
        var r = await Ask<MapCreated>(m);
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

    /// <summary>Loads a C# program with the model maps it uses (a redirect program holds its sockmap, as a BPF object
    /// declares its maps); the maps get actors and handles, in the order given.</summary>
    public async Task<(ProgramHandle Program, MapHandle[] Maps)> LoadProgramAsync(ISkMsgProgram program, params Model.Maps.SockMapBase[] maps)
    {
        var r = await Ask<Adopted>(new AdoptObjects([], maps, [program]));
        var p = r.Programs[0];
        return (new ProgramHandle(p.ProgId, p.Name, p.Program), r.Maps.Select(m => new MapHandle(m.MapId, m.Map!)).ToArray());
    }

    public async Task<long> AttachAsync(MapHandle map, ProgramHandle program) => (await Ask<MapResult>(new AttachProgram(map.Id, program.Id))).Rc;
    public async Task<long> DetachAsync(MapHandle map, ProgramHandle program) => (await Ask<MapResult>(new DetachProgram(map.Id, program.Id))).Rc;

    public async Task<long> MapUpdateAsync(MapHandle map, uint key, SocketHandle sock, ulong flags = 0) => (await Ask<MapResult>(new MapUpdate(map.Id, key, sock.Id, flags))).Rc;
    public async Task<long> MapDeleteAsync(MapHandle map, uint key) => (await Ask<MapResult>(new MapDelete(map.Id, key))).Rc;

    /// <summary>The socket id in a slot, or -ENOENT.</summary>
    public async Task<long> MapLookupAsync(MapHandle map, uint key) => (await Ask<MapResult>(new MapLookup(map.Id, key))).Rc;

    public async Task<int> SetSockOptAsync(SocketHandle sock, SockOption option, long value) => (await Ask<SockOptSet>(new SetSockOpt(sock.Id, option, value))).Rc;

    /// <summary>sendmsg(2): bytes accepted or -errno; completes when the kernel would return (a blocking send waits for room).</summary>
    public async Task<int> SendMsgAsync(SocketHandle sock, byte[] data, int flags = 0) => (int)(await Ask<SendResult>(new SendMsg(sock.Id, data, flags))).Rc;

    public Task<int> SendMsgAsync(SocketHandle sock, ReadOnlyMemory<byte> data, int flags = 0) => SendMsgAsync(sock, data.ToArray(), flags);

    /// <summary>sendfile(2) of <paramref name="count"/> bytes of <paramref name="file"/> from <paramref name="offset"/>.</summary>
    public async Task<long> SendFileAsync(SocketHandle sock, byte[] file, long offset, int count, int flags = 0) =>
        (await Ask<SendResult>(new SendFile(sock.Id, file, offset, count, flags))).Rc;

    /// <summary><paramref name="count"/> sendmsg calls of <paramref name="size"/> bytes, each through the full model path.</summary>
    public Task<SendBatchResult> SendMsgBatchAsync(SocketHandle sock, int count, int size, int flags = 0) => Ask<SendBatchResult>(new SendMsgBatch(sock.Id, count, size, flags));

    /// <summary>recvmsg(2), non-blocking: Rc is bytes, 0 at end of stream, -EAGAIN when empty.</summary>
    public Task<RecvResult> RecvAsync(SocketHandle sock, int maxBytes, bool peek = false) => Ask<RecvResult>(new Recv(sock.Id, maxBytes, peek));

    /// <summary>Reads until nothing more is queued, keeping the count and FNV-1a.</summary>
    public Task<Drained> DrainAsync(SocketHandle sock, long maxBytes = 0) => Ask<Drained>(new Drain(sock.Id, maxBytes));

    /// <summary>close(2); returns the bytes the socket lost (cork, unread ingress and receive queue).</summary>
    public async Task<long> CloseAsync(SocketHandle sock) => (await Ask<SocketClosed>(new Close(sock.Id))).PurgedBytes;

    public Task<SockStats> SockStatsAsync(SocketHandle sock) => Ask<SockStats>(new GetSockStats(sock.Id));
    public Task<KernelStats> StatsAsync() => Ask<KernelStats>(GetKernelStats.Instance);
    public async Task<string[]> TraceAsync() => (await Ask<KernelTrace>(GetTrace.Instance)).Lines;

    /// <summary>Advances virtual time; SO_SNDTIMEO deadlines and TCP timers fall due in order.</summary>
    public Task<ClockAdvanced> AdvanceClockAsync(long ns) => Ask<ClockAdvanced>(new AdvanceClock(ns));
    public Task<ClockAdvanced> AdvanceToNextDeadlineAsync() => Ask<ClockAdvanced>(AdvanceToNextDeadline.Instance);

    /// <summary>Deterministic mode: releases the held socket calls in the order of the interleaving seed.</summary>
    public Task<ScheduledRun> RunScheduledAsync() => Ask<ScheduledRun>(RunScheduled.Instance);

    /// <summary>Sends <paramref name="message"/> to the kernel and returns its typed reply.</summary>
    public Task<T> Ask<T>(object message) => AskAsync<T>(_system, Kernel, message);

    internal static async Task<T> AskAsync<T>(ActorSystem system, IActorRef target, object message)
    {
        var sink = new ReplySink(system);
        target.Tell(message, sink);
        var reply = await sink.Task.ConfigureAwait(false);
        return reply switch
        {
            T t => t,
            RequestFailed f => throw new InvalidOperationException(f.Reason),
            _ => throw new InvalidOperationException($"expected {typeof(T).Name} in reply to {message.GetType().Name}, got {reply.GetType().Name}"),
        };
    }
}
