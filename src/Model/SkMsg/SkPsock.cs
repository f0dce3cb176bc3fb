using SockActors.Model.Net;
using SockActors.Model.Programs;

namespace SockActors.Model.Msg;

/// <summary>The programs a psock carries (struct sk_psock_progs), copied from a map when the socket is inserted.</summary>
public sealed class SkPsockProgs
{
    /// <summary>progs.msg_parser: the SK_MSG verdict program (BPF_SK_MSG_VERDICT).</summary>
    public ISkMsgProgram? MsgParser;
    /// <summary>progs.stream_parser: the SK_SKB stream parser (an <see cref="ISkSkbProgram"/>).</summary>
    public object? StreamParser;
    /// <summary>progs.stream_verdict: the SK_SKB stream verdict (an <see cref="ISkSkbProgram"/>).</summary>
    public object? StreamVerdict;
    /// <summary>progs.skb_verdict: the SK_SKB skb verdict (an <see cref="ISkSkbProgram"/>).</summary>
    public object? SkbVerdict;
}

/// <summary>
/// struct sk_psock (include/linux/skmsg.h): the per-socket sockmap state: the cached verdict and its apply window,
/// the cork countdown and cork message, the cached redirect target, the ingress queue, the programs, and the map
/// slots that reference the socket (one reference each).
/// </summary>
public sealed class SkPsock
{
    internal SkPsock(Sock sk)
    {
        Sk = sk;
    }

    /// <summary>psock->sk: the socket.</summary>
    public Sock Sk { get; }
    /// <summary>psock->sk_redir: the redirect target the cached verdict sends to.</summary>
    public Sock? SkRedir;
    /// <summary>psock->apply_bytes: bytes the cached verdict still applies to (0: the program runs on every message).</summary>
    public uint ApplyBytes;
    /// <summary>psock->cork_bytes: bytes still to gather before the program runs again.</summary>
    public uint CorkBytes;
    /// <summary>psock->eval: the cached verdict (<see cref="SkVerdict.None"/>: run the program).</summary>
    public SkVerdict Eval = SkVerdict.None;
    /// <summary>psock->redir_ingress: the cached redirect goes to the target's ingress.</summary>
    public bool RedirIngress;
    /// <summary>psock->cork: the message being gathered while corked, or null.</summary>
    public SkMsg? Cork;
    /// <summary>psock->progs: the programs copied from the maps the socket is in.</summary>
    public SkPsockProgs Progs { get; } = new();

    /// <summary>The SK_SKB receive side: strparser, ingress_skb, work state (see SkSkb/SkPsockRx.cs).</summary>
    public SkSkb.SkPsockRxState Rx { get; } = new();

    /// <summary>ingress_msg: messages redirected to this socket's ingress, read before the TCP queue.</summary>
    public LinkedList<SkMsg> IngressMsg { get; } = new();

    /// <summary>SK_PSOCK_TX_ENABLED: cleared when the psock is stopped (sk_psock_stop).</summary>
    public bool TxEnabled = true;

    /// <summary>refcnt: one per map link, plus transient holders.</summary>
    public int RefCnt;

    /// <summary>Map slots that hold this psock (psock->link); the psock goes when the last one does.</summary>
    public List<MapLink> Links { get; } = new();

    /// <summary>Bytes waiting in <see cref="IngressMsg"/>.</summary>
    public long IngressBytes
    {
        get
        {
            long n = 0;
            foreach (var m in IngressMsg) n += m.Size;
            return n;
        }
    }
}

/// <summary>A map slot that references a socket (struct sk_psock_link).</summary>
/// <param name="Map">The map (a <see cref="Maps.SockMapBase"/>).</param>
/// <param name="Key">The slot's key in that map.</param>
public sealed record MapLink(object Map, object Key);
