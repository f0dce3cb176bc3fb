using System.Buffers.Binary;
using SockActors.Kernel.Native;
using SockActors.Model.Scenarios;

namespace SockActors.Kernel.Bpf;

/// <summary>
/// A loaded scenario object (conformance README, "The program's maps"): its sock_map, cfg_map, trace_map and its one
/// sk_msg program. Every scenario loads a fresh object, so the trace starts at zero and no state leaks between scenarios.
/// </summary>
internal sealed unsafe class ScenarioBpfObject : IDisposable
{
    private const int CfgWords = ProgramSpec.ConfigWords;
    private const int TraceRows = ScenarioResult.MaxRecordedRuns + 1;
    private const int RowBytes = 8 * 4 + 8;

    private nint _obj;
    private readonly int _progFd;
    private readonly int _sockMapFd;
    private readonly int _cfgMapFd;
    private readonly int _traceMapFd;
    private readonly uint _traceValueSize;

    static ScenarioBpfObject() => LibBpf.SetPrint(0);

    private ScenarioBpfObject(string path)
    {
        _obj = LibBpf.ObjectOpenFile(path, 0);
        if (_obj == 0)
        {
            int e = Libc.Errno;
            throw new KernelDriverException($"libbpf could not open {path}: {Libc.StrError(e)} (errno {e})");
        }
        try
        {
            int rc = LibBpf.ObjectLoad(_obj);
            if (rc != 0)
                throw new KernelDriverException($"loading {path} into the kernel failed: {Libc.StrError(-rc)} (errno {-rc}); " +
                                                "the verifier rejected it or CAP_BPF/CAP_NET_ADMIN is missing");
            _sockMapFd = MapFd("sock_map", out _);
            _cfgMapFd = MapFd("cfg_map", out uint cfgSize);
            _traceMapFd = MapFd("trace_map", out _traceValueSize);
            if (cfgSize < CfgWords * 4) throw new KernelDriverException($"cfg_map values are {cfgSize} bytes, the contract needs {CfgWords * 4}");
            if (_traceValueSize < 4 + TraceRows * RowBytes)
                throw new KernelDriverException($"trace_map values are {_traceValueSize} bytes, the contract needs {4 + TraceRows * RowBytes}");
            nint prog = LibBpf.NextProgram(_obj, 0);
            if (prog == 0) throw new KernelDriverException($"{path} holds no program");
            _progFd = LibBpf.ProgramFd(prog);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public static ScenarioBpfObject Load(string path) => new(path);

    /// <summary>sock_map's fd: the receive half's object shares this map (<see cref="ReceiveHalfBpfObject"/>).</summary>
    public int SockMapFd => _sockMapFd;

    private int MapFd(string name, out uint valueSize)
    {
        nint map = LibBpf.FindMapByName(_obj, name);
        if (map == 0) throw new KernelDriverException($"the BPF object has no map named {name} (see the conformance README)");
        valueSize = LibBpf.MapValueSize(map);
        return LibBpf.MapFd(map);
    }

    /// <summary>Fills cfg_map[0] in the contract's order.</summary>
    public void WriteConfig(ProgramSpec p)
    {
        uint key = 0;
        fixed (uint* v = p.ToConfigWords())
            Check(LibBpf.MapUpdateElem(_cfgMapFd, &key, v, LibBpf.BpfAny), "writing cfg_map[0]");
    }

    /// <summary>Attaches the sk_msg program to sock_map (BPF_SK_MSG_VERDICT); the contract wants this before inserts.</summary>
    public void AttachToSockMap() =>
        Check(LibBpf.ProgAttach(_progFd, _sockMapFd, LibBpf.BpfSkMsgVerdict, 0), "attaching the sk_msg program to sock_map");

    public void InsertSocket(uint key, int socketFd)
    {
        uint value = (uint)socketFd;
        Check(LibBpf.MapUpdateElem(_sockMapFd, &key, &value, LibBpf.BpfAny), $"inserting a socket at sock_map[{key}]");
    }

    /// <summary>Reads trace_map[0]: the run count and the first min(n, 256) rows.</summary>
    public (long Total, List<ProgramRun> Runs) ReadTrace()
    {
        var buf = new byte[_traceValueSize];
        uint key = 0;
        fixed (byte* b = buf) Check(LibBpf.MapLookupElem(_traceMapFd, &key, b), "reading trace_map[0]");
        uint n = BinaryPrimitives.ReadUInt32LittleEndian(buf);
        int rows = (int)Math.Min(n, (uint)ScenarioResult.MaxRecordedRuns);
        var runs = new List<ProgramRun>(rows);
        for (int i = 0; i < rows; i++)
        {
            int row = 4 + i * RowBytes;
            uint U(int k) => BinaryPrimitives.ReadUInt32LittleEndian(buf.AsSpan(row + k * 4));
            int S(int k) => BinaryPrimitives.ReadInt32LittleEndian(buf.AsSpan(row + k * 4));
            runs.Add(new ProgramRun(U(0), U(1), S(2), S(3), S(4), S(5), S(6), S(7)));
        }
        return (n, runs);
    }

    private static void Check(int rc, string what) => Fd.CheckLibBpf(rc, what);

    public void Dispose()
    {
        // Closing the object closes the program and map fds; the sockmap releases its sockets once no fd holds it.
        if (_obj != 0) LibBpf.ObjectClose(_obj);
        _obj = 0;
    }
}
