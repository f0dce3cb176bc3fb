namespace SockActors.Model.Scenarios;

/// <summary>How the sender hands bytes to the kernel (shared/conformance contract: "mode").</summary>
public enum SendMode
{
    /// <summary>sendmsg(2) of each send's bytes (over <see cref="Scenario.Iov"/> iovecs on the live kernel).</summary>
    SendMsg,
    /// <summary>sendfile(2) of each send's bytes from a file holding the stream (the pages are spliced, shared).</summary>
    SendFile,
}

/// <summary>
/// The configuration of the contract's scenario program (shared/conformance README, "The scenario"); missing keys
/// are 0 / false / "pass", a missing redirect_key is 1.
/// </summary>
public sealed record ProgramSpec
{
    /// <summary>"action": pass, drop or redirect.</summary>
    public ScenarioAction Action { get; init; } = ScenarioAction.Pass;
    /// <summary>"redirect_key": the sock_map key to redirect to (0 is c1 itself, 1 is p2, any other an empty slot).</summary>
    public uint RedirectKey { get; init; } = 1;
    /// <summary>"ingress": redirect with BPF_F_INGRESS (into p2's receive side instead of out of p2).</summary>
    public bool Ingress { get; init; }
    /// <summary>"apply": bytes for bpf_msg_apply_bytes, 0 = not called.</summary>
    public uint Apply { get; init; }
    /// <summary>"cork": bytes for bpf_msg_cork_bytes, 0 = not called.</summary>
    public uint Cork { get; init; }
    /// <summary>"pull_start": start of the bpf_msg_pull_data range.</summary>
    public uint PullStart { get; init; }
    /// <summary>"pull_end": end of the bpf_msg_pull_data range, 0 = not called.</summary>
    public uint PullEnd { get; init; }
    /// <summary>"push_start": where bpf_msg_push_data inserts.</summary>
    public uint PushStart { get; init; }
    /// <summary>"push_len": bytes bpf_msg_push_data inserts, 0 = not called.</summary>
    public uint PushLen { get; init; }
    /// <summary>"pop_start": where bpf_msg_pop_data removes.</summary>
    public uint PopStart { get; init; }
    /// <summary>"pop_len": bytes bpf_msg_pop_data removes, 0 = not called.</summary>
    public uint PopLen { get; init; }
    /// <summary>"drop_every": every n-th run (n, 2n, ...) returns SK_DROP whatever the action; 0 = never.</summary>
    public uint DropEvery { get; init; }

    /// <summary>Words of cfg_map[0], the contract's program configuration (shared/conformance README, "The program's
    /// maps").</summary>
    public const int ConfigWords = 12;

    /// <summary>This configuration as cfg_map[0]'s words: action, redir_key, ingress, apply, cork, pull_start, pull_end,
    /// push_start, push_len, pop_start, pop_len, drop_every.</summary>
    public uint[] ToConfigWords() =>
    [
        (uint)Action, RedirectKey, Ingress ? 1u : 0u, Apply, Cork, PullStart, PullEnd, PushStart, PushLen, PopStart, PopLen, DropEvery,
    ];

    /// <summary>The configuration cfg_map[0]'s words describe (<see cref="ToConfigWords"/>, read back).</summary>
    public static ProgramSpec FromConfigWords(ReadOnlySpan<uint> w) => new()
    {
        Action = (ScenarioAction)w[0], RedirectKey = w[1], Ingress = w[2] != 0, Apply = w[3], Cork = w[4], PullStart = w[5],
        PullEnd = w[6], PushStart = w[7], PushLen = w[8], PopStart = w[9], PopLen = w[10], DropEvery = w[11],
    };

    /// <summary>
    /// Where only byte counts are comparable, not checksums: bytes pushed by the program are uninitialised in the
    /// kernel (bpf_msg_push_data, net/core/filter.c, allocates the pushed bytes without clearing them), and a reused
    /// cork message is appended at a stale copy cursor when apply and cork are both set (tcp_bpf_sendmsg /
    /// sk_msg_memcopy_from_iter). The contract names only cork &gt; apply; the live kernel's content also varied run to
    /// run with cork &lt;= apply (14 of 79 recorded cases over 4 runs, e.g. random-1-64, conformance/apply-cork-content-linux-6.18.tsv)
    /// and with apply &gt; cork (apply 50000 / cork 20000: 4 checksums in 5 runs, observed-families-linux-6.18.jsonl),
    /// so every apply + cork combination counts (docs/conformance.md, "Where content is undefined").
    /// </summary>
    public bool ContentIsUndefined => PushLen != 0 || (Apply > 0 && Cork > 0);

    /// <summary>The conformance README's rule: apply with a push at least as long makes the kernel allocate without end.
    /// Such a scenario must never run on a live kernel.</summary>
    public bool CanRunAwayOnKernel => Apply > 0 && PushLen >= Apply;
}

/// <summary>The scenario program's verdict choice.</summary>
public enum ScenarioAction
{
    /// <summary>SK_PASS: the bytes go to c1's peer p1.</summary>
    Pass = 0,
    /// <summary>SK_DROP: the send fails with -EACCES.</summary>
    Drop = 1,
    /// <summary>bpf_msg_redirect_map(sock_map, redirect_key, ingress ? BPF_F_INGRESS : 0): to p2 (or its ingress).</summary>
    Redirect = 2,
}

/// <summary>One scenario of the conformance contract: a program configuration and a sequence of sends from c1.</summary>
public sealed record Scenario
{
    /// <summary>The scenario's name, unique in a set ("random-7-12").</summary>
    public required string Name { get; init; }
    /// <summary>The program's configuration.</summary>
    public ProgramSpec Program { get; init; } = new();
    /// <summary>How c1 sends.</summary>
    public SendMode Mode { get; init; } = SendMode.SendMsg;
    /// <summary>iovecs per sendmsg: the live kernel's sender splits each send into this many (len / iov each, the rest in the
    /// last); the model's copy does not depend on it. Ignored by sendfile.</summary>
    public int Iov { get; init; } = 1;
    /// <summary>The sends, in bytes, in order; each from the next part of the stream (<see cref="StreamPattern"/>).</summary>
    public required IReadOnlyList<int> Sends { get; init; }

    /// <summary>The receive half: SK_SKB programs on sock_map and p1 at key 2 (conformance/CONTRACT.md, "The receive
    /// half"); null for an SK_MSG-only scenario.</summary>
    public ReceiveHalfSpec? Skb { get; init; }

    /// <summary>A SOCK_OPS program on the sockets' cgroup puts them in sock_map as their connections establish (c1 at
    /// ACTIVE_ESTABLISHED, p2 and, with <see cref="Skb"/>, p1 at PASSIVE_ESTABLISHED) instead of the harness.</summary>
    public bool SockOps { get; init; }

    /// <summary>
    /// Where bytes would go round between the two halves for ever: an skb verdict that redirects to the egress of c1
    /// (key 0) or p1 (key 2) sends them to the other one, whose verdict sends them back; one that redirects to p2's
    /// egress runs p2's SK_MSG program on them (skb_send_sock goes through tcp_bpf_sendmsg), and an SK_MSG redirect to
    /// the egress of key 0 or 2 brings them back to p1. The live kernel spins until the sockets close and the model
    /// would not end either, so such scenarios are refused (the scenario reader names why).
    /// </summary>
    public bool BouncesForEver =>
        Skb is { RedirectsToEgress: true } skb &&
        (skb.RedirectKey is 0 or ReceiveHalfSpec.P1Key ||
         (skb.RedirectKey == 1 && Program.Action == ScenarioAction.Redirect && !Program.Ingress && Program.RedirectKey is 0 or ReceiveHalfSpec.P1Key));

    /// <summary>Whether the scenario goes beyond the SK_MSG-only contract (and its result carries the receive-half fields).</summary>
    public bool UsesReceiveHalf => Skb is not null || SockOps;

    /// <summary>Total bytes the scenario hands to the kernel.</summary>
    public long TotalBytes => Sends.Sum(s => (long)s);
}
