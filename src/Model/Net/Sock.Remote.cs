using SockActors.Model.Memory;
using SockActors.Model.Programs;

namespace SockActors.Model.Net;

// A socket whose peer is on another host (another SimKernel, maybe another node): what tcp_sendmsg's transmit does
// when the peer is not a loopback socket of this kernel. The send path up to the write queue (SK_MSG, tcp_sendmsg,
// the write queue's skbs, MSG_MORE) is the local one, unchanged; Sock.TransmitWindow calls WireTransmit instead of
// moving bytes into the peer's receive queue. Bytes leave as copied segments through the kernel's ITcpWire and come
// back as ACKs with the peer's window; see docs/wire.md. Every entry point runs with the socket owned by its caller
// (the socket lock held), as the kernel processes a segment in tcp_v4_rcv or from the backlog at release_sock.
public sealed partial class Sock
{
    /// <summary>The connection's state when the peer is on another host; null for a loopback (or unconnected) socket.</summary>
    public TcpRemote? Remote { get; private set; }

    /// <summary>Bytes sent to a remote peer and not yet acknowledged (the retransmit queue): they still count in
    /// sk_wmem_queued, so a sender whose peer does not read blocks once write queue and flight fill sk_sndbuf.</summary>
    internal long WireInFlight;

    /// <summary>The largest segment the wire carries: the loopback MSS (links are modelled with loopback's MTU).</summary>
    public const int WireMss = LoopbackMss;

    private ITcpWire WireOut => Kernel.Wire ?? throw new InvalidOperationException($"{Name}: kernel {Kernel.HostId} has no wire (SimKernel.Wire)");

    /// <summary>tcp_finish_connect / the child of tcp_check_req: the socket is ESTABLISHED with a peer on another host
    /// whose receive window is <paramref name="peerWindow"/>.</summary>
    internal void AttachRemote(TcpWireEndpoint peer, long peerWindow)
    {
        long own = ReceiveFree();
        Remote = new TcpRemote(new TcpWireEndpoint(Kernel.HostId, Id), peer, peerWindow, own);
        State = SockState.Established;
    }

    /// <summary>Free receive space as tcp_select_window offers it: the model's window (Rcvbuf) minus queued data and
    /// the SK_SKB path's receive memory, as the loopback transmit computes it.</summary>
    private long ReceiveFree() => Math.Max(0, Rcvbuf - ReceiveQueue.Bytes - SkbRmem);

    /// <summary>
    /// tcp_write_xmit for a remote peer: send what the queue holds (less a MSG_MORE tail) within the usable window
    /// (the peer's advertised window minus the bytes in flight), in segments of at most <see cref="WireMss"/>. Each
    /// segment's bytes are copied onto the wire; its pages stay on the retransmit queue until the ACK (tcp_event_new_data_sent).
    /// After close (an orphan) the queue is the one close left, and the FIN follows its last byte (tcp_send_fin).
    /// </summary>
    private void WireTransmit()
    {
        var r = Remote!;
        if (r.Reset || r.FinSent) return;
        var queue = r.OrphanQueue ?? WriteQueue;
        long sendable = queue.Bytes - (r.OrphanQueue is null ? _moreHeld : 0);
        long n = Math.Min(sendable, r.UsableWindow);
        var wire = n > 0 ? WireOut : null;
        while (n > 0)
        {
            int len = (int)Math.Min(n, WireMss);
            var data = new byte[len];
            queue.Peek(data);
            queue.MoveTo(r.Rtx, len);
            WireInFlight += len;
            wire!.SendSegment(r.Local, r.Peer, r.SndNxt, data);
            r.SndNxt += len;
            n -= len;
        }
        if (r.OrphanQueue is null)
        {
            if (!WriteQueue.IsEmpty) return;
            StartSkb();
            if (r.FinPending) SendWireFin(r); // shutdown(SHUT_WR): the FIN follows the last byte
        }
        else if (r.OrphanQueue.IsEmpty) SendWireFin(r);
    }

    private void SendWireFin(TcpRemote r)
    {
        r.FinSent = true;
        WireOut.SendFin(r.Local, r.Peer, r.SndNxt);
        if (r.Finished) Kernel.ForgetWireSocket(this);
    }

    /// <summary>
    /// A data segment from the peer: tcp_rcv_established -> tcp_data_queue. Bytes at rcv_nxt go to the receive queue
    /// (tcp_queue_rcv, copied into pages of this kernel) and sk_data_ready wakes the readers; bytes already received are
    /// dropped (a duplicate, answered with an ACK as tcp_send_dupack does); a segment beyond rcv_nxt waits in the
    /// out-of-order queue (tcp_data_queue_ofo) until the gap fills. Every segment is ACKed with the window now free
    /// (tcp_ack_snd_check; the model ACKs at once, it has no delayed ACK). Data arriving at a socket that was closed here
    /// gets a RST (tcp_rcv_state_process: data after shutdown, LINUX_MIB_TCPABORTONDATA).
    /// </summary>
    public void WireSegmentArrived(long seq, ReadOnlySpan<byte> data)
    {
        var r = Remote;
        if (r is null || r.Reset) return;
        if (State == SockState.Close)
        {
            AbortOrphan(r);
            return;
        }
        long end = seq + data.Length;
        if (end <= r.RcvNxt)
        {
            r.DuplicateBytes += data.Length;
            SendWireAck(r);
            return;
        }
        if (seq > r.RcvNxt)
        {
            var ofo = r.OutOfOrder ??= new SortedDictionary<long, byte[]>();
            if (!ofo.TryGetValue(seq, out var held) || held.Length < data.Length)
            {
                ofo[seq] = data.ToArray();
                r.OutOfOrderSegments++;
            }
            SendWireAck(r);
            return;
        }
        QueueReceived(r, data[(int)(r.RcvNxt - seq)..]);
        // The gap may have closed: the out-of-order queue's segments that now start at or before rcv_nxt follow.
        while (r.OutOfOrder is { Count: > 0 } queue)
        {
            var (oseq, obytes) = queue.First();
            if (oseq > r.RcvNxt) break;
            queue.Remove(oseq);
            long oend = oseq + obytes.Length;
            if (oend <= r.RcvNxt) r.DuplicateBytes += obytes.Length;
            else QueueReceived(r, obytes.AsSpan((int)(r.RcvNxt - oseq)));
        }
        if (r.FinSeq >= 0 && r.FinSeq == r.RcvNxt) ApplyWireFin(r);
        // sk_data_ready: an SK_SKB parser takes the data, otherwise readers wake.
        SkSkb.SkPsockRx.DataReady(this);
        Wake();
        SendWireAck(r);
    }

    /// <summary>tcp_queue_rcv: the bytes join the receive queue in pages of this kernel (pages never cross hosts).</summary>
    private void QueueReceived(TcpRemote r, ReadOnlySpan<byte> bytes)
    {
        long edge = r.RcvWup + r.RcvWnd;
        long end = r.RcvNxt + bytes.Length;
        if (end > edge) r.WindowOverrunBytes += end - Math.Max(edge, r.RcvNxt);
        int done = 0;
        while (done < bytes.Length)
        {
            int want = bytes.Length - done;
            int order = 0;
            while (order < 3 && Page.PageSize << order < want) order++;
            var page = Kernel.Pages.Alloc(order);
            int n = Math.Min(want, page.Size);
            page.Write(0, bytes.Slice(done, n));
            ReceiveQueue.Enqueue(page, 0, n);
            page.Put(); // the receive queue holds the page now
            done += n;
        }
        r.RcvNxt = end;
        r.MaxReceiveQueued = Math.Max(r.MaxReceiveQueued, ReceiveQueue.Bytes + SkbRmem);
    }

    /// <summary>
    /// __tcp_send_ack with tcp_select_window: ACK rcv_nxt and advertise the free receive space. The window's right edge
    /// never moves back (tcp_select_window does not shrink an offered window).
    /// </summary>
    private void SendWireAck(TcpRemote r)
    {
        long window = Math.Max(ReceiveFree(), r.ReceiveWindowLeft);
        r.RcvWup = r.RcvNxt;
        r.RcvWnd = window;
        WireOut.SendAck(r.Local, r.Peer, r.RcvNxt, window);
    }

    /// <summary>
    /// tcp_cleanup_rbuf after a read freed receive space: a window update goes out when what is left of the advertised
    /// window (tcp_receive_window) is at most half the window clamp and the window now free is at least twice that.
    /// A reader that empties a closed window always reopens it, so a sender waiting for room always hears of it.
    /// </summary>
    private void WireCleanupRbuf()
    {
        var r = Remote!;
        if (r.Reset || State == SockState.Close) return;
        long now = r.ReceiveWindowLeft;
        if (2 * now > Rcvbuf) return;
        long fresh = ReceiveFree();
        if (fresh > 0 && fresh >= 2 * now) SendWireAck(r);
    }

    /// <summary>The SK_SKB path released receive memory (PsockWorkQueue's window-opened work): as a read would.</summary>
    internal void WireWindowOpened()
    {
        if (Remote is not null) WireCleanupRbuf();
    }

    /// <summary>
    /// An ACK from the peer: tcp_ack. Acknowledged bytes leave the retransmit queue (tcp_clean_rtx_queue) and stop
    /// counting in sk_wmem_queued; the window's right edge moves to ack + window (tcp_ack_update_window); then
    /// tcp_data_snd_check sends what the window now allows with the socket's own nagle setting (a MSG_MORE tail goes
    /// too, as on loopback), and tcp_check_space -> sk_stream_write_space wakes senders blocked in
    /// sk_stream_wait_memory once there is room. An ACK of bytes never sent, or older than snd_una, is ignored.
    /// </summary>
    public void WireAckArrived(long ack, long window)
    {
        var r = Remote;
        if (r is null || r.Reset || ack > r.SndNxt || ack < r.SndUna) return;
        long acked = ack - r.SndUna;
        if (acked > 0)
        {
            r.Rtx.Consume((int)acked, default);
            WireInFlight -= acked;
            r.SndUna = ack;
        }
        r.SndWndEdge = Math.Max(r.SndWndEdge, ack + window);
        if (_moreHeld > 0 && r.OrphanQueue is null) ReleaseHeldTail();
        else WireTransmit();
        if (acked > 0) CheckSpace();
    }

    /// <summary>A FIN from the peer at <paramref name="seq"/>: it applies once every byte before it arrived.</summary>
    public void WireFinArrived(long seq)
    {
        var r = Remote;
        if (r is null || r.Reset || r.FinReceived) return;
        r.FinSeq = seq;
        if (seq == r.RcvNxt) ApplyWireFin(r);
    }

    /// <summary>tcp_fin: SOCK_DONE and RCV_SHUTDOWN, ESTABLISHED -> CLOSE_WAIT; the readers wake to end of stream.</summary>
    private void ApplyWireFin(TcpRemote r)
    {
        r.FinReceived = true;
        bool wasEstablished = State == SockState.Established && !RcvShutdown;
        RcvShutdown = true;
        if (wasEstablished) SockOps.SockOpsRunner.StateChange(this, SockOpsOp.TcpEstablished, SockOpsOp.TcpCloseWait);
        SkSkb.SkPsockRx.DataReady(this);
        Wake();
        if (r.Finished) Kernel.ForgetWireSocket(this);
    }

    /// <summary>
    /// A RST from the peer (its socket or its host is gone): tcp_reset. sk_err is ECONNRESET, or EPIPE in CLOSE_WAIT
    /// (the peer's FIN had arrived); a socket already closed here just drops what it still had to send. The write queue
    /// and retransmit queue are purged (tcp_write_queue_purge; unsent bytes count as purged), then tcp_done: TCP_CLOSE,
    /// both directions shut, sk_state_change and sk_error_report wake every sleeper. Bytes already in the receive queue
    /// stay readable; the read after them reports the error once (sock_error), the next ones end of stream; sends get
    /// the error once, then EPIPE.
    /// </summary>
    public void WireResetArrived()
    {
        var r = Remote;
        if (r is null || r.Reset) return;
        r.Reset = true;
        PurgeWireQueues(r);
        Kernel.ForgetWireSocket(this);
        if (State == SockState.Close) return;
        Err = State == SockState.Established && RcvShutdown ? Errno.EPIPE : Errno.ECONNRESET;
        uint oldTcpState = SockOps.SockOpsRunner.TcpState(this);
        PurgedBytes += WriteQueue.Purge();
        _moreHeld = 0;
        ProbeDeadlineNs = -1;
        StartSkb();
        State = SockState.Close;
        SendShutdown = RcvShutdown = true;
        SockOps.SockOpsRunner.StateChange(this, oldTcpState, SockOpsOp.TcpClose);
        Wake();
    }

    /// <summary>Unsent bytes of an orphan are lost (purged); sent ones leave the retransmit queue without counting: the
    /// peer may well have them.</summary>
    private void PurgeWireQueues(TcpRemote r)
    {
        if (r.OrphanQueue is not null) PurgedBytes += r.OrphanQueue.Purge();
        r.Rtx.Purge();
        WireInFlight = 0;
        r.OutOfOrder = null;
    }

    /// <summary>The socket was closed here and data still arrives: tcp_reset on this side (its unsent bytes go) and a
    /// RST to the peer (tcp_v4_send_reset).</summary>
    private void AbortOrphan(TcpRemote r)
    {
        r.Reset = true;
        PurgeWireQueues(r);
        WireOut.SendReset(r.Local, r.Peer);
        Kernel.ForgetWireSocket(this);
    }

    /// <summary>
    /// tcp_close for a remote peer, before the socket's queues are purged: with received data unread, the connection
    /// is reset (tcp_close's data_was_unread: TCP_CLOSE and tcp_send_active_reset; what was queued to send is lost).
    /// Otherwise the socket lives on as an orphan: its write queue moves aside and keeps going out as the peer's window
    /// allows, a MSG_MORE tail included, then the FIN (tcp_close_state -> tcp_send_fin).
    /// </summary>
    private void WireClose()
    {
        var r = Remote!;
        if (r.Reset) return;
        if (!ReceiveQueue.IsEmpty)
        {
            r.Reset = true;
            PurgeWireQueues(r);
            WireOut.SendReset(r.Local, r.Peer);
            Kernel.ForgetWireSocket(this);
            return;
        }
        if (r.FinSent) return; // shutdown(SHUT_WR) already sent everything and the FIN
        _moreHeld = 0;
        ProbeDeadlineNs = -1;
        r.OrphanQueue = new SegmentQueue();
        WriteQueue.MoveTo(r.OrphanQueue, WriteQueue.Bytes);
        StartSkb();
        WireTransmit();
    }

    /// <summary>tcp_shutdown for a remote peer: the FIN goes after what the write queue holds (a MSG_MORE tail too).</summary>
    private void WireShutdownSend()
    {
        var r = Remote!;
        if (r.Reset || r.FinSent) return;
        r.FinPending = true;
        _moreHeld = 0;
        ProbeDeadlineNs = -1;
        WireTransmit();
    }

    /// <summary>sock_error: the pending error, cleared as it is reported, for a socket with a remote peer (a RST's
    /// ECONNRESET is reported once; later calls see the closed socket: EPIPE, end of stream). Loopback sockets keep
    /// the model's sticky sk_err, unchanged.</summary>
    internal int SockError()
    {
        int e = Err;
        if (Remote is not null) Err = 0;
        return e;
    }

    /// <summary>The pending error a receive reports after the queued bytes (tcp_recvmsg: SOCK_DONE first, then sk_err),
    /// for a socket with a remote peer; 0 when there is none.</summary>
    internal int WireRecvError() => Remote is { FinReceived: false } && Err != 0 ? SockError() : 0;
}
