using SockActors.Model.Maps;
using SockActors.Model.Memory;
using SockActors.Model.Msg;

namespace SockActors.Model.Net;

// The system calls of a socket: sendmsg, sendfile, recvmsg, close.
public sealed partial class Sock
{
    // Both made on the first send / ingress message, not with the socket: an SkMsg carries its whole scatterlist
    // (MAX_MSG_FRAGS entries), and most sockets of a large simulation are idle (issue 9: heap per idle socket).
    private SkMsg? _txMsg;
    private Stack<SkMsg>? _msgPool;
    private SkMsgProgramContext? _programContext;

    /// <summary>The program context of this socket, bound to the message of the next run.</summary>
    internal SkMsgProgramContext ProgramContext(SkMsg msg) => (_programContext ??= new SkMsgProgramContext(this, msg)).Bind(msg);

    /// <summary>kzalloc(sizeof(struct sk_msg)) for a message this socket will queue on its ingress_msg; pooled.</summary>
    internal SkMsg AllocIngressMsg()
    {
        var m = _msgPool is { Count: > 0 } pool ? pool.Pop() : new SkMsg();
        m.Clear();
        return m;
    }

    /// <summary>kfree of an ingress message that has been read or purged.</summary>
    internal void FreeIngressMsg(SkMsg msg)
    {
        _msgPool ??= new Stack<SkMsg>();
        if (_msgPool.Count < 64) _msgPool.Push(msg);
    }

    /// <summary>The on-stack "struct sk_msg tmp" of tcp_bpf_sendmsg, initialised for each use.</summary>
    internal SkMsg RentTxMsg()
    {
        var m = _txMsg ??= new SkMsg();
        m.Init();
        return m;
    }

    /// <summary>
    /// sendmsg(2): through tcp_bpf_sendmsg when the socket's psock has an SK_MSG program (the TX proto that sockmap
    /// installs at insertion), plain tcp_sendmsg otherwise. Returns bytes accepted or -errno.
    /// </summary>
    public ValueTask<int> SendMsgAsync(ReadOnlyMemory<byte> data, int flags = 0)
    {
        if (State == SockState.Close && Peer is null && Remote is null) return ValueTask.FromResult(-Errno.ENOTCONN);
        return Psock?.Progs.MsgParser is not null ? TcpBpf.SendMsgAsync(this, data, flags) : TcpSendMsgAsync(data, flags);
    }

    /// <summary>
    /// sendfile(2) from <paramref name="file"/> at <paramref name="offset"/>. Linux 6.18: splice reads at most 16
    /// page-cache pages at a time (the pipe) and hands each batch to sendmsg(MSG_SPLICE_PAGES), with MSG_MORE while more
    /// of the file follows, resending the rest of a batch after a short send. linux-4.17: one sendpage call per page,
    /// each adding a shared page-cache element. Returns bytes sent or -errno.
    /// </summary>
    public async ValueTask<long> SendFileAsync(ReadOnlyMemory<byte> file, long offset, int count, int flags = 0)
    {
        if (count <= 0) return 0;
        if (!Kernel.Profile.SendfileCopies && Psock?.Progs.MsgParser is not null)
            return await SendPagesAsync(file, offset, count, flags);

        const int pipePages = 16;
        long pos = offset;
        long remaining = Math.Min(count, file.Length - offset);
        long spliced = 0;
        int ret = 0;
        while (remaining > 0)
        {
            // splice_direct_to_actor + filemap_splice_read: up to 16 page-cache pages from pos.
            long pageStart = pos & ~(long)(Page.PageSize - 1);
            long chunkEnd = Math.Min(pos + remaining, pageStart + pipePages * Page.PageSize);
            int readLen = (int)(chunkEnd - pos);
            bool more = readLen < remaining; // SPLICE_F_MORE
            int chunkDone = 0;
            // splice_to_socket: sendmsg until the pipe is drained or a send fails.
            while (chunkDone < readLen)
            {
                int f = flags | MsgFlags.SplicePages | (more ? MsgFlags.More : 0);
                ret = await SendMsgAsync(file.Slice((int)(pos + chunkDone), readLen - chunkDone), f);
                if (ret <= 0) break;
                chunkDone += ret;
            }
            spliced += chunkDone;
            pos += chunkDone;
            remaining -= chunkDone;
            if (chunkDone < readLen) break;
        }
        return spliced > 0 ? spliced : ret;
    }

    /// <summary>
    /// linux-4.17 sendfile: generic_splice_sendpage calls bpf_tcp_sendpage once per page-cache page. Each call appends
    /// one element referencing the (shared) page, marks it in sg.copy so the program sees data = data_end = NULL until
    /// it pulls, counts down the cork by the call's size and runs the verdict. A full ring returns 0.
    /// </summary>
    private async ValueTask<long> SendPagesAsync(ReadOnlyMemory<byte> file, long offset, int count, int flags)
    {
        long pos = offset, end = Math.Min(offset + count, file.Length), sent = 0;
        int ret = 0;
        while (pos < end)
        {
            long pageStart = pos & ~(long)(Page.PageSize - 1);
            int size = (int)(Math.Min(end, pageStart + Page.PageSize) - pos);
            var cachePage = Kernel.Pages.Alloc(0);
            file.Span.Slice((int)pos, size).CopyTo(cachePage.Buffer.AsSpan((int)(pos - pageStart)));
            bool more = pos + size < end;
            ret = await TcpBpf417.SendPageAsync(this, cachePage, (int)(pos - pageStart), size, flags | (more ? MsgFlags.More : 0));
            cachePage.Put(); // the page cache's reference
            if (ret <= 0) break;
            sent += ret;
            pos += ret;
            if (ret < size) break;
        }
        return sent > 0 ? sent : ret;
    }

    /// <summary>recvmsg(2), non-blocking: bytes read, 0 at end of stream, -EAGAIN when nothing is queued.</summary>
    public int Recv(Span<byte> dest, bool peek = false) => TcpBpf.RecvMsg(this, dest, peek);

    /// <summary>recvmsg(2) that may sleep (SO_RCVTIMEO, unless MSG_DONTWAIT or O_NONBLOCK): bytes read, 0 at end of
    /// stream, -EAGAIN when the timeout ran out, -errno.</summary>
    public ValueTask<int> RecvMsgAsync(Memory<byte> dest, int flags = 0) => TcpBpf.RecvMsgAsync(this, dest, flags);

    /// <summary>
    /// close(2): sock_map_close removes the socket from every map (its psock goes: cork and unread ingress_msg are
    /// lost), then TCP closes: what the write queue held is flushed to the peer, unread received data is dropped, and
    /// the peer sees end of stream.
    /// </summary>
    public void Close()
    {
        if (State == SockState.Close && Peer is null && Psock is null) return;
        uint oldTcpState = SockOps.SockOpsRunner.TcpState(this);
        var psock = Psock;
        if (psock is not null)
        {
            foreach (var link in psock.Links.ToArray())
                ((SockMapBase)link.Map).RemoveSocket(this, link.Key);
            if (Psock is not null) SkPsockLife.Drop(this, Psock);
        }
        var peer = Peer;
        if (peer is not null)
        {
            _moreHeld = 0;
            TransmitAll();
            SkSkb.SkPsockRx.DataReady(peer);
            bool peerWasEstablished = !peer.RcvShutdown && peer.State == SockState.Established;
            peer.RcvShutdown = true;
            // The peer's FIN processing (tcp_fin): ESTABLISHED -> CLOSE_WAIT.
            if (peerWasEstablished) SockOps.SockOpsRunner.StateChange(peer, Programs.SockOpsOp.TcpEstablished, Programs.SockOpsOp.TcpCloseWait);
        }
        else if (Remote is not null) WireClose(); // FIN (or RST) to a peer on another host (Sock.Remote.cs)
        PurgedBytes += ReceiveQueue.Purge();
        PurgedBytes += WriteQueue.Purge();
        State = SockState.Close;
        SendShutdown = RcvShutdown = true;
        Peer = null;
        Frag.Release();
        // tcp_close's tcp_set_state calls, reported as one change to TCP_CLOSE (the FIN_WAIT/LAST_ACK steps between
        // are not modelled).
        if (oldTcpState != Programs.SockOpsOp.TcpClose) SockOps.SockOpsRunner.StateChange(this, oldTcpState, Programs.SockOpsOp.TcpClose);
        // sk_state_change on both ends: sleepers of this socket see SEND_SHUTDOWN (-EPIPE) or the end of the stream,
        // the peer's readers see the end of its stream.
        Wake();
        peer?.Wake();
    }

    private void TransmitAll()
    {
        if (Peer is null) return;
        WriteQueue.MoveTo(Peer.ReceiveQueue, WriteQueue.Bytes);
    }
}
