using SockActors.Model.Net;

namespace SockActors.Model.Msg;

/// <summary>
/// The end of a psock (net/core/skmsg.c sk_psock_put, sk_psock_drop, sk_psock_stop, __sk_psock_zap_ingress,
/// sk_psock_cork_free): when the last map link goes, the socket gets its normal proto back, TX is disabled, the cork
/// is freed and the unread ingress_msg is purged. That data is lost.
/// </summary>
public static class SkPsockLife
{
    /// <summary>sk_psock_put</summary>
    public static void Put(Sock sk, SkPsock psock)
    {
        if (--psock.RefCnt == 0) Drop(sk, psock);
    }

    /// <summary>sk_psock_drop: restore the proto, stop, and purge.</summary>
    public static void Drop(Sock sk, SkPsock psock)
    {
        if (ReferenceEquals(sk.Psock, psock)) sk.Psock = null;
        Stop(sk, psock);
        if (psock.SkRedir is not null) psock.SkRedir = null;
    }

    /// <summary>sk_psock_stop: clear TX_ENABLED, free the cork, zap the ingress queue.</summary>
    public static void Stop(Sock sk, SkPsock psock)
    {
        psock.TxEnabled = false;
        if (psock.Cork is not null)
        {
            sk.PurgedBytes += psock.Cork.Size;
            SkMsgOps.Free(sk, psock.Cork);
            psock.Cork = null;
        }
        foreach (var m in psock.IngressMsg)
        {
            sk.PurgedBytes += m.Size;
            sk.RmemAlloc -= m.Size;
            if (m.FromSkb) sk.SkbRmem -= m.SkbCharge;
            m.Skb?.ReleasePages();
            SkMsgOps.Free(sk, m);
        }
        psock.IngressMsg.Clear();
        SkSkb.SkPsockRx.Zap(sk, psock);
    }
}
