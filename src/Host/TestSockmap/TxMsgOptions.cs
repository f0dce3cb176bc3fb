namespace SockActors.Host.TestSockmap;

/// <summary>Which SK_MSG program test_sockmap loads (run_options: pass wins over redir, redir over drop).</summary>
public enum TxMsgProgramKind
{
    /// <summary>bpf_prog4: the helpers, then SK_PASS.</summary>
    Pass,

    /// <summary>bpf_prog6: the helpers, then bpf_msg_redirect_map to sock_map_redir.</summary>
    Redirect,

    /// <summary>bpf_prog10: the helpers, then SK_DROP.</summary>
    Drop,
}

/// <summary>
/// The txmsg options of test_sockmap / sockmap_user (--txmsg, --txmsg_redir, --txmsg_drop, --txmsg_ingress,
/// --txmsg_apply, --txmsg_cork, --txmsg_start/--txmsg_end (pull), push start/len, pop start/len): the values the
/// programs read from their array maps (sock_apply_bytes, sock_cork_bytes, sock_bytes[0..5], sock_redir_flags).
/// </summary>
public sealed record TxMsgOptions
{
    public TxMsgProgramKind Program { get; init; } = TxMsgProgramKind.Pass;
    public bool Ingress { get; init; }
    public uint Apply { get; init; }
    public uint Cork { get; init; }
    public uint PullStart { get; init; }
    public uint PullEnd { get; init; }
    public uint PushStart { get; init; }
    public uint PushLen { get; init; }
    public uint PopStart { get; init; }
    public uint PopLen { get; init; }

    /// <summary>The receive half too, as sockmap_user ran it without -t base: the stream parser and verdict on
    /// sock_map, the sockops program filling it, the receiver on p2 (see <see cref="SkbStage"/>).</summary>
    public bool SkSkb { get; init; }

    /// <summary>test_sockmap's skb_use_parser (sock_skb_opts[2]): the length bpf_prog1 returns; 0 = skb->len.</summary>
    public uint SkbParserLength { get; init; }

    public bool Redirecting => Program == TxMsgProgramKind.Redirect;

    /// <summary>The options as a short text for the table: "redir ingress apply=1 pull=1..2".</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (SkSkb) parts.Add(SkbParserLength != 0 ? $"skb(parser={SkbParserLength})+" : "skb+");
        parts.AddRange(new[]
        {
            Program switch { TxMsgProgramKind.Pass => "pass", TxMsgProgramKind.Redirect => "redir", _ => "drop" },
        });
        if (Ingress) parts.Add("ingress");
        if (Apply != 0) parts.Add($"apply={Apply}");
        if (Cork != 0) parts.Add($"cork={Cork}");
        if (PullStart != 0 || PullEnd != 0) parts.Add($"pull={PullStart}..{PullEnd}");
        if (PushLen != 0) parts.Add($"push={PushStart}+{PushLen}");
        if (PopLen != 0) parts.Add($"pop={PopStart}+{PopLen}");
        return string.Join(' ', parts);
    }
}
