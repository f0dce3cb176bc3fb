using SockActors.Actors.Protocol;
using SockActors.Model.Programs;
using SockActors.Model.Scenarios;

namespace SockActors.Cluster.Load;

/// <summary>What a flow does each round.</summary>
public enum FlowKind
{
    /// <summary>The application writes to its proxy: the sockmap program redirects its sends into the proxy's socket
    /// (egress acceleration). A SendMsgBatch, then the proxy drains.</summary>
    Egress,

    /// <summary>The proxy writes to the application: redirected into the application's socket (ingress acceleration).</summary>
    Ingress,

    /// <summary>The proxy writes to the proxy of the next host over TCP between hosts (the wire), through an SK_MSG
    /// program that passes; the far proxy drains.</summary>
    Wire,

    /// <summary>One sendmsg of a stream pattern at its offset over a second connection to the next host, every byte read
    /// back there with recvmsg and compared: nothing lost in the middle, duplicated or reordered.</summary>
    Checked,
}

/// <summary>One stream of a host's sidecar topology: who sends, who reads, and what has been counted so far.</summary>
public sealed class Flow(string hostId, FlowKind kind, int sender, int reader, bool closeReaderAtEnd, string? readerHost = null)
{
    /// <summary>The host of the sending socket.</summary>
    public string HostId { get; } = hostId;

    /// <summary>The host of the reading socket: the same host, or the next one for a flow over the wire.</summary>
    public string ReaderHost { get; } = readerHost ?? hostId;

    public bool CrossesHosts => ReaderHost != HostId;

    /// <summary>The program of a flow over the wire, to connect it again with after a host at either end was lost.</summary>
    public ProgramSpec? WireSpec { get; init; }
    public FlowKind Kind { get; } = kind;
    public int Sender { get; } = sender;
    public int Reader { get; } = reader;

    /// <summary>At the end of the run this flow's reader is closed instead of drained: what it held is purged at close.</summary>
    public bool CloseReaderAtEnd { get; } = closeReaderAtEnd;

    // Counted by the one task that drives the flow, read after it ended.
    public long Sends;
    public long Accepted;
    public long Delivered;
    public long Mismatches;
    public long Corked;
    public long Purged;

    /// <summary>The flow ended with a lost host and was not made again: counted as retired.</summary>
    public bool Done;
}

/// <summary>
/// The sidecar topology of one host, made with protocol messages only (so it is made the same on a sharded host and on
/// a local kernel): an application and its proxy with two connected pairs, app-out/proxy-in (egress) and
/// proxy-out/app-in (ingress), each sender in a sockmap whose SK_MSG program redirects its sends into the peer's
/// receive queue (BPF_F_INGRESS); and TCP connections from this host's proxy to the proxies of its upstreams, the next
/// two hosts (host-N to host-N+1 and host-N+2, wrapping around): one for bulk traffic to each, and one more to the next
/// host for the checked stream, their senders under an SK_MSG program that passes (the checked one applying its
/// verdict to 100 bytes at a time). With one host the checked
/// stream is a local pair redirected as the egress is. Hosts differ by number, so that some
/// programs apply and cork: host-N with N % 4 == 1 applies its egress verdict to 256 bytes at a time, N % 4 == 2 corks
/// its ingress to 1024 bytes, N % 4 == 3 passes its egress through TCP instead of redirecting.
/// </summary>
public static class SidecarHost
{
    public static async Task<Flow[]> SetUpAsync(IHostCalls hosts, string hostId, LoadOptions options, CancellationToken ct)
    {
        int n = HostId.Parse(hostId);
        var t = options.CallTimeout;
        var egressSpec = (n % 4) switch
        {
            1 => new ProgramSpec { Action = ScenarioAction.Redirect, RedirectKey = 1, Ingress = true, Apply = 256 },
            3 => new ProgramSpec(),
            _ => new ProgramSpec { Action = ScenarioAction.Redirect, RedirectKey = 1, Ingress = true },
        };
        var ingressSpec = n % 4 == 2
            ? new ProgramSpec { Action = ScenarioAction.Redirect, RedirectKey = 1, Ingress = true, Cork = 1024 }
            : new ProgramSpec { Action = ScenarioAction.Redirect, RedirectKey = 1, Ingress = true };
        var checkedSpec = new ProgramSpec { Action = ScenarioAction.Redirect, RedirectKey = 1, Ingress = true, Apply = 100 };
        bool close = n % 2 == 0;
        var egress = await PairAsync(hosts, hostId, "app-out", "proxy-in", egressSpec, t, ct);
        var ingress = await PairAsync(hosts, hostId, "proxy-out", "app-in", ingressSpec, t, ct);
        string next = HostId.Of(n % options.Hosts + 1);
        string second = HostId.Of((n + 1) % options.Hosts + 1);
        var flows = new List<Flow>
        {
            new(hostId, FlowKind.Egress, egress.ClientId, egress.ServerId, close),
            new(hostId, FlowKind.Ingress, ingress.ClientId, ingress.ServerId, !close),
        };
        if (next != hostId)
        {
            flows.Add(await WireAsync(hosts, hostId, next, FlowKind.Wire, new ProgramSpec(), t, ct));
            // A mesh proxy has more than one upstream: with three hosts or more, a second one two hosts on.
            if (second != hostId && second != next) flows.Add(await WireAsync(hosts, hostId, second, FlowKind.Wire, new ProgramSpec(), t, ct));
            flows.Add(await WireAsync(hosts, hostId, next, FlowKind.Checked, checkedSpec with { Action = ScenarioAction.Pass }, t, ct));
        }
        else
        {
            var check = await PairAsync(hosts, hostId, "check-out", "check-in", checkedSpec, t, ct);
            flows.Add(new Flow(hostId, FlowKind.Checked, check.ClientId, check.ServerId, close));
        }
        return flows.ToArray();
    }

    /// <summary>A connection from the proxy of <paramref name="hostId"/> to a new listener of the proxy of
    /// <paramref name="peer"/>, its sending socket in a sockmap with the scenario program configured by
    /// <paramref name="spec"/>. Also what a flow over the wire is made again with after a host at either end was lost.</summary>
    public static async Task<Flow> WireAsync(IHostCalls hosts, string hostId, string peer, FlowKind kind, ProgramSpec spec, TimeSpan t, CancellationToken ct)
    {
        var listener = await hosts.AskAsync<SocketCreated>(peer, new Listen(kind == FlowKind.Checked ? "check-listen" : "proxy-listen", 0), t, ct);
        var c = await hosts.AskAsync<RemoteConnected>(hostId, new ConnectRemote(peer, listener.SockId, 0, "proxy-up", "proxy-down"), t, ct);
        if (c.Rc != 0) throw new InvalidOperationException($"{hostId}: connect to {peer} failed ({c.Rc})");
        var prog = await hosts.AskAsync<ProgramLoaded>(hostId, new LoadProgramReference(new ProgramReference(ProgramSource.ScenarioProgramName)), t, ct);
        int map = prog.Maps!.Single(m => m.MapId != 0).MapId;
        Check(hostId, "configure", (await hosts.AskAsync<ProgramResult>(hostId, new ConfigureScenarioProgram(prog.ProgId, spec.ToConfigWords()), t, ct)).Rc);
        Check(hostId, "attach", (await hosts.AskAsync<MapResult>(hostId, new AttachProgram(map, prog.ProgId), t, ct)).Rc);
        Check(hostId, "map update", (await hosts.AskAsync<MapResult>(hostId, new MapUpdate(map, 0, c.ClientId, 0), t, ct)).Rc);
        return new Flow(hostId, kind, c.ClientId, c.ServerId, closeReaderAtEnd: false, readerHost: peer) { WireSpec = spec };
    }

    /// <summary>A connected pair whose client is at key 0 of a fresh sockmap (the scenario program's) and whose server
    /// is at key 1, the program configured by <paramref name="spec"/> and attached.</summary>
    private static async Task<Connected> PairAsync(IHostCalls hosts, string hostId, string client, string server, ProgramSpec spec, TimeSpan t,
        CancellationToken ct)
    {
        var pair = await hosts.AskAsync<Connected>(hostId, new Connect(0, client, server), t, ct);
        var prog = await hosts.AskAsync<ProgramLoaded>(hostId, new LoadProgramReference(new ProgramReference(ProgramSource.ScenarioProgramName)), t, ct);
        int map = prog.Maps!.Single(m => m.MapId != 0).MapId;
        Check(hostId, "configure", (await hosts.AskAsync<ProgramResult>(hostId, new ConfigureScenarioProgram(prog.ProgId, spec.ToConfigWords()), t, ct)).Rc);
        Check(hostId, "attach", (await hosts.AskAsync<MapResult>(hostId, new AttachProgram(map, prog.ProgId), t, ct)).Rc);
        Check(hostId, "map update", (await hosts.AskAsync<MapResult>(hostId, new MapUpdate(map, 0, pair.ClientId, 0), t, ct)).Rc);
        Check(hostId, "map update", (await hosts.AskAsync<MapResult>(hostId, new MapUpdate(map, 1, pair.ServerId, 0), t, ct)).Rc);
        return pair;
    }

    private static void Check(string hostId, string what, long rc)
    {
        if (rc != 0) throw new InvalidOperationException($"{hostId}: {what} failed ({rc})");
    }
}
