using SockActors.Model.Net;
using SockActors.Model.Programs;

namespace SockActors.Model.Msg;

/// <summary>The programs a psock carries (struct sk_psock_progs), copied from a map when the socket is inserted.</summary>
public sealed class SkPsockProgs
{
    public ISkMsgProgram? MsgParser;
    public object? StreamParser;
    public object? StreamVerdict;
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

    public Sock Sk { get; }
    public Sock? SkRedir;
    public uint ApplyBytes;
    public uint CorkBytes;
    public SkVerdict Eval = SkVerdict.None;
    public bool RedirIngress;
    public SkMsg? Cork;
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
public sealed record MapLink(object Map, object Key);
