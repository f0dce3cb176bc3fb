using SockActors.Model.Maps;
using SockActors.Model.Programs;

namespace SockActors.Model.Bpf;

/// <summary>
/// A BPF_PROG_TYPE_SK_MSG program from an object file (or assembled instructions) that the model's send path runs
/// like any <see cref="ISkMsgProgram"/>. A run that would crash or hang (the verifier would have refused the program)
/// returns 0 (SK_DROP) and reports a <see cref="BpfFault"/> through <see cref="LastFault"/> and <see cref="OnFault"/>.
/// Not thread-safe: one run at a time, as the single-threaded model does.
/// </summary>
public sealed class SkMsgBpfProgram : BpfProgram, ISkMsgProgram
{
    /// <summary>Default instructions per run: the verifier's BPF_COMPLEXITY_LIMIT_INSNS (1M).</summary>
    public const long DefaultInstructionBudget = 1_000_000;

    internal SkMsgBpfProgram(string name, string sectionName, BpfVm vm, string[] originSection, int[] originIndex, IReadOnlyList<BpfMap> maps)
        : base(name, sectionName, vm, originSection, originIndex, maps)
    {
    }

    /// <summary>Instructions a single run may execute before it is stopped with a fault.</summary>
    public long InstructionBudget { get; set; } = DefaultInstructionBudget;

    /// <summary>The fault of the most recent run, or null when it exited normally.</summary>
    public BpfFault? LastFault { get; private set; }

    /// <summary>Called for every fault (the run's verdict is then SK_DROP).</summary>
    public Action<BpfFault>? OnFault { get; set; }

    /// <summary>Every bpf_trace_printk line, besides <see cref="ISkMsgContext.TracePrintk"/>.</summary>
    public Action<string>? OnTrace { get => Vm.TraceSink; set => Vm.TraceSink = value; }

    /// <summary>Instructions executed by the most recent run.</summary>
    public long LastInstructionCount => Vm.LastInstructionCount;

    /// <summary>Instructions executed by all runs so far.</summary>
    public long TotalInstructions { get; private set; }

    /// <summary>Number of runs so far.</summary>
    public long Runs { get; private set; }

    /// <summary>Runs the program; the verdict is r0 as a 32-bit int (the kernel compares the u32 result with SK_PASS).</summary>
    public int Run(ISkMsgContext ctx) => (int)(uint)RunRaw(ctx);

    /// <summary>Runs the program and returns the full 64-bit r0 (0 on a fault), for tests.</summary>
    public ulong RunRaw(ISkMsgContext ctx)
    {
        LastFault = null;
        Runs++;
        try
        {
            return Vm.Run(ctx, InstructionBudget);
        }
        catch (BpfRunFault f)
        {
            var fault = new BpfFault(Name, f.Pc, Location(f.Pc), f.Message);
            LastFault = fault;
            OnFault?.Invoke(fault);
            return 0;
        }
        finally
        {
            TotalInstructions += Vm.LastInstructionCount;
        }
    }

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
        return (SkMsgBpfProgram)BpfProgramBuilder.Build(name, "sk_msg", slots, origins, index, maps ?? [], isSkMsg: true, file: "<instructions>");
    }
}
