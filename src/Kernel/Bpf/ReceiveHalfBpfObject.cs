using System.Buffers.Binary;
using SockActors.Kernel.Native;
using SockActors.Model.Scenarios;

namespace SockActors.Kernel.Bpf;

/// <summary>
/// The receive half's object (bpf/sk_skb_scenario.bpf.c, conformance/CONTRACT.md "The receive half"), loaded with its
/// sock_map made the SK_MSG object's (bpf_map__reuse_fd), so that both objects' programs work on one map: skb_parser,
/// skb_verdict and scenario_sockops, skb_cfg_map and rx_trace_map. Fresh for every scenario.
/// </summary>
internal sealed unsafe class ReceiveHalfBpfObject : IDisposable
{
    private const int CfgWords = 7 + 2 + 4;
    private const int TraceRows = ScenarioResult.MaxRecordedRuns + 1;
    private const int RowBytes = 3 * 4;
    private const int HeaderBytes = 6 * 4;

    private nint _obj;
    private readonly int _sockMapFd;
    private readonly int _cfgMapFd;
    private readonly int _traceMapFd;
    private readonly uint _traceValueSize;

    private ReceiveHalfBpfObject(string path, int sharedSockMapFd)
    {
        _sockMapFd = sharedSockMapFd;
        _obj = LibBpf.ObjectOpenFile(path, 0);
        if (_obj == 0)
        {
            int e = Libc.Errno;
            throw new KernelDriverException($"libbpf could not open {path}: {Libc.StrError(e)} (errno {e})");
        }
        try
        {
            nint sockMap = LibBpf.FindMapByName(_obj, "sock_map");
            if (sockMap == 0) throw new KernelDriverException($"{path} has no map named sock_map");
            Check(LibBpf.MapReuseFd(sockMap, sharedSockMapFd), "sharing the SK_MSG object's sock_map with the receive half");
            int rc = LibBpf.ObjectLoad(_obj);
            if (rc != 0)
                throw new KernelDriverException($"loading {path} into the kernel failed: {Libc.StrError(-rc)} (errno {-rc}); " +
                                                "the verifier rejected it or CAP_BPF/CAP_NET_ADMIN is missing");
            _cfgMapFd = MapFd("skb_cfg_map", out uint cfgSize);
            _traceMapFd = MapFd("rx_trace_map", out _traceValueSize);
            if (cfgSize < CfgWords * 4) throw new KernelDriverException($"skb_cfg_map values are {cfgSize} bytes, the contract needs {CfgWords * 4}");
            if (_traceValueSize < HeaderBytes + 2 * TraceRows * RowBytes)
                throw new KernelDriverException($"rx_trace_map values are {_traceValueSize} bytes, the contract needs {HeaderBytes + 2 * TraceRows * RowBytes}");
            ParserFd = ProgramFd("skb_parser");
            VerdictFd = ProgramFd("skb_verdict");
            SockOpsFd = ProgramFd("scenario_sockops");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Loads <paramref name="path"/> over the sock_map behind <paramref name="sharedSockMapFd"/>.</summary>
    public static ReceiveHalfBpfObject Load(string path, int sharedSockMapFd) => new(path, sharedSockMapFd);

    public int ParserFd { get; }
    public int VerdictFd { get; }
    public int SockOpsFd { get; }

    private int MapFd(string name, out uint valueSize)
    {
        nint map = LibBpf.FindMapByName(_obj, name);
        if (map == 0) throw new KernelDriverException($"the receive-half object has no map named {name} (see conformance/CONTRACT.md)");
        valueSize = LibBpf.MapValueSize(map);
        return LibBpf.MapFd(map);
    }

    private int ProgramFd(string name)
    {
        nint prog = LibBpf.FindProgramByName(_obj, name);
        if (prog == 0) throw new KernelDriverException($"the receive-half object has no program named {name}");
        return LibBpf.ProgramFd(prog);
    }

    /// <summary>Fills skb_cfg_map[0]: the spec's words, the listeners' ports, the SOCK_OPS keys of c1, p1, c2, p2.</summary>
    public void WriteConfig(ReceiveHalfSpec spec, ushort port1, ushort port2, ReadOnlySpan<uint> opsKeys)
    {
        var words = new uint[CfgWords];
        spec.ToConfigWords().CopyTo(words, 0);
        words[7] = port1;
        words[8] = port2;
        opsKeys.CopyTo(words.AsSpan(9));
        uint key = 0;
        fixed (uint* v = words) Check(LibBpf.MapUpdateElem(_cfgMapFd, &key, v, LibBpf.BpfAny), "writing skb_cfg_map[0]");
    }

    /// <summary>Attaches the parser and the verdict (as stream verdict or skb verdict) to sock_map, as the spec asks.</summary>
    public void AttachToSockMap(ReceiveHalfSpec spec)
    {
        if (spec.Parser != SkbParserKind.None)
            Check(LibBpf.ProgAttach(ParserFd, _sockMapFd, LibBpf.BpfSkSkbStreamParser, 0), "attaching skb_parser as BPF_SK_SKB_STREAM_PARSER");
        if (spec.Verdict != SkbVerdictKind.None)
        {
            int type = spec.SkbVerdict ? LibBpf.BpfSkSkbVerdict : LibBpf.BpfSkSkbStreamVerdict;
            Check(LibBpf.ProgAttach(VerdictFd, _sockMapFd, type, 0), $"attaching skb_verdict as {(spec.SkbVerdict ? "BPF_SK_SKB_VERDICT" : "BPF_SK_SKB_STREAM_VERDICT")}");
        }
    }

    /// <summary>Reads rx_trace_map[0]: the parser and verdict runs (the first 256 of each) and the SOCK_OPS counts.</summary>
    public (SkbTrace Skb, SockOpsTrace SockOps) ReadTrace()
    {
        var buf = new byte[_traceValueSize];
        uint key = 0;
        fixed (byte* b = buf) Check(LibBpf.MapLookupElem(_traceMapFd, &key, b), "reading rx_trace_map[0]");
        uint U(int at) => BinaryPrimitives.ReadUInt32LittleEndian(buf.AsSpan(at));
        List<SkbRun> Rows(int start, uint n)
        {
            int rows = (int)Math.Min(n, (uint)ScenarioResult.MaxRecordedRuns);
            var list = new List<SkbRun>(rows);
            for (int i = 0; i < rows; i++)
            {
                int at = start + i * RowBytes;
                list.Add(new SkbRun((ScenarioSocket)U(at), U(at + 4), BinaryPrimitives.ReadInt32LittleEndian(buf.AsSpan(at + 8))));
            }
            return list;
        }
        uint parserN = U(0), verdictN = U(4);
        var skb = new SkbTrace
        {
            ParserRuns = Rows(HeaderBytes, parserN), ParserTotal = parserN,
            VerdictRuns = Rows(HeaderBytes + TraceRows * RowBytes, verdictN), VerdictTotal = verdictN,
        };
        return (skb, new SockOpsTrace(U(8), U(12), U(16), U(20)));
    }

    private static void Check(int rc, string what) => Fd.CheckLibBpf(rc, what);

    public void Dispose()
    {
        // Closing the object closes its programs; sock_map stays the SK_MSG object's (its fd here is libbpf's dup).
        if (_obj != 0) LibBpf.ObjectClose(_obj);
        _obj = 0;
    }
}
