namespace SockActors.Model.Scenarios;

/// <summary>One send's length and return code (bytes accepted, or -errno).</summary>
/// <param name="Len">Bytes the send handed to the kernel.</param>
/// <param name="Rc">The send's return: bytes accepted, or -errno.</param>
public readonly record struct SendOutcome(int Len, int Rc);

/// <summary>What a receiver read: a byte count and the 64-bit FNV-1a of the bytes as 16 lower-case hex digits.</summary>
/// <param name="Bytes">Bytes read.</param>
/// <param name="Fnv">Their FNV-1a (<see cref="Fnv1a"/>), 16 hex digits.</param>
public readonly record struct ReceiverResult(long Bytes, string Fnv)
{
    /// <summary>What an empty receiver reads: 0 bytes, the hash of nothing.</summary>
    public static ReceiverResult Empty { get; } = new(0, Fnv1a.ToHex(Fnv1a.OffsetBasis));
}

/// <summary>One program run as the scenario program records it (helper return values, 0 where not called).</summary>
/// <param name="Size">msg->sg.size the run saw, in bytes.</param>
/// <param name="Len">data_end - data after the helpers, in bytes.</param>
/// <param name="Apply">bpf_msg_apply_bytes's return (0 when not called).</param>
/// <param name="Cork">bpf_msg_cork_bytes's return (0 when not called).</param>
/// <param name="Pull">bpf_msg_pull_data's return (0 when not called).</param>
/// <param name="Push">bpf_msg_push_data's return (0 when not called).</param>
/// <param name="Pop">bpf_msg_pop_data's return (0 when not called).</param>
/// <param name="Verdict">The program's return value (SK_PASS 1, SK_DROP 0).</param>
public readonly record struct ProgramRun(uint Size, uint Len, int Apply, int Cork, int Pull, int Push, int Pop, int Verdict);

/// <summary>Which of the contract's sockets an SK_SKB program ran for (the order of its keys: c1, p1, c2, p2).</summary>
public enum ScenarioSocket
{
    /// <summary>The client of the first connection (the sender).</summary>
    C1 = 0,
    /// <summary>The server side of the first connection.</summary>
    P1 = 1,
    /// <summary>The client of the second connection.</summary>
    C2 = 2,
    /// <summary>The server side of the second connection (the redirect target).</summary>
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
    /// <summary>The first 256 parser runs, in order.</summary>
    public IReadOnlyList<SkbRun> ParserRuns { get; init; } = [];
    /// <summary>How often the parser ran in all.</summary>
    public long ParserTotal { get; init; }
    /// <summary>The first 256 verdict runs, in order.</summary>
    public IReadOnlyList<SkbRun> VerdictRuns { get; init; } = [];
    /// <summary>How often the verdict ran in all.</summary>
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

    /// <summary>"sends": each send's length and return code, in order.</summary>
    public IReadOnlyList<SendOutcome> Sends { get; init; } = [];
    /// <summary>"p1": what c1's peer read (SK_PASS traffic).</summary>
    public ReceiverResult P1 { get; init; } = ReceiverResult.Empty;
    /// <summary>"c2": what p2's peer read (egress redirects leave through p2 to c2).</summary>
    public ReceiverResult C2 { get; init; } = ReceiverResult.Empty;
    /// <summary>"p2": what p2 itself read (ingress redirects).</summary>
    public ReceiverResult P2 { get; init; } = ReceiverResult.Empty;
    /// <summary>"runs": the first <see cref="MaxRecordedRuns"/> program runs.</summary>
    public IReadOnlyList<ProgramRun> Runs { get; init; } = [];
    /// <summary>"runs_total": every program run.</summary>
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

    /// <summary>The result of a scenario that ran away, with the reason.</summary>
    public static ScenarioResult RunawayResult(string diagnostic) => new() { Runaway = true, Diagnostic = diagnostic };
}
