using System.Buffers.Binary;
using SockActors.Model.Maps;
using SockActors.Model.Programs;

namespace SockActors.Model.Scenarios;

/// <summary>
/// The receive half's programs in C# (conformance/CONTRACT.md, "The receive half"), the twins of
/// bpf/sk_skb_scenario.bpf.c: a stream parser, a verdict and a SOCK_OPS program over the scenario's sock_map, with
/// the same configuration (skb_cfg_map) and the same trace (rx_trace_map).
/// </summary>
public sealed class ReceiveHalfPrograms
{
    /// <summary>skb_cfg_map's "not inserted" key for a socket the SOCK_OPS program leaves out.</summary>
    public const uint NoKey = uint.MaxValue;

    private readonly SockMap _map;
    private ReceiveHalfSpec _spec = new();
    private uint _port1, _port2;
    private readonly uint[] _opsKeys = [NoKey, NoKey, NoKey, NoKey];
    private readonly List<SkbRun> _parserRuns = new(), _verdictRuns = new();
    private long _parserTotal, _verdictTotal;
    private long _active, _passive, _updates, _updateErrors;

    /// <summary>The three programs of a receive-half scenario over <paramref name="map"/> (the scenario's sock_map), with empty traces.</summary>
    public ReceiveHalfPrograms(SockMap map)
    {
        _map = map;
        Parser = new ParserProgram(this);
        Verdict = new VerdictProgram(this);
        SockOps = new SockOpsProgram(this);
    }

    /// <summary>The BPF_SK_SKB_STREAM_PARSER program: returns the frame length the spec names.</summary>
    public ISkSkbProgram Parser { get; }
    /// <summary>The SK_SKB verdict program: pass, drop or redirect as the spec says, counting its runs.</summary>
    public ISkSkbProgram Verdict { get; }
    /// <summary>The SOCK_OPS program: adds established sockets to the map under the configured keys (bpf_sock_map_update).</summary>
    public ISockOpsProgram SockOps { get; }

    /// <summary>Fills skb_cfg_map[0]: the receive-half spec, the two listeners' ports, and the keys the SOCK_OPS program
    /// gives c1, p1, c2 and p2 (<see cref="NoKey"/> for none).</summary>
    public void Configure(ReceiveHalfSpec spec, ushort port1, ushort port2, ReadOnlySpan<uint> opsKeys)
    {
        _spec = spec;
        _port1 = port1;
        _port2 = port2;
        opsKeys.CopyTo(_opsKeys);
    }

    /// <summary>A copy of the parser and verdict runs so far (what the kernel driver reads from its trace map).</summary>
    public SkbTrace ReadSkbTrace() => new()
    {
        ParserRuns = _parserRuns.ToList(), ParserTotal = _parserTotal, VerdictRuns = _verdictRuns.ToList(), VerdictTotal = _verdictTotal,
    };

    /// <summary>The SOCK_OPS counts so far: active and passive established callbacks, map updates and failed updates.</summary>
    public SockOpsTrace ReadSockOpsTrace() => new(_active, _passive, _updates, _updateErrors);

    /// <summary>Which contract socket these addresses belong to: a local port equal to a listener's is its accepted
    /// socket (p1, p2), a remote port equal to it is its client (c1, c2); null for another socket.</summary>
    private ScenarioSocket? Role(SocketAddresses a)
    {
        uint remote = BinaryPrimitives.ReverseEndianness(a.RemotePort);
        if (a.LocalPort == _port1) return ScenarioSocket.P1;
        if (a.LocalPort == _port2) return ScenarioSocket.P2;
        if (remote == _port1) return ScenarioSocket.C1;
        if (remote == _port2) return ScenarioSocket.C2;
        return null;
    }

    private static void Record(List<SkbRun> rows, SkbRun run)
    {
        if (rows.Count < ScenarioResult.MaxRecordedRuns) rows.Add(run);
    }

    /// <summary>skb_parser: skb->len, or the configured frame; records (socket, len, r0).</summary>
    private sealed class ParserProgram(ReceiveHalfPrograms owner) : ISkSkbProgram
    {
        public string Name => "skb_parser (C#)";

        public int Run(ISkSkbContext ctx)
        {
            int rc = owner._spec.Parser == SkbParserKind.Fixed ? owner._spec.Frame : (int)ctx.Len;
            owner._parserTotal++;
            Record(owner._parserRuns, new SkbRun(owner.Role(ctx.Addresses) ?? ScenarioSocket.Other, ctx.Len, rc));
            return rc;
        }
    }

    /// <summary>skb_verdict: DROP for verdict drop or every drop_every-th run (counted from 0), the redirect helper's
    /// value for redirect, else PASS; records (socket, len, r0).</summary>
    private sealed class VerdictProgram(ReceiveHalfPrograms owner) : ISkSkbProgram
    {
        public string Name => "skb_verdict (C#)";

        public int Run(ISkSkbContext ctx)
        {
            var s = owner._spec;
            long index = owner._verdictTotal++;
            uint len = ctx.Len;
            int rc;
            if (s.Verdict == SkbVerdictKind.Drop || (s.DropEvery > 0 && index % s.DropEvery == s.DropEvery - 1))
                rc = SkAction.Drop;
            else if (s.Verdict == SkbVerdictKind.Redirect)
                rc = (int)ctx.SkRedirectMap(owner._map, s.RedirectKey, s.Ingress ? BpfRedirectFlags.Ingress : 0);
            else
                rc = SkAction.Pass;
            Record(owner._verdictRuns, new SkbRun(owner.Role(ctx.Addresses) ?? ScenarioSocket.Other, len, rc));
            return rc;
        }
    }

    /// <summary>sockops: at ACTIVE_ESTABLISHED (c1, c2) and PASSIVE_ESTABLISHED (p1, p2) counts the callback and, where
    /// the configuration gives the socket a key, bpf_sock_map_update(ops, sock_map, key, BPF_ANY).</summary>
    private sealed class SockOpsProgram(ReceiveHalfPrograms owner) : ISockOpsProgram
    {
        public string Name => "scenario_sockops (C#)";

        public int Run(ISockOpsContext ctx)
        {
            if (ctx.Op is not (SockOpsOp.ActiveEstablishedCb or SockOpsOp.PassiveEstablishedCb)) return 1;
            var role = owner.Role(ctx.Addresses);
            if (role is null) return 1;
            bool active = ctx.Op == SockOpsOp.ActiveEstablishedCb;
            if (active != (role is ScenarioSocket.C1 or ScenarioSocket.C2)) return 1;
            if (active) owner._active++;
            else owner._passive++;
            uint key = owner._opsKeys[(int)role.Value];
            if (key == NoKey) return 1;
            if (ctx.SockMapUpdate(owner._map, key, BpfUpdateFlags.Any) == 0) owner._updates++;
            else owner._updateErrors++;
            return 1;
        }
    }
}
