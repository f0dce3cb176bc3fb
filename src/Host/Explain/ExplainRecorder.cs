using SockActors.Model.Msg;
using SockActors.Model.Net;
using SockActors.Model.Programs;
using SockActors.Model.Scenarios;

namespace SockActors.Host.Explain;

/// <summary>
/// Listens to one simulated kernel while a scenario or matrix case runs and builds its <see cref="ExplainPicture"/>:
/// program runs from <see cref="SimKernel.ProgramRan"/> (with the sk_msg_md fields and helper calls of the wrapped
/// program), where the sender's bytes went from <see cref="SimKernel.BytesMoved"/>, sends from the runner, and what
/// was left in queues and the cork before the receivers read and before close. It only observes: nothing it does
/// changes the verdict path.
/// </summary>
public sealed class ExplainRecorder
{
    /// <summary>Runs drawn per picture (the contract's trace keeps 256 too); later runs are counted, and their bytes
    /// still flow into the picture, merged.</summary>
    public const int MaxRuns = 256;

    /// <summary>Flows kept apart per run and send; past this many, a flow of the same kind and target as the last one
    /// is merged into it, so that a long case stays a picture.</summary>
    public const int MaxFlows = 300;

    private Sock _sender = null!;
    private Dictionary<int, Sock> _socks = new();
    private Dictionary<int, string?> _peerNames = new();
    private readonly Dictionary<int, long> _purged = new();
    private readonly Dictionary<string, long> _purgedInFlight = new();
    private readonly Dictionary<string, long> _heldAtRead = new();
    private readonly Dictionary<string, long> _unreadAtClose = new();
    private readonly List<RunBuilder> _runs = new();
    private readonly List<ExplainFlow> _flows = new();
    private readonly List<ExplainSend> _sends = new();
    private ObservedRun? _observed;
    private RunBuilder? _open;
    private long _currentRun = -1;
    private long _runsTotal;
    private long _cursor;
    private long _stream;
    private bool _closing;
    private bool _sendEnded;

    public ExplainRecorder(SimKernel kernel)
    {
        kernel.ProgramRan += OnProgramRan;
        kernel.BytesMoved += OnBytesMoved;
    }

    /// <summary>The topology once it is built: the socket that sends and every socket that may receive.</summary>
    public void Track(Sock sender, IReadOnlyList<Sock> sockets)
    {
        _sender = sender;
        _socks = sockets.ToDictionary(s => s.Id);
        _peerNames = sockets.ToDictionary(s => s.Id, s => s.Peer?.Name);
        foreach (var s in sockets) _purged[s.Id] = s.PurgedBytes;
    }

    /// <summary>The program to attach instead of <paramref name="program"/>: the same program, observed.</summary>
    public ISkMsgProgram Wrap(ISkMsgProgram program) => new RecordingSkMsgProgram(program, SettleOpenRun, () => _runs.Count < MaxRuns, r => _observed = r);

    /// <summary>A factory whose programs are observed (for <see cref="ScenarioTopology.Build"/>).</summary>
    public IScenarioProgramFactory Wrap(IScenarioProgramFactory factory) => new WrappingFactory(factory, this);

    private void OnProgramRan(VerdictEvent e)
    {
        SettleOpenRun();
        _runsTotal++;
        _currentRun = e.RunIndex;
        var observed = _observed;
        _observed = null;
        if (_runs.Count >= MaxRuns || _sender is null) return;
        string? target = e.RedirectSockId != 0 && _socks.TryGetValue(e.RedirectSockId, out var t) ? t.Name : null;
        _open = new RunBuilder
        {
            Index = e.RunIndex,
            Sock = e.SockName,
            Offset = e.SockId == _sender.Id ? _cursor : -1,
            SizeAfter = e.Size,
            Size = observed?.Size ?? e.Size,
            Len = observed?.Len ?? 0,
            Verdict = e.Verdict switch { SkVerdict.Pass => "pass", SkVerdict.Redirect => "redirect", _ => "drop" },
            RedirectTo = target,
            Ingress = e.Ingress,
            ApplyRequested = e.ApplyBytes,
            CorkRequested = e.CorkBytes,
            Helpers = observed?.Helpers ?? [],
            Md = observed?.Md ?? new Dictionary<string, string>(),
        };
        _runs.Add(_open);
    }

    private void OnBytesMoved(ByteFlowEvent e)
    {
        if (!_socks.TryGetValue(e.SockId, out var sk)) return;
        CheckPurges();
        bool fromSender = e.SockId == _sender.Id;
        var (kind, to, via) = (e.Kind, fromSender) switch
        {
            (ByteFlowKind.TcpQueued, true) => ("delivered", _peerNames[e.SockId], (string?)e.SockName),
            (ByteFlowKind.TcpQueued, false) => ("redirect-egress", _peerNames[e.SockId], e.SockName),
            (ByteFlowKind.Ingress, _) => ("redirect-ingress", sk.Name, null),
            (ByteFlowKind.Dropped, _) => ("dropped", null, null),
            _ => ("freed", null, null),
        };
        AddFlow(kind, to, via, e.Bytes);
    }

    private void AddFlow(string kind, string? to, string? via, long bytes)
    {
        if (_flows.Count > 0 && (!_sendEnded || _flows.Count >= MaxFlows))
        {
            var last = _flows[^1];
            bool sameRun = last.Run == _currentRun || (last.Run >= MaxRuns && _currentRun >= MaxRuns) || _flows.Count >= MaxFlows;
            if (sameRun && last.Kind == kind && last.To == to && last.Via == via)
            {
                _flows[^1] = last with { Bytes = last.Bytes + bytes };
                _cursor += bytes;
                return;
            }
        }
        // A later send's bytes get a flow of their own, even under the verdict an earlier run left cached.
        _sendEnded = false;
        _flows.Add(new ExplainFlow(_currentRun, _cursor, bytes, kind, to, via));
        _cursor += bytes;
    }

    /// <summary>Purges between events (ingress messages that could not be read or queued) are noted per socket.</summary>
    private void CheckPurges()
    {
        foreach (var (id, sk) in _socks)
        {
            long delta = sk.PurgedBytes - _purged[id];
            if (delta <= 0) continue;
            _purged[id] = sk.PurgedBytes;
            if (!_closing) _purgedInFlight[sk.Name] = _purgedInFlight.GetValueOrDefault(sk.Name) + delta;
        }
    }

    /// <summary>The psock's apply and cork state once the send path has acted on the open run.</summary>
    private void SettleOpenRun()
    {
        if (_open is null) return;
        var psock = _socks.TryGetValue(_sender.Id, out var s) && _open.Sock == s.Name ? s.Psock : null;
        _open.ApplyLeft = psock?.ApplyBytes;
        _open.CorkLeft = psock?.CorkBytes;
        _open.CorkHeld = psock is null ? null : psock.Cork?.Size ?? 0;
        _open = null;
    }

    /// <summary>A send of the sender ended: <paramref name="len"/> bytes asked, <paramref name="rc"/> returned.
    /// The stream advances as the contract says (by rc when rc &gt; 0, else by the length).</summary>
    public void SendDone(int len, long rc)
    {
        SettleOpenRun();
        CheckPurges();
        long start = _sends.Count == 0 ? 0 : _sends[^1].MessageEnd;
        long end = _cursor + (_sender.Psock?.Cork?.Size ?? 0);
        _sends.Add(new ExplainSend(_sends.Count, _stream, len, rc, start, Math.Max(start, end)));
        _sendEnded = true;
        _stream += rc > 0 ? rc : len;
    }

    /// <summary>Before the receivers read: what each socket still holds in its write queue (MSG_MORE, window) and what
    /// stays in the sender's cork (purged at close).</summary>
    public void BeforeRead()
    {
        SettleOpenRun();
        CheckPurges();
        foreach (var sk in _socks.Values)
            if (sk.HeldBytes > 0 && _peerNames[sk.Id] is { } peer) _heldAtRead[peer] = sk.HeldBytes;
        uint corked = _sender.Psock?.Cork?.Size ?? 0;
        if (corked > 0) AddFlow("corked", null, null, corked);
    }

    /// <summary>After the receivers read and before close: bytes that arrived but were not read (purged at close).</summary>
    public void BeforeClose()
    {
        CheckPurges();
        foreach (var sk in _socks.Values)
        {
            long unread = sk.ReceiveQueueBytes + sk.IngressBytes;
            if (unread > 0) _unreadAtClose[sk.Name] = unread;
        }
        // What close purges is accounted above as unread; it is not a purge of the send path.
        _closing = true;
    }

    /// <summary>The picture: <paramref name="receivers"/> are the sockets read and what they read.</summary>
    public ExplainPicture Finish(string title, string engine, string profile, string? input,
        IReadOnlyList<(string Name, long Read, string? Fnv)> receivers, IReadOnlyList<ExplainWarning> warnings, string? verdict = null)
    {
        SettleOpenRun();
        CheckPurges();
        var rows = receivers.Select(r =>
        {
            long arrived = _flows.Where(f => f.To == r.Name && f.Kind != "corked").Sum(f => f.Bytes);
            return new ExplainReceiver(r.Name, r.Read, r.Fnv, arrived, r.Read < arrived ? NotRead(r.Name) : null);
        }).ToList();
        return new ExplainPicture
        {
            Title = title, Engine = engine, Profile = profile, Input = input, Sender = _sender.Name,
            StreamBytes = _stream, MessageBytes = _cursor, Sends = _sends.ToList(),
            Runs = _runs.Select(r => r.Build()).ToList(), RunsTotal = _runsTotal,
            Flows = _flows.ToList(), FlowsKnown = true, Receivers = rows, Warnings = warnings, Verdict = verdict,
        };
    }

    private string? NotRead(string name)
    {
        var why = new List<string>();
        if (_heldAtRead.TryGetValue(name, out long held)) why.Add($"{held} held in the sender's write queue (MSG_MORE or window) when it was read");
        if (_unreadAtClose.TryGetValue(name, out long unread)) why.Add($"{unread} unread at close (purged)");
        if (_purgedInFlight.TryGetValue(name, out long purged)) why.Add($"{purged} purged from ingress_msg (unreadable or psock stopped)");
        return why.Count == 0 ? null : string.Join("; ", why);
    }

    private sealed class RunBuilder
    {
        public long Index;
        public required string Sock;
        public long Offset;
        public uint Size, SizeAfter, Len, ApplyRequested, CorkRequested;
        public required string Verdict;
        public string? RedirectTo;
        public bool Ingress;
        public uint? ApplyLeft, CorkLeft, CorkHeld;
        public IReadOnlyList<ExplainHelperCall> Helpers = [];
        public IReadOnlyDictionary<string, string> Md = new Dictionary<string, string>();

        public ExplainRun Build() => new()
        {
            Index = Index, Sock = Sock, Offset = Offset, Size = Size, SizeAfter = SizeAfter, Len = Len, Verdict = Verdict,
            RedirectTo = RedirectTo, Ingress = Ingress, ApplyRequested = ApplyRequested, CorkRequested = CorkRequested,
            ApplyLeft = ApplyLeft, CorkLeft = CorkLeft, CorkHeld = CorkHeld, Helpers = Helpers, Md = Md,
        };
    }

    private sealed class WrappingFactory(IScenarioProgramFactory inner, ExplainRecorder recorder) : IScenarioProgramFactory
    {
        public string Description => inner.Description;
        public IScenarioProgram Create() => new WrappedProgram(inner.Create(), recorder);
    }

    private sealed class WrappedProgram(IScenarioProgram inner, ExplainRecorder recorder) : IScenarioProgram
    {
        public ISkMsgProgram Program { get; } = recorder.Wrap(inner.Program);
        public Model.Maps.BpfMap SockMap => inner.SockMap;
        public void Configure(ProgramSpec spec) => inner.Configure(spec);
        public (IReadOnlyList<ProgramRun> Runs, long Total) ReadTrace() => inner.ReadTrace();
    }
}
