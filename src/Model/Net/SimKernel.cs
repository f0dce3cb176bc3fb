using SockActors.Model.Kernel;
using SockActors.Model.Memory;
using SockActors.Model.Msg;
using SockActors.Model.Programs;

namespace SockActors.Model.Net;

/// <summary>Socket buffer defaults of a simulated kernel (net.ipv4.tcp_wmem / tcp_rmem as loopback sockets end up with).</summary>
public sealed record SockDefaults
{
    /// <summary>sk_sndbuf after tcp_sndbuf_expand on loopback (tcp_wmem[2] = 4 MiB caps it).</summary>
    public int Sndbuf { get; init; } = 4 * 1024 * 1024;

    /// <summary>
    /// What a receiver that does not read takes in before the sender's data waits in its own write queue: the loopback
    /// receive window, which grows only as the application reads (tcp_rcv_space_adjust). Observed: a blocking 8 MiB
    /// sendmsg to an unread peer returns 4259295 after SO_SNDTIMEO, that is this window plus a 4 MiB send buffer.
    /// </summary>
    public int Rcvbuf { get; init; } = 64991;

    /// <summary>Receive memory a socket may hold in ingress_msg before __sk_rmem_schedule refuses (-ENOMEM).</summary>
    public long RmemLimit { get; init; } = 256L * 1024 * 1024;

    /// <summary>net.core.wmem_max, the cap of SO_SNDBUF (4 MiB on this project's 6.18 machines; 212992 is the
    /// kernel's own default).</summary>
    public int WmemMax { get; init; } = 4 * 1024 * 1024;

    /// <summary>net.core.rmem_max, the cap of SO_RCVBUF (4 MiB on this project's machines).</summary>
    public int RmemMax { get; init; } = 4 * 1024 * 1024;

    /// <summary>CONFIG_HZ: SO_SNDTIMEO and SO_RCVTIMEO are kept in jiffies of 1/HZ s (250 on this project's kernel).</summary>
    public int Hz { get; init; } = 250;
}

/// <summary>
/// One simulated kernel: the page allocator, the virtual clock, the seeded random source, the trace log, the
/// sockets and the profile. Everything is single-threaded; determinism comes from the seed.
/// </summary>
public sealed partial class SimKernel
{
    private int _nextSockId;
    private ushort _nextPort = 40000;
    private readonly Random _random;

    /// <summary>A kernel of <paramref name="profile"/> (default Linux 6.18) whose random source is seeded with
    /// <paramref name="seed"/>, with new sockets' defaults from <paramref name="defaults"/>, driven sequentially
    /// (<see cref="SequentialEnvironment"/>) until an actor runtime sets its own environment.</summary>
    public SimKernel(KernelProfile? profile = null, long seed = 1, SockDefaults? defaults = null)
    {
        Profile = profile ?? KernelProfile.Linux618;
        Defaults = defaults ?? new SockDefaults();
        _random = new Random(unchecked((int)seed));
        Environment = new SequentialEnvironment(this);
    }

    /// <summary>The kernel version whose behaviour the model follows where versions differ.</summary>
    public KernelProfile Profile { get; }
    /// <summary>Defaults of new sockets and the sysctls the model reads (sk_sndbuf, sk_rcvbuf, wmem_max, rmem_max, HZ).</summary>
    public SockDefaults Defaults { get; }
    /// <summary>The page allocator: socket buffers and sk_msg pages come from it; its BytesInUse is the leak check.</summary>
    public PageAllocator Pages { get; } = new();

    /// <summary>Socket ids of this kernel start at SockIdBase + 1 (0 by default: 1, 2, ...). A simulated host made
    /// again after a crash starts its ids elsewhere than its previous incarnation did, so that a handle (host, socket
    /// id) or a packet of a connection of the old incarnation never names a socket of the new one, as a TCP peer's
    /// four-tuple and initial sequence number keep a rebooted machine's new connections apart from its old ones.</summary>
    public int SockIdBase
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            field = value;
            _nextSockId = value;
        }
    }

    /// <summary>How the send path waits and redirects; the sequential engine by default.</summary>
    public ISockEnvironment Environment { get; set; }

    /// <summary>Virtual time in nanoseconds (bpf_ktime_get_ns, SO_SNDTIMEO).</summary>
    public long NowNs { get; private set; }

    /// <summary>Bytes of pages a single send may allocate (push, pull) before the model calls it a runaway: the
    /// kernel would keep allocating until the machine runs out of memory.</summary>
    public long RunawayAllocationLimit { get; set; } = 256L * 1024 * 1024;

    /// <summary>bpf_trace_printk lines and program faults.</summary>
    public event Action<string>? Trace;

    private readonly List<Sock> _timers = new();

    /// <summary>Advances virtual time and fires the socket timers that fall due, in deadline order.</summary>
    public void AdvanceClock(long ns)
    {
        NowNs = checked(NowNs + ns);
        _psockWork?.RunDue();
        if (_timers.Count == 0) return;
        var due = _timers.Where(s => s.ProbeDeadlineNs >= 0 && s.ProbeDeadlineNs <= NowNs).OrderBy(s => s.ProbeDeadlineNs).ThenBy(s => s.Id).ToList();
        foreach (var s in due)
        {
            _timers.Remove(s);
            s.FireProbeTimer();
        }
        _timers.RemoveAll(s => s.ProbeDeadlineNs < 0);
    }

    internal void ArmTimer(Sock sk)
    {
        if (!_timers.Contains(sk)) _timers.Add(sk);
    }

    private readonly Dictionary<string, Maps.BpfMap> _maps = new(StringComparer.Ordinal);

    /// <summary>Makes a map findable by name (<see cref="FindMap"/>): the runtime registers the maps it creates and the
    /// ones programs bring. A later map of the same name replaces the earlier one in the lookup.</summary>
    public void RegisterMap(Maps.BpfMap map) => _maps[map.Name] = map;

    /// <summary>The map registered under <paramref name="name"/>, or null.</summary>
    public Maps.BpfMap? FindMap(string name) => _maps.GetValueOrDefault(name);

    /// <summary>The next u32 of the seeded random source (bpf_get_prandom_u32).</summary>
    public uint NextRandom() => (uint)_random.NextInt64(0, 1L << 32);

    internal void EmitTrace(string line) => Trace?.Invoke(line);

    /// <summary>The workqueue that runs sk_psock_backlog (schedule_work / schedule_delayed_work on a psock).</summary>
    internal SkSkb.PsockWorkQueue PsockWork => _psockWork ??= new SkSkb.PsockWorkQueue(this);
    private SkSkb.PsockWorkQueue? _psockWork;

    /// <summary>sk_psock_backlog runs so far.</summary>
    public long PsockWorkRuns => _psockWork?.Runs ?? 0;

    /// <summary>Every SK_SKB verdict run of this kernel, in order.</summary>
    public event Action<SkSkb.SkbVerdictEvent>? SkbVerdictRan;

    internal void EmitSkbVerdict(Sock sk, SkSkb.SkBuff skb, SkVerdict verdict) =>
        SkbVerdictRan?.Invoke(new SkSkb.SkbVerdictEvent(sk.Id, sk.Name, skb.Len, verdict, verdict == SkVerdict.Redirect ? skb.SkRedir?.Id ?? 0 : 0,
            verdict == SkVerdict.Redirect && skb.Ingress, NowNs));

    /// <summary>Every SK_MSG program run of this kernel, in order (see <see cref="VerdictEvent"/>).</summary>
    public event Action<VerdictEvent>? ProgramRan;

    /// <summary>Program runs of this kernel so far (the RunIndex of the next <see cref="VerdictEvent"/>).</summary>
    public long ProgramRuns { get; private set; }

    internal void EmitProgramRan(Sock sk, SkMsg msg, SkVerdict verdict, SkPsock psock)
    {
        long index = ProgramRuns++;
        ProgramRan?.Invoke(new VerdictEvent(sk.Id, sk.Name, index, msg.Size, verdict, msg.ApplyBytes, msg.CorkBytes,
            verdict == SkVerdict.Redirect ? psock.SkRedir?.Id ?? 0 : 0, verdict == SkVerdict.Redirect && psock.RedirIngress, NowNs));
    }

    /// <summary>The cgroup new sockets are created in (the calling process's), or null for none.</summary>
    public SockOps.Cgroup? CurrentCgroup { get; set; }

    /// <summary>Every SOCK_OPS program run of this kernel: the socket and the op.</summary>
    public event Action<Sock, uint>? SockOpsRan;

    internal void EmitSockOps(Sock sk, uint op) => SockOpsRan?.Invoke(sk, op);

    /// <summary>socket(AF_INET, SOCK_STREAM, 0): the socket joins <see cref="CurrentCgroup"/>.</summary>
    public Sock CreateSocket(string? name = null)
    {
        int id = ++_nextSockId;
        return new Sock(this, id, name ?? $"sk{id}") { Cgroup = CurrentCgroup };
    }

    /// <summary>A listening socket on 127.0.0.1 (bind + listen).</summary>
    public Sock Listen(string? name = null, ushort port = 0)
    {
        var s = CreateSocket(name);
        s.LocalPort = port != 0 ? port : _nextPort++;
        s.Addresses = SocketAddresses.Ipv4(0x7f000001, s.LocalPort, 0, 0);
        s.State = SockState.Listen;
        SockOps.SockOpsRunner.Call(s, SockOpsOp.TcpListenCb); // inet_csk_listen_start
        return s;
    }

    /// <summary>connect() to a listener and accept(): an established loopback pair (client, accepted server socket).
    /// The accepted socket does not inherit the listener's psock (tcp_bpf_clone).</summary>
    public (Sock Client, Sock Server) Connect(Sock listener, string? clientName = null, string? serverName = null)
    {
        if (listener.State != SockState.Listen) throw new InvalidOperationException($"{listener.Name} is not listening");
        var client = CreateSocket(clientName);
        var server = CreateSocket(serverName);
        client.LocalPort = _nextPort++;
        server.LocalPort = listener.LocalPort;
        client.Addresses = SocketAddresses.Ipv4(0x7f000001, client.LocalPort, 0x7f000001, server.LocalPort);
        server.Addresses = SocketAddresses.Ipv4(0x7f000001, server.LocalPort, 0x7f000001, client.LocalPort);
        client.Peer = server;
        server.Peer = client;
        // The loopback handshake inside connect(): tcp_connect's CONNECT_CB, then tcp_finish_connect on the client
        // (ESTABLISHED, ACTIVE_ESTABLISHED_CB), then the child the final ACK creates (it inherits the listener's
        // cgroup and callback flags: ESTABLISHED, PASSIVE_ESTABLISHED_CB).
        server.Cgroup = listener.Cgroup;
        server.SockOpsCbFlags = listener.SockOpsCbFlags;
        SockOps.SockOpsRunner.Call(client, SockOpsOp.TcpConnectCb);
        client.State = SockState.Established;
        SockOps.SockOpsRunner.StateChange(client, SockOpsOp.TcpSynSent, SockOpsOp.TcpEstablished);
        SockOps.SockOpsRunner.Call(client, SockOpsOp.ActiveEstablishedCb);
        server.State = SockState.Established;
        SockOps.SockOpsRunner.StateChange(server, SockOpsOp.TcpSynRecv, SockOpsOp.TcpEstablished);
        SockOps.SockOpsRunner.Call(server, SockOpsOp.PassiveEstablishedCb);
        return (client, server);
    }

    /// <summary>A connected loopback pair without a visible listener.</summary>
    public (Sock Client, Sock Server) ConnectPair(string? clientName = null, string? serverName = null)
        => Connect(Listen(), clientName, serverName);
}
