namespace SockActors.Model.Scenarios;

/// <summary>One send's length and return code (bytes accepted, or -errno).</summary>
public readonly record struct SendOutcome(int Len, int Rc);

/// <summary>What a receiver read: a byte count and the 64-bit FNV-1a of the bytes as 16 lower-case hex digits.</summary>
public readonly record struct ReceiverResult(long Bytes, string Fnv)
{
    public static ReceiverResult Empty { get; } = new(0, Fnv1a.ToHex(Fnv1a.OffsetBasis));
}

/// <summary>One program run as the scenario program records it (helper return values, 0 where not called).</summary>
public readonly record struct ProgramRun(uint Size, uint Len, int Apply, int Cork, int Pull, int Push, int Pop, int Verdict);

/// <summary>Which of the contract's sockets an SK_SKB program ran for (the order of its keys: c1, p1, c2, p2).</summary>
public enum ScenarioSocket
{
    C1 = 0,
    P1 = 1,
    C2 = 2,
    P2 = 3,

    /// <summary>A socket that is none of the four.</summary>
    Other = 255,
}

/// <summary>One SK_SKB program run as the receive-half programs record it: the socket, skb->len and r0 (the parser's
/// length, or the verdict: SK_PASS 1 / SK_DROP 0, the redirect helper's value for a redirect).</summary>
public readonly record struct SkbRun(ScenarioSocket Sk, uint Len, int Rc);

/// <summary>The receive half's trace: the first 256 parser and verdict runs and their totals.</summary>
public sealed record SkbTrace
{
    public IReadOnlyList<SkbRun> ParserRuns { get; init; } = [];
    public long ParserTotal { get; init; }
    public IReadOnlyList<SkbRun> VerdictRuns { get; init; } = [];
    public long VerdictTotal { get; init; }
}

/// <summary>The SOCK_OPS program's counts: established callbacks (active, passive) for the contract's four sockets,
/// and its bpf_sock_map_update calls that returned 0 and that failed.</summary>
public readonly record struct SockOpsTrace(long Active, long Passive, long Updates, long UpdateErrors);

/// <summary>The result shape of the conformance contract.</summary>
public sealed record ScenarioResult
{
    /// <summary>The contract records at most this many runs; <see cref="RunsTotal"/> counts all of them.</summary>
    public const int MaxRecordedRuns = 256;

    public IReadOnlyList<SendOutcome> Sends { get; init; } = [];
    public ReceiverResult P1 { get; init; } = ReceiverResult.Empty;
    public ReceiverResult C2 { get; init; } = ReceiverResult.Empty;
    public ReceiverResult P2 { get; init; } = ReceiverResult.Empty;
    public IReadOnlyList<ProgramRun> Runs { get; init; } = [];
    public long RunsTotal { get; init; }

    /// <summary>The receive half's program runs (a scenario with "skb"); null otherwise.</summary>
    public SkbTrace? Skb { get; init; }

    /// <summary>The SOCK_OPS program's counts (a scenario with "sockops"); null otherwise.</summary>
    public SockOpsTrace? SockOps { get; init; }

    /// <summary>The kernel would loop and allocate without end; the other fields are meaningless.</summary>
    public bool Runaway { get; init; }

    /// <summary>Why the simulation reported a runaway (not part of the contract's result object).</summary>
    public string? Diagnostic { get; init; }

    /// <summary>Known kernel defects this run trips (<see cref="KernelDefects"/>); not part of the contract's result object.</summary>
    public IReadOnlyList<KernelWarning> Warnings { get; init; } = [];

    /// <summary>
    /// What p1 would have read had the ~200 ms TCP probe timer released the bytes c1 held back with MSG_MORE before
    /// p1's read window closed; null when nothing was held. The kernel answers either way (timer against read window),
    /// so a comparison accepts this as the kernel's other answer. Simulation only; not part of the contract.
    /// </summary>
    public ReceiverResult? P1IfHeldArrive { get; init; }

    public static ScenarioResult RunawayResult(string diagnostic) => new() { Runaway = true, Diagnostic = diagnostic };
}
