using SockActors.Model.Maps;
using SockActors.Model.Programs;

namespace SockActors.Model.Bpf;

/// <summary>
/// A BPF_PROG_TYPE_SK_MSG program from an object file (or assembled instructions) that the model's send path runs
/// like any <see cref="ISkMsgProgram"/>. A run that would crash or hang (the verifier would have refused the program)
/// returns 0 (SK_DROP) and reports a <see cref="BpfFault"/> through <see cref="RunnableBpfProgram.LastFault"/> and <see cref="RunnableBpfProgram.OnFault"/>.
/// Not thread-safe: one run at a time, as the single-threaded model does.
/// </summary>
public sealed class SkMsgBpfProgram : RunnableBpfProgram, ISkMsgProgram
{
    internal SkMsgBpfProgram(string name, string sectionName, BpfVm vm, string[] originSection, int[] originIndex, IReadOnlyList<BpfMap> maps)
        : base(name, sectionName, vm, originSection, originIndex, maps)
    {
    }

    /// <summary>Runs the program; the verdict is r0 as a 32-bit int (the kernel compares the u32 result with SK_PASS).</summary>
    public int Run(ISkMsgContext ctx) => (int)(uint)RunRaw(ctx);

    /// <summary>Runs the program and returns the full 64-bit r0 (0 on a fault), for tests.</summary>
    public ulong RunRaw(ISkMsgContext ctx) => Execute(ctx);

    /// <summary>
    /// Builds a program from raw instruction slots (little-endian u64 each, as <see cref="BpfIsa.Encode"/> makes them).
    /// LD_IMM64 with src 1 (map fd) takes the index into <paramref name="maps"/> as the fd; src 2 (map value) the index
    /// and a byte offset into entry 0 of an array map.
    /// </summary>
    public static SkMsgBpfProgram FromInstructions(string name, ReadOnlySpan<ulong> slots, IReadOnlyList<BpfMap>? maps = null)
    {
        var origins = new string[slots.Length];
        Array.Fill(origins, name);
        var index = Enumerable.Range(0, slots.Length).ToArray();
        return (SkMsgBpfProgram)BpfProgramBuilder.Build(name, "sk_msg", slots, origins, index, maps ?? [], BpfProgramKind.SkMsg, file: "<instructions>");
    }
}
