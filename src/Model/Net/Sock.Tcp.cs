using SockActors.Model.Memory;

namespace SockActors.Model.Net;

// The plain TCP part of a socket: tcp_sendmsg_locked for spliced pages and for copied user data, transmission to the
// loopback peer, and tcp_recvmsg. Loopback delivers at once what the peer's receive buffer has room for.
public sealed partial class Sock
{
    /// <summary>
    /// tcp_sendmsg_locked with MSG_SPLICE_PAGES (net/ipv4/tcp.c): queue <paramref name="size"/> bytes of a page without
    /// copying, waiting for send buffer space between segments; then tcp_push, which holds a partial segment back while
    /// MSG_MORE is set. Returns bytes queued, or -errno when nothing was.
    /// </summary>
    public async ValueTask<int> TcpSendPageAsync(Page page, int offset, int size, int flags)
    {
        if (Err != 0) return -Err;
        if (State != SockState.Established || SendShutdown) return -Errno.EPIPE;
        long timeo = SndTimeo(flags);
        int copied = 0;
        while (copied < size)
        {
            if (!StreamMemoryFree)
            {
                // tcp_sendmsg_locked pushes what it has before it sleeps (tcp_push with TCP_NAGLE_PUSH).
                Transmit(more: false);
                if (!StreamMemoryFree)
                {
                    long r = await Kernel.Environment.WaitForMemoryAsync(this, timeo);
                    if (r < 0)
                    {
                        if (copied > 0) Transmit((flags & MsgFlags.More) != 0);
                        Kernel.EmitBytesMoved(this, ByteFlowKind.TcpQueued, copied);
                        return copied > 0 ? copied : (int)r;
                    }
                    timeo = r;
                }
            }
            int chunk = Math.Min(size - copied, LoopbackMss - (int)_tailSkbBytes);
            if (chunk <= 0)
            {
                StartSkb();
                continue;
            }
            AppendToTailSkb(page, offset + copied, chunk);
            copied += chunk;
        }
        Kernel.EmitBytesMoved(this, ByteFlowKind.TcpQueued, copied);
        Transmit((flags & MsgFlags.More) != 0);
        return copied;
    }

    /// <summary>
    /// tcp_sendmsg_locked for user data (no psock): copy into page-frag pages like the kernel (skb frags carved from
    /// sk_page_frag), queue, push. Returns bytes accepted or -errno.
    /// </summary>
    public async ValueTask<int> TcpSendMsgAsync(ReadOnlyMemory<byte> data, int flags)
    {
        if (Err != 0) return -Err;
        if (State != SockState.Established || SendShutdown) return -Errno.EPIPE;
        long timeo = SndTimeo(flags);
        int copied = 0;
        while (copied < data.Length)
        {
            if (!StreamMemoryFree)
            {
                Transmit(more: false);
                if (!StreamMemoryFree)
                {
                    long r = await Kernel.Environment.WaitForMemoryAsync(this, timeo);
                    if (r < 0)
                    {
                        Kernel.EmitBytesMoved(this, ByteFlowKind.TcpQueued, copied);
                        return copied > 0 ? copied : (int)r;
                    }
                    timeo = r;
                }
            }
            Frag.Refill(Kernel.Pages);
            int n = Math.Min(data.Length - copied, Frag.Size - Frag.Offset);
            n = Math.Min(n, LoopbackMss - (int)_tailSkbBytes);
            if (n <= 0)
            {
                StartSkb();
                continue;
            }
            data.Span.Slice(copied, n).CopyTo(Frag.Page!.Buffer.AsSpan(Frag.Offset, n));
            AppendToTailSkb(Frag.Page, Frag.Offset, n);
            Frag.Offset += n;
            copied += n;
        }
        Kernel.EmitBytesMoved(this, ByteFlowKind.TcpQueued, copied);
        Transmit((flags & MsgFlags.More) != 0);
        ReleaseSock();
        return copied;
    }

    /// <summary>
    /// tcp_push / tcp_write_xmit on loopback: send what the peer's receive buffer accepts. A push with MSG_MORE
    /// (TCP_NAGLE_CORK) lets only whole MSS-sized segments leave; the partial tail waits for a later push without
    /// MSG_MORE (observed: 30 bytes pushed with MSG_MORE before a DROP never reach the reader).
    /// </summary>
    /// <summary>MAX_SKB_FRAGS: page fragments one skb holds.</summary>
    public const int MaxSkbFrags = 17;

    // The write queue's tail skb (tcp_write_queue_tail): bytes, frags and where its last frag ends, so that appends
    // coalesce with it (skb_can_coalesce) or start a new skb once it has 17 frags or a full segment.
    private long _tailSkbBytes;
    private int _tailSkbFrags;
    private Page? _tailLastPage;
    private int _tailLastEnd;

    /// <summary>
    /// tcp_sendmsg_locked's append: into the tail skb's last frag if the range continues it, else as a new frag; a
    /// tail skb with MAX_SKB_FRAGS frags is closed (tcp_mark_push; new_segment). A closed skb is no longer the last in
    /// the queue, so tcp_write_xmit sends it whatever MSG_MORE says (TCP_NAGLE_PUSH for all but the last).
    /// </summary>
    private void AppendToTailSkb(Page page, int offset, int length)
    {
        bool coalesce = _tailSkbFrags > 0 && ReferenceEquals(_tailLastPage, page) && _tailLastEnd == offset;
        if (!coalesce && _tailSkbFrags >= MaxSkbFrags) StartSkb();
        if (!coalesce || _tailSkbFrags == 0) _tailSkbFrags++;
        WriteQueue.Enqueue(page, offset, length);
        _tailSkbBytes += length;
        _tailLastPage = page;
        _tailLastEnd = offset + length;
    }

    /// <summary>new_segment: the next bytes go into a fresh skb.</summary>
    private void StartSkb()
    {
        _tailSkbBytes = 0;
        _tailSkbFrags = 0;
        _tailLastPage = null;
        _tailLastEnd = 0;
    }

    internal void Transmit(bool more)
    {
        // With TCP_NAGLE_CORK only the last skb is held, and only while it is shorter than the MSS (tcp_nagle_test).
        _moreHeld = more && _tailSkbBytes < LoopbackMss ? Math.Min(_tailSkbBytes, WriteQueue.Bytes) : 0;
        TransmitWindow();
        if (_moreHeld > 0 && ProbeDeadlineNs < 0)
        {
            // __tcp_push_pending_frames -> tcp_check_probe_timer: nothing in flight, so the probe timer is armed with
            // the RTO (TCP_RTO_MIN on loopback); when it fires, tcp_write_wakeup sends the held segment.
            ProbeDeadlineNs = Kernel.NowNs + TcpRtoMinNs;
            Kernel.ArmTimer(this);
        }
        else if (_moreHeld == 0)
        {
            ProbeDeadlineNs = -1;
        }
    }

    /// <summary>TCP_RTO_MIN (200 ms): the RTO of a loopback connection after its handshake.</summary>
    public const long TcpRtoMinNs = 200_000_000;

    /// <summary>When the probe timer releases data held back by MSG_MORE (virtual ns), or -1.</summary>
    internal long ProbeDeadlineNs { get; private set; } = -1;

    /// <summary>tcp_probe_timer / tcp_write_wakeup: the held tail goes out.</summary>
    internal void FireProbeTimer()
    {
        if (ProbeDeadlineNs < 0 || ProbeDeadlineNs > Kernel.NowNs) return;
        ReleaseHeldTail();
    }

    /// <summary>Sends with the socket's own nagle setting (TCP_NODELAY or not), so a tail MSG_MORE held goes too.</summary>
    private void ReleaseHeldTail()
    {
        _moreHeld = 0;
        ProbeDeadlineNs = -1;
        TransmitWindow();
    }

    /// <summary>tcp_write_xmit within the peer's receive window; a MSG_MORE tail stays held.</summary>
    internal void TransmitWindow()
    {
        if (Peer is null || WriteQueue.IsEmpty) return;
        long sendable = WriteQueue.Bytes - _moreHeld;
        // SkbRmem: receive memory the peer's SK_SKB path holds (0 without one) also closes the window.
        long window = Math.Max(0, Peer.Rcvbuf - Peer.ReceiveQueue.Bytes - Peer.SkbRmem);
        long n = Math.Min(sendable, window);
        if (n > 0)
        {
            WriteQueue.MoveTo(Peer.ReceiveQueue, n);
            _inFlight = true;
            if (WriteQueue.IsEmpty) StartSkb();
            Transmitted(Peer);
            // sk_data_ready woke the receiver's sleepers; the ACK back -> tcp_check_space on this socket.
            Peer.Wake();
            CheckSpace();
        }
    }

    /// <summary>
    /// The peer sent a window update (see <see cref="TcpRecv"/>): its ACK runs tcp_data_snd_check with this socket's
    /// own nagle setting, so everything queued goes, a MSG_MORE tail included.
    /// </summary>
    internal void WindowUpdate() => ReleaseHeldTail();

    private long _moreHeld;

    /// <summary>Data went out since the socket lock was last released; its ACK is still to be processed.</summary>
    private bool _inFlight;

    /// <summary>
    /// release_sock: ACKs that arrived while the socket was owned are processed from the backlog (loopback ACKs the
    /// data at once). tcp_ack -> tcp_data_snd_check pushes with the socket's own nagle setting, not MSG_MORE's cork,
    /// so a tail held back by MSG_MORE leaves now when data was in flight; with nothing in flight no ACK comes and the
    /// tail waits for the probe timer (observed: held bytes reach p1 in the first case, not in the second).
    /// </summary>
    public void ReleaseSock()
    {
        if (!_inFlight) return;
        _inFlight = false;
        if (_moreHeld > 0) ReleaseHeldTail();
    }

    /// <summary>tcp_recvmsg: read from the receive queue; reading opens the window, so the peer transmits what it held.</summary>
    public int TcpRecv(Span<byte> dest)
    {
        long freeBefore = Math.Max(0, Rcvbuf - ReceiveQueue.Bytes);
        int n = ReceiveQueue.Read(dest);
        if (n > 0 && Peer is not null)
        {
            // tcp_cleanup_rbuf: a window update goes out when the advertised window had shrunk to half or less and the
            // read at least doubles it; otherwise the sender hears nothing new and keeps what it holds.
            long freeAfter = Math.Max(0, Rcvbuf - ReceiveQueue.Bytes);
            if (2 * freeBefore <= Rcvbuf && freeAfter >= 2 * freeBefore) Peer.WindowUpdate();
            else Peer.TransmitWindow();
        }
        return n;
    }
}
