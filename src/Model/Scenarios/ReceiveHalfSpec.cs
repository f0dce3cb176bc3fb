namespace SockActors.Model.Scenarios;

/// <summary>What the scenario's SK_SKB stream parser returns (conformance/CONTRACT.md, "The receive half").</summary>
public enum SkbParserKind
{
    /// <summary>No parser attached.</summary>
    None = 0,

    /// <summary>Returns skb->len: every skb the strparser sees (the message so far) is one message.</summary>
    Len = 1,

    /// <summary>Returns <see cref="ReceiveHalfSpec.Frame"/>: fixed-length messages, which span sends or split them;
    /// 0 means "need more data" for ever, a negative value is a parser error.</summary>
    Fixed = 2,
}

/// <summary>What the scenario's SK_SKB verdict program decides.</summary>
public enum SkbVerdictKind
{
    /// <summary>No verdict program attached.</summary>
    None = 0,
    /// <summary>SK_PASS: the skb goes to the socket's receive queue.</summary>
    Pass = 1,
    /// <summary>SK_DROP: the skb is freed.</summary>
    Drop = 2,

    /// <summary>bpf_sk_redirect_map(skb, sock_map, redirect_key, ingress ? BPF_F_INGRESS : 0).</summary>
    Redirect = 3,
}

/// <summary>
/// The receive half of a scenario (conformance/CONTRACT.md, "The receive half"): SK_SKB programs attached to the same
/// sock_map as the SK_MSG program, and p1 put in the map at key 2 so that what c1 sends reaches p1 through them.
/// Every socket in the map runs them (c1 at 0, p2 at 1, p1 at 2); in these scenarios only p1, and c1 where the SK_MSG
/// program redirects out of p1, receive anything.
/// </summary>
public sealed record ReceiveHalfSpec
{
    /// <summary>Key of p1 in sock_map in a receive-half scenario.</summary>
    public const uint P1Key = 2;

    /// <summary>The stream parser program, or none (no BPF_SK_SKB_STREAM_PARSER attached).</summary>
    public SkbParserKind Parser { get; init; }

    /// <summary>What a <see cref="SkbParserKind.Fixed"/> parser returns.</summary>
    public int Frame { get; init; }

    /// <summary>What the verdict program decides for every frame.</summary>
    public SkbVerdictKind Verdict { get; init; } = SkbVerdictKind.Pass;

    /// <summary>Attach the verdict as BPF_SK_SKB_VERDICT (skb by skb, no strparser) instead of BPF_SK_SKB_STREAM_VERDICT.</summary>
    public bool SkbVerdict { get; init; }

    /// <summary>The sock_map key a <see cref="SkbVerdictKind.Redirect"/> verdict redirects to.</summary>
    public uint RedirectKey { get; init; } = 1;
    /// <summary>Redirect with BPF_F_INGRESS: into the target's receive queue instead of out through its send path.</summary>
    public bool Ingress { get; init; }

    /// <summary>The verdict drops run index i when drop_every &gt; 0 and i % drop_every == drop_every - 1.</summary>
    public uint DropEvery { get; init; }

    /// <summary>The verdict redirects to a socket's egress (its bytes leave through that socket's send path).</summary>
    public bool RedirectsToEgress => Verdict == SkbVerdictKind.Redirect && !Ingress;

    /// <summary>Words of skb_cfg_map[0] before the ports: parser, frame, verdict, skb_verdict, redir_key, ingress, drop_every.</summary>
    public uint[] ToConfigWords() =>
        [(uint)Parser, unchecked((uint)Frame), (uint)Verdict, SkbVerdict ? 1u : 0u, RedirectKey, Ingress ? 1u : 0u, DropEvery];
}
