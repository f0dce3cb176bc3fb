using SockActors.Model.Msg;
using SockActors.Model.Net;
using SockActors.Model.Programs;

namespace SockActors.Model.Maps;

/// <summary>
/// What SOCKMAP and SOCKHASH share (net/core/sock_map.c): the attached programs, the link/unlink of a socket's psock
/// when it enters or leaves a slot, and the suitability rules. Programs are copied into a socket's psock only when the
/// socket is inserted; attaching later changes nothing for sockets already in the map.
/// </summary>
public abstract class SockMapBase : BpfMap
{
    /// <summary>A socket map of <paramref name="type"/> (SOCKMAP or SOCKHASH); the subclass checks the attributes.</summary>
    protected SockMapBase(string name, BpfMapType type, uint keySize, uint valueSize, uint maxEntries, uint flags)
        : base(name, type, keySize, valueSize, maxEntries, flags)
    {
    }

    /// <summary>sock_map_progs(map)</summary>
    public SkPsockProgs Progs { get; } = new();

    /// <summary>
    /// sock_map_prog_update for prog_attach: plain attach replaces whatever is there; stream verdict and skb verdict
    /// exclude each other (-EBUSY). A program of the wrong type for the attach type is -EINVAL (sock_map_get_from_fd:
    /// bpf_prog_get_type).
    /// </summary>
    public long Attach(SockAttachType type, object program)
    {
        if (type is SockAttachType.SkSkbStreamParser or SockAttachType.SkSkbStreamVerdict or SockAttachType.SkSkbVerdict
            && program is not ISkSkbProgram) return -Errno.EINVAL;
        switch (type)
        {
            case SockAttachType.SkMsgVerdict:
                if (program is not ISkMsgProgram msgProg) return -Errno.EINVAL;
                Progs.MsgParser = msgProg;
                return 0;
            case SockAttachType.SkSkbStreamParser:
                Progs.StreamParser = program;
                return 0;
            case SockAttachType.SkSkbStreamVerdict:
                if (Progs.SkbVerdict is not null) return -Errno.EBUSY;
                Progs.StreamVerdict = program;
                return 0;
            case SockAttachType.SkSkbVerdict:
                if (Progs.StreamVerdict is not null) return -Errno.EBUSY;
                Progs.SkbVerdict = program;
                return 0;
            default:
                return -Errno.EOPNOTSUPP;
        }
    }

    /// <summary>sock_map_prog_update for prog_detach: -ENOENT unless <paramref name="program"/> is the one attached.</summary>
    public long Detach(SockAttachType type, object program)
    {
        object? attached = type switch
        {
            SockAttachType.SkMsgVerdict => Progs.MsgParser,
            SockAttachType.SkSkbStreamParser => Progs.StreamParser,
            SockAttachType.SkSkbStreamVerdict => Progs.StreamVerdict,
            SockAttachType.SkSkbVerdict => Progs.SkbVerdict,
            _ => null,
        };
        if (!Enum.IsDefined(type)) return -Errno.EOPNOTSUPP;
        if (attached is null || !ReferenceEquals(attached, program)) return -Errno.ENOENT;
        switch (type)
        {
            case SockAttachType.SkMsgVerdict: Progs.MsgParser = null; break;
            case SockAttachType.SkSkbStreamParser: Progs.StreamParser = null; break;
            case SockAttachType.SkSkbStreamVerdict: Progs.StreamVerdict = null; break;
            case SockAttachType.SkSkbVerdict: Progs.SkbVerdict = null; break;
        }
        return 0;
    }

    /// <summary>
    /// sock_map_sk_is_suitable + sock_map_sk_state_allowed: a TCP socket must be ESTABLISHED or LISTEN
    /// (4.17 accepted any state).
    /// </summary>
    protected static long CheckSocket(Sock sk)
    {
        if (!sk.IsTcp) return -Errno.EOPNOTSUPP;
        if (sk.Kernel.Profile.MapChecksSocketState && sk.State is not (SockState.Established or SockState.Listen))
            return -Errno.EOPNOTSUPP;
        return 0;
    }

    /// <summary>
    /// sock_map_link: copy the map's programs into the socket's psock, creating the psock if needed. A psock that
    /// already has a program of a kind the map installs is -EBUSY. Returns the psock with one reference taken for the
    /// caller (the new link's), or an errno.
    /// </summary>
    protected long Link(Sock sk, out SkPsock? psock)
    {
        psock = sk.Psock;
        var p = Progs;
        if (psock is not null)
        {
            var have = psock.Progs;
            if ((p.MsgParser is not null && have.MsgParser is not null) ||
                (p.StreamParser is not null && have.StreamParser is not null) ||
                (p.SkbVerdict is not null && have.SkbVerdict is not null) ||
                (p.SkbVerdict is not null && have.StreamVerdict is not null) ||
                (p.StreamVerdict is not null && have.SkbVerdict is not null) ||
                (p.StreamVerdict is not null && have.StreamVerdict is not null))
            {
                psock = null;
                return -Errno.EBUSY;
            }
            psock.RefCnt++;
        }
        else
        {
            // sk_psock_init
            psock = new SkPsock(sk) { RefCnt = 1 };
            sk.Psock = psock;
        }
        if (p.MsgParser is not null) psock.Progs.MsgParser = p.MsgParser;
        if (p.StreamParser is not null) psock.Progs.StreamParser = p.StreamParser;
        if (p.StreamVerdict is not null) psock.Progs.StreamVerdict = p.StreamVerdict;
        if (p.SkbVerdict is not null) psock.Progs.SkbVerdict = p.SkbVerdict;

        // sock_map_link: the receive side is taken over once (saved_data_ready), by the strparser when this map brings
        // both a parser and a stream verdict, skb by skb when it brings a stream verdict alone or an skb verdict.
        var rx = psock.Rx;
        if (rx.Mode == SkSkb.SkSkbRxMode.None)
        {
            if (p.StreamParser is not null && p.StreamVerdict is not null)
            {
                rx.Strp = new SkSkb.StreamParser(); // sk_psock_init_strp + sk_psock_start_strp
                rx.Mode = SkSkb.SkSkbRxMode.StreamParser;
            }
            else if (p.StreamParser is null && p.StreamVerdict is not null)
                rx.Mode = SkSkb.SkSkbRxMode.Verdict; // sk_psock_start_verdict
            else if (p.StreamVerdict is null && p.SkbVerdict is not null)
                rx.Mode = SkSkb.SkSkbRxMode.Verdict;
        }
        return 0;
    }

    /// <summary>sock_map_unref: drop a slot's link and its psock reference.</summary>
    protected void Unref(Sock sk, object key)
    {
        var psock = sk.Psock;
        if (psock is null) return;
        psock.Links.RemoveAll(l => ReferenceEquals(l.Map, this) && Equals(l.Key, key));
        SkPsockLife.Put(sk, psock);
    }

    /// <summary>Removes every slot of this map that holds <paramref name="sk"/> (sock_map_remove_links, for close).</summary>
    /// <summary>sock_map_remove_links, for this map: the socket leaves every slot of it (sock_map_unlink per link),
    /// as when it closes. Its psock goes once it is in no map at all.</summary>
    public void UnlinkSocket(Sock sk)
    {
        if (sk.Psock is not { } psock) return;
        foreach (var link in psock.Links.ToArray())
            if (ReferenceEquals(link.Map, this)) RemoveSocket(sk, link.Key);
    }

    internal abstract void RemoveSocket(Sock sk, object key);
}
