using SockActors.Model.Kernel;

namespace SockActors.Model.Net;

/// <summary>
/// The sequential engine of several hosts: simulated kernels (one per host) joined by links, one virtual clock and an
/// event queue. A segment, ACK, FIN or RST that a socket puts on the wire arrives at now + the link's queueing,
/// transmission and latency (<see cref="TcpLinkClock"/>); <see cref="Step"/> delivers the earliest event (ties in send
/// order) to the far socket's entry point and lets the woken calls run. Every kernel's clock follows the network's, so
/// timers and SO_SNDTIMEO deadlines fall due in the same order as arrivals. Deterministic: one call stack, no wall clock.
/// User-space threads that block (a sender waiting for the window to open) run with <see cref="Start{T}"/> and
/// <see cref="Run"/>, the network's counterpart of <see cref="SequentialThreads"/>.
/// </summary>
public sealed class SimNetwork
{
    private enum Kind { Segment, Ack, Fin, Reset }

    private sealed record Event(Kind Kind, TcpWireEndpoint From, TcpWireEndpoint To, long Seq, long Window, byte[]? Data);

    private readonly Dictionary<string, SimKernel> _hosts = new(StringComparer.Ordinal);
    private readonly Dictionary<(string From, string To), TcpLink> _links = new();
    private readonly Dictionary<(string From, string To), TcpLinkClock> _linkClocks = new();
    private readonly PriorityQueue<Event, (long At, long Order)> _events = new();
    private readonly Dictionary<TcpWireEndpoint, long> _bytesInFlight = new();
    private readonly List<Task> _threads = new();
    private long _order;

    /// <param name="defaultLink">The link between hosts that <see cref="SetLink"/> did not configure (instant by default).</param>
    public SimNetwork(TcpLink? defaultLink = null) => DefaultLink = (defaultLink ?? TcpLink.Instant).Checked();

    /// <summary>The latency and bandwidth of host pairs that have no link of their own (<see cref="LinkOf"/>).</summary>
    public TcpLink DefaultLink { get; }

    /// <summary>The network's virtual clock (ns); every host's clock follows it.</summary>
    public long NowNs { get; private set; }

    /// <summary>Segments, ACKs, FINs and RSTs on their way.</summary>
    public int EventsInFlight => _events.Count;

    /// <summary>Events delivered so far.</summary>
    public long Delivered { get; private set; }

    /// <summary>Data bytes <paramref name="from"/> put on the wire that have not arrived yet.</summary>
    public long BytesInFlight(TcpWireEndpoint from) => _bytesInFlight.GetValueOrDefault(from);

    /// <summary>Adds a host: a kernel with the sequential environment and this network as its wire.</summary>
    public SimKernel AddHost(string hostId, KernelProfile? profile = null, long seed = 1, SockDefaults? defaults = null)
    {
        if (_hosts.ContainsKey(hostId)) throw new ArgumentException($"host {hostId} is already on the network");
        var k = new SimKernel(profile, seed, defaults) { HostId = hostId };
        k.Wire = new HostWire(this);
        if (NowNs > 0) k.AdvanceClock(NowNs);
        _hosts[hostId] = k;
        return k;
    }

    /// <summary>
    /// The host's machine crashes and comes back: its kernel and sockets are gone (unread and unsent bytes with them)
    /// and a fresh kernel takes its id. Its peers hear nothing until they send: their next segment or FIN meets no
    /// socket and gets a RST (ECONNRESET on their next call). Returns the fresh kernel.
    /// </summary>
    public SimKernel CrashHost(string hostId)
    {
        var old = Host(hostId);
        _hosts.Remove(hostId);
        return AddHost(hostId, old.Profile, 1, old.Defaults);
    }

    /// <summary>The kernel of host <paramref name="hostId"/>; throws KeyNotFoundException for a host not on the network.</summary>
    public SimKernel Host(string hostId) => _hosts.TryGetValue(hostId, out var k) ? k : throw new KeyNotFoundException($"no host {hostId} on the network");

    /// <summary>Configures the link from <paramref name="from"/> to <paramref name="to"/> (one direction).</summary>
    public void SetLink(string from, string to, TcpLink link)
    {
        _links[(from, to)] = link.Checked();
        _linkClocks.Remove((from, to));
    }

    /// <summary>Configures both directions between two hosts.</summary>
    public void SetLinks(string a, string b, TcpLink link)
    {
        SetLink(a, b, link);
        SetLink(b, a, link);
    }

    /// <summary>The link segments from host <paramref name="from"/> to host <paramref name="to"/> take: its own, or <see cref="DefaultLink"/>.</summary>
    public TcpLink LinkOf(string from, string to) => _links.GetValueOrDefault((from, to)) ?? DefaultLink;

    /// <summary>
    /// connect() from <paramref name="clientHost"/> to <paramref name="listener"/> on another host, with its accept: the
    /// SYN, the child socket and the SYN-ACK in one call stack (the handshake takes no virtual time).
    /// </summary>
    public (Sock Client, Sock Server) Connect(SimKernel clientHost, Sock listener, string? clientName = null, string? serverName = null)
    {
        var serverHost = listener.Kernel;
        if (ReferenceEquals(clientHost, serverHost)) throw new ArgumentException("a connection within one host is a loopback connection: use SimKernel.Connect");
        if (!_hosts.ContainsValue(clientHost) || !_hosts.ContainsValue(serverHost)) throw new ArgumentException("both hosts must be on this network");
        var client = clientHost.BeginRemoteConnect(clientName);
        var server = serverHost.AcceptRemote(listener, new TcpWireEndpoint(clientHost.HostId, client.Id), client.LocalPort, client.Rcvbuf, serverName);
        clientHost.CompleteRemoteConnect(client, new TcpWireEndpoint(serverHost.HostId, server.Id), server.LocalPort, server.Remote!.RcvWnd);
        return (client, server);
    }

    private void Enqueue(Event e)
    {
        var clock = LinkClock(e.From.HostId, e.To.HostId);
        long at = clock.Schedule(NowNs, e.Data?.Length ?? 0);
        if (e.Data is { Length: > 0 } d) _bytesInFlight[e.From] = _bytesInFlight.GetValueOrDefault(e.From) + d.Length;
        _events.Enqueue(e, (at, _order++));
    }

    private TcpLinkClock LinkClock(string from, string to)
    {
        if (!_linkClocks.TryGetValue((from, to), out var c)) _linkClocks[(from, to)] = c = new TcpLinkClock(LinkOf(from, to));
        return c;
    }

    /// <summary>Arrival time of the next event, or -1 when the wire is empty.</summary>
    public long NextArrivalNs => _events.TryPeek(out _, out var key) ? key.At : -1;

    /// <summary>Delivers the earliest event (moving the clock to its arrival) and runs the calls it wakes. False when
    /// nothing is in flight.</summary>
    public bool Step()
    {
        if (!_events.TryDequeue(out var e, out var key)) return false;
        // Resumed calls run here and must not capture the caller's context (a test framework's) at their next await.
        var prev = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            AdvanceTo(key.At);
            if (e.Data is { Length: > 0 } d)
            {
                long left = _bytesInFlight[e.From] - d.Length;
                if (left == 0) _bytesInFlight.Remove(e.From);
                else _bytesInFlight[e.From] = left;
            }
            Delivered++;
            Deliver(e);
            RunPending();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(prev);
        }
        return true;
    }

    /// <summary>Delivers everything in flight, including what the deliveries cause, until the wire is empty.</summary>
    public void RunUntilIdle(long maxEvents = 100_000_000)
    {
        long n = 0;
        while (Step())
            if (++n > maxEvents) throw new SimulationDeadlockException($"the network did not settle within {maxEvents} events");
    }

    /// <summary>Delivers the events that arrive up to <paramref name="ns"/>, then moves the clock there.</summary>
    public void RunUntil(long ns)
    {
        while (NextArrivalNs >= 0 && NextArrivalNs <= ns) Step();
        var prev = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            AdvanceTo(ns);
            RunPending();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(prev);
        }
    }

    private void Deliver(Event e)
    {
        if (!_hosts.TryGetValue(e.To.HostId, out var host)) return; // a host that is not there answers nothing
        var sk = host.WireSocket(e.To.SockId);
        if (sk is null || sk.Remote?.Peer != e.From)
        {
            // tcp_v4_rcv finds no socket: tcp_v4_send_reset for data and FIN. A late ACK or RST is absorbed (the
            // finished connection's TIME_WAIT would take an ACK; nothing answers a RST).
            if (e.Kind is Kind.Segment or Kind.Fin) Enqueue(new Event(Kind.Reset, e.To, e.From, 0, 0, null));
            return;
        }
        switch (e.Kind)
        {
            case Kind.Segment:
                sk.WireSegmentArrived(e.Seq, e.Data);
                break;
            case Kind.Ack:
                sk.WireAckArrived(e.Seq, e.Window);
                break;
            case Kind.Fin:
                sk.WireFinArrived(e.Seq);
                break;
            case Kind.Reset:
                sk.WireResetArrived();
                break;
        }
        // release_sock after the softirq's work: a loopback pair of the host (a redirect target) may have moved too.
        sk.ReleaseSock();
    }

    private void AdvanceTo(long ns)
    {
        if (ns <= NowNs) return;
        NowNs = ns;
        foreach (var k in _hosts.Values)
            if (k.NowNs < ns) k.AdvanceClock(ns - k.NowNs);
    }

    private bool RunPending()
    {
        bool any = false;
        foreach (var k in _hosts.Values)
            if (k.Environment is SequentialEnvironment env && env.RunPending()) any = true;
        return any;
    }

    /// <summary>Starts a user-space thread on one of the hosts: <paramref name="body"/> runs now, up to its first sleep
    /// (sleeps park instead of running the engine in place, as with <see cref="SequentialThreads"/>).</summary>
    public Task<T> Start<T>(Func<Task<T>> body)
    {
        foreach (var k in _hosts.Values)
            if (k.Environment is SequentialEnvironment env) env.Threaded = true;
        var prev = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            var t = body();
            _threads.Add(t);
            RunPending();
            return t;
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(prev);
        }
    }

    /// <summary>
    /// Runs until every started thread has finished and the wire is empty: wake-ups first, then the earliest of the next
    /// arrival and the next SO_SNDTIMEO / SO_RCVTIMEO deadline. Throws <see cref="SimulationDeadlockException"/> when
    /// threads sleep with nothing in flight and no deadline (the kernel would hang them).
    /// </summary>
    public void Run()
    {
        var prev = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            while (true)
            {
                if (RunPending()) continue;
                long arrival = NextArrivalNs;
                var (deadline, sleeper) = NextDeadline();
                if (arrival < 0 && _threads.All(t => t.IsCompleted)) break;
                if (deadline >= 0 && (arrival < 0 || deadline < arrival))
                {
                    AdvanceTo(deadline);
                    sleeper!.AdvanceToNextDeadline();
                    continue;
                }
                if (Step()) continue;
                throw new SimulationDeadlockException(
                    $"{_threads.Count(t => !t.IsCompleted)} thread(s) sleep in the kernels with nothing in flight to wake them (virtual time {NowNs} ns)");
            }
            foreach (var t in _threads) t.GetAwaiter().GetResult();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(prev);
        }
    }

    private (long At, SequentialEnvironment? Env) NextDeadline()
    {
        long best = -1;
        SequentialEnvironment? env = null;
        foreach (var k in _hosts.Values)
        {
            if (k.Environment is not SequentialEnvironment e) continue;
            long d = e.NextDeadlineNs;
            if (d >= 0 && (best < 0 || d < best))
            {
                best = d;
                env = e;
            }
        }
        return (best, env);
    }

    /// <summary>One host's wire: puts its segments on the network's event queue.</summary>
    private sealed class HostWire(SimNetwork net) : ITcpWire
    {
        public void SendSegment(TcpWireEndpoint from, TcpWireEndpoint to, long seq, byte[] data) => net.Enqueue(new Event(Kind.Segment, from, to, seq, 0, data));

        public void SendAck(TcpWireEndpoint from, TcpWireEndpoint to, long ack, long window) => net.Enqueue(new Event(Kind.Ack, from, to, ack, window, null));

        public void SendFin(TcpWireEndpoint from, TcpWireEndpoint to, long seq) => net.Enqueue(new Event(Kind.Fin, from, to, seq, 0, null));

        public void SendReset(TcpWireEndpoint from, TcpWireEndpoint to) => net.Enqueue(new Event(Kind.Reset, from, to, 0, 0, null));
    }
}
