using SockActors.Model.SkSkb;

namespace SockActors.Model.Net;

// The parts of a socket the SK_SKB receive path uses: receive memory held by skbs, sk_rcvbuf, the data_ready and
// write_space callbacks a psock installs, and skb_send_sock.
public sealed partial class Sock
{
    /// <summary>sk_rcvbuf as strparser (max_msg_size) and sk_psock_create_ingress_msg read it: tcp_rmem[1] (131072),
    /// without autotuning. The TCP window the peer sees is <see cref="Rcvbuf"/>.</summary>
    public int SkRcvbuf { get; set; } = 131072;

    /// <summary>sk_rmem_alloc of skbs the SK_SKB path holds for this socket (owned skbs waiting for the backlog, and
    /// ingress messages made from skbs until read). It closes the TCP window like queued data does.</summary>
    public long SkbRmem { get; internal set; }

    /// <summary>Bytes the SK_SKB path dropped on this socket (sock_drop: DROP verdicts, failed redirects, purges).</summary>
    public long SkbDroppedBytes { get; internal set; }

    /// <summary>Bytes waiting in this socket's psock backlog (ingress_skb).</summary>
    public long SkbBacklogBytes => Psock?.Rx.BacklogBytes ?? 0;

    /// <summary>sock_writeable: sk_wmem_alloc below half of sk_sndbuf.</summary>
    internal bool SockWriteable => WmemQueued < Sndbuf / 2;

    /// <summary>
    /// After data left this socket for <paramref name="peer"/>: this socket's write space grew (sk_psock_write_space
    /// schedules its backlog), and the peer's data_ready runs (its SK_SKB path, when it has one).
    /// </summary>
    private void Transmitted(Sock peer)
    {
        if (Psock is { } psock && psock.Rx.Mode != SkSkbRxMode.None && psock.TxEnabled && psock.Rx.IngressSkb.Count > 0)
            Kernel.PsockWork.Schedule(psock);
        SkPsockRx.DataReady(peer);
    }

    /// <summary>
    /// skb_send_sock (MSG_DONTWAIT | MSG_SPLICE_PAGES through tcp_sendmsg_locked): queue what the send buffer takes and
    /// push it. Returns the bytes queued, or -EAGAIN when none fit, -EPIPE when the socket cannot send.
    /// </summary>
    internal int SkbSendSock(ReadOnlySpan<byte> data)
    {
        if (Err != 0) return -Err;
        if (State != SockState.Established || SendShutdown) return -Errno.EPIPE;
        int copied = 0;
        while (copied < data.Length)
        {
            if (!StreamMemoryFree) break;
            Frag.Refill(Kernel.Pages);
            int n = Math.Min(data.Length - copied, Frag.Size - Frag.Offset);
            n = Math.Min(n, LoopbackMss - (int)_tailSkbBytes);
            if (n <= 0)
            {
                StartSkb();
                continue;
            }
            data.Slice(copied, n).CopyTo(Frag.Page!.Buffer.AsSpan(Frag.Offset, n));
            AppendToTailSkb(Frag.Page, Frag.Offset, n);
            Frag.Offset += n;
            copied += n;
        }
        if (copied == 0) return -Errno.EAGAIN;
        Transmit(more: false);
        ReleaseSock();
        return copied;
    }
}
