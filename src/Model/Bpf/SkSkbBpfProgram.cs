using SockActors.Model.Maps;
using SockActors.Model.Programs;

namespace SockActors.Model.Bpf;

/// <summary>A BPF_PROG_TYPE_SK_SKB program from an object file (sections sk_skb, sk_skb/stream_parser,
/// sk_skb/stream_verdict, sk_skb/verdict, or the 4.17 samples' sk_skb1, sk_skb2...). A faulting run returns 0 (for a
/// parser: need more data; for a verdict: SK_DROP).</summary>
public sealed class SkSkbBpfProgram : RunnableBpfProgram, ISkSkbProgram
{
    internal SkSkbBpfProgram(string name, string sectionName, BpfVm vm, string[] originSection, int[] originIndex, IReadOnlyList<BpfMap> maps)
        : base(name, sectionName, vm, originSection, originIndex, maps)
    {
    }

    /// <summary>The attach type libbpf derives from the section name, or null for a plain "sk_skb" section.</summary>
    public SockAttachType? ExpectedAttachType => SectionName switch
    {
        "sk_skb/stream_parser" => SockAttachType.SkSkbStreamParser,
        "sk_skb/stream_verdict" => SockAttachType.SkSkbStreamVerdict,
        "sk_skb/verdict" => SockAttachType.SkSkbVerdict,
        _ => null,
    };

    /// <summary>Runs the program; r0 as a 32-bit int (a parser's length may be negative).</summary>
    public int Run(ISkSkbContext ctx) => (int)(uint)Execute(ctx);
}

/// <summary>A BPF_PROG_TYPE_SOCK_OPS program from an object file (section sockops).</summary>
public sealed class SockOpsBpfProgram : RunnableBpfProgram, ISockOpsProgram
{
    internal SockOpsBpfProgram(string name, string sectionName, BpfVm vm, string[] originSection, int[] originIndex, IReadOnlyList<BpfMap> maps)
        : base(name, sectionName, vm, originSection, originIndex, maps)
    {
    }

    /// <inheritdoc/>
    public int Run(ISockOpsContext ctx) => (int)(uint)Execute(ctx);
}
