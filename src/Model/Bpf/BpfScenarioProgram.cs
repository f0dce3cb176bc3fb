using System.Buffers.Binary;
using SockActors.Model.Maps;
using SockActors.Model.Programs;
using SockActors.Model.Scenarios;

namespace SockActors.Model.Bpf;

/// <summary>
/// The contract's scenario program from a compiled BPF object (shared/conformance README, "The program's maps"):
/// sock_map (SOCKMAP), cfg_map[0] = 12 u32 written by <see cref="Configure"/>, trace_map[0] = u32 n then rows of
/// { u32 size, len, apply_rc, cork_rc, pull_rc, push_rc, pop_rc, verdict; u8 first[8] } (40 bytes) read by
/// <see cref="ReadTrace"/>. Any object with these maps and one sk_msg program works.
/// </summary>
public sealed class BpfScenarioProgram : IScenarioProgram
{
    /// <summary>u32 words of cfg_map[0] the program reads (<see cref="ProgramSpec.ConfigWords"/>).</summary>
    public const int CfgWords = ProgramSpec.ConfigWords;
    /// <summary>Bytes of one trace_map row: eight u32 (size, len, apply_rc, cork_rc, pull_rc, push_rc, pop_rc, verdict) and
    /// the first 8 bytes of the data window.</summary>
    public const int TraceRowSize = 40;
    /// <summary>Bytes of trace_map[0]'s header: u32 n, the number of runs.</summary>
    public const int TraceHeaderSize = 4;

    private readonly ArrayMap _cfg;
    private readonly ArrayMap _trace;

    /// <summary>Wraps a loaded object; throws <see cref="BpfLoadException"/> naming what is missing when it has not exactly
    /// one sk_msg program, a SOCKMAP "sock_map", an array "cfg_map" of at least 48-byte values and an array "trace_map".</summary>
    public BpfScenarioProgram(BpfObject obj)
    {
        Object = obj;
        BpfProgram = obj.SingleSkMsgProgram();
        SockMap = obj.FindMap("sock_map") is SockMap sm ? sm
            : throw new BpfLoadException($"{obj.Name}: the scenario program needs a BPF_MAP_TYPE_SOCKMAP named 'sock_map'");
        _cfg = obj.FindMap("cfg_map") is ArrayMap { ValueSize: >= CfgWords * 4 } c ? c
            : throw new BpfLoadException($"{obj.Name}: the scenario program needs an array map 'cfg_map' with a value of at least {CfgWords * 4} bytes");
        _trace = obj.FindMap("trace_map") is ArrayMap { ValueSize: >= TraceHeaderSize } t ? t
            : throw new BpfLoadException($"{obj.Name}: the scenario program needs an array map 'trace_map' whose value starts with u32 n");
    }

    /// <summary>The loaded object (its maps and programs).</summary>
    public BpfObject Object { get; }

    /// <summary>The object's sk_msg program (budget, faults, instruction counts).</summary>
    public SkMsgBpfProgram BpfProgram { get; }

    /// <inheritdoc/>
    public ISkMsgProgram Program => BpfProgram;

    /// <inheritdoc/>
    public BpfMap SockMap { get; }

    /// <inheritdoc/>
    public void Configure(ProgramSpec spec)
    {
        var v = _cfg.Value(0);
        var words = spec.ToConfigWords();
        for (int i = 0; i < CfgWords; i++) BinaryPrimitives.WriteUInt32LittleEndian(v[(i * 4)..], words[i]);
    }

    /// <inheritdoc/>
    public (IReadOnlyList<ProgramRun> Runs, long Total) ReadTrace()
    {
        var v = _trace.Value(0);
        uint n = BinaryPrimitives.ReadUInt32LittleEndian(v);
        int rows = (int)Math.Min(n, (uint)ScenarioResult.MaxRecordedRuns);
        rows = Math.Min(rows, (v.Length - TraceHeaderSize) / TraceRowSize);
        var runs = new ProgramRun[rows];
        Span<uint> u = stackalloc uint[8];
        for (int i = 0; i < rows; i++)
        {
            var row = v.Slice(TraceHeaderSize + i * TraceRowSize, TraceRowSize);
            for (int k = 0; k < 8; k++) u[k] = BinaryPrimitives.ReadUInt32LittleEndian(row[(k * 4)..]);
            runs[i] = new ProgramRun(u[0], u[1], (int)u[2], (int)u[3], (int)u[4], (int)u[5], (int)u[6], (int)u[7]);
        }
        return (runs, n);
    }

    /// <summary>The first 8 bytes of the data window recorded for run <paramref name="index"/> (row.first).</summary>
    public byte[] FirstBytes(int index)
    {
        var v = _trace.Value(0);
        return v.Slice(TraceHeaderSize + index * TraceRowSize + 32, 8).ToArray();
    }
}

/// <summary>Makes a fresh <see cref="BpfScenarioProgram"/> (fresh maps) per scenario from one object file.</summary>
public sealed class BpfScenarioProgramFactory : IScenarioProgramFactory
{
    private readonly byte[] _image;
    private readonly string _name;

    /// <summary>Reads <paramref name="objectPath"/> and loads it once to fail early with the loader's message
    /// (<see cref="BpfLoadException"/>, or an IO exception for a missing file).</summary>
    public BpfScenarioProgramFactory(string objectPath)
    {
        _image = File.ReadAllBytes(objectPath);
        _name = Path.GetFileName(objectPath);
        _ = new BpfScenarioProgram(BpfObject.Load(_image, _name)); // fail early with the loader's message
    }

    /// <inheritdoc/>
    public string Description => $"BPF object {_name}";

    /// <inheritdoc/>
    public ProgramSource Source => new(_name, _image);

    /// <summary>Called for each program's faults (the program's verdict is then SK_DROP).</summary>
    public Action<BpfFault>? OnFault { get; set; }

    /// <inheritdoc/>
    public IScenarioProgram Create()
    {
        var p = new BpfScenarioProgram(BpfObject.Load(_image, _name));
        p.BpfProgram.OnFault = OnFault;
        return p;
    }
}
