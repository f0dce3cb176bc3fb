using SockActors.Model.Maps;

namespace SockActors.Model.Bpf;

/// <summary>
/// A loaded program of a type the simulation runs (SK_MSG, SK_SKB, SOCK_OPS): the instruction budget, fault
/// reporting and run statistics they share. A run that would crash or hang (the verifier would have refused the
/// program) returns 0 and reports a <see cref="BpfFault"/>. Not thread-safe: one run at a time.
/// </summary>
public abstract class RunnableBpfProgram : BpfProgram
{
    /// <summary>Default instructions per run: the verifier's BPF_COMPLEXITY_LIMIT_INSNS (1M).</summary>
    public const long DefaultInstructionBudget = 1_000_000;

    private protected RunnableBpfProgram(string name, string sectionName, BpfVm vm, string[] originSection, int[] originIndex, IReadOnlyList<BpfMap> maps)
        : base(name, sectionName, vm, originSection, originIndex, maps)
    {
    }

    /// <summary>Instructions a single run may execute before it is stopped with a fault.</summary>
    public long InstructionBudget { get; set; } = DefaultInstructionBudget;

    /// <summary>The fault of the most recent run, or null when it exited normally.</summary>
    public BpfFault? LastFault { get; private set; }

    /// <summary>Called for every fault (the run then returns 0).</summary>
    public Action<BpfFault>? OnFault { get; set; }

    /// <summary>Every bpf_trace_printk line, besides the context's TracePrintk.</summary>
    public Action<string>? OnTrace { get => Vm.TraceSink; set => Vm.TraceSink = value; }

    /// <summary>Instructions executed by the most recent run.</summary>
    public long LastInstructionCount => Vm.LastInstructionCount;

    /// <summary>Instructions executed by all runs so far.</summary>
    public long TotalInstructions { get; private set; }

    /// <summary>Number of runs so far.</summary>
    public long Runs { get; private set; }

    /// <summary>Runs the program on <paramref name="ctx"/> (an SK_MSG, SK_SKB or SOCK_OPS context) with the budget; a
    /// fault becomes 0 plus <see cref="LastFault"/>. No allocation per run.</summary>
    private protected ulong Execute(object ctx)
    {
        LastFault = null;
        Runs++;
        try
        {
            return ctx switch
            {
                Programs.ISkMsgContext m => Vm.Run(m, InstructionBudget),
                Programs.ISkSkbContext s => Vm.Run(s, InstructionBudget),
                Programs.ISockOpsContext o => Vm.Run(o, InstructionBudget),
                _ => throw new ArgumentException($"not a program context: {ctx.GetType().Name}", nameof(ctx)),
            };
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
}
