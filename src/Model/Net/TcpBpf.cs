using SockActors.Model.Msg;

namespace SockActors.Model.Net;


/// <summary>
/// net/ipv4/tcp_bpf.c: the send path of a socket whose psock has an SK_MSG program (tcp_bpf_sendmsg,
/// tcp_bpf_send_verdict, tcp_bpf_push), the redirect target's side (tcp_bpf_sendmsg_redir, bpf_tcp_ingress) and the
/// receive side (tcp_bpf_recvmsg, sk_msg_recvmsg). Ported step by step under the kernel's names; the only change is
/// that the places where the kernel sleeps or drops the socket lock are awaits on <see cref="ISockEnvironment"/>.
/// </summary>
public static class TcpBpf
{
    /// <summary>
    /// tcp_bpf_sendmsg: copy the user's bytes into page frags (into the cork message if one is open), count down
    /// cork_bytes by the whole send size, and hand each chunk of at most 17 elements to the verdict.
    /// Returns copied &gt; 0 ? copied : err.
    /// </summary>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<int> SendMsgAsync(Sock sk, ReadOnlyMemory<byte> data, int userFlags)
    {
        int flags = userFlags | MsgFlags.NoSharedFrags;
        var psock = sk.Psock;
        if (psock is null) return await sk.TcpSendMsgAsync(data, userFlags);

        psock.RefCnt++; // sk_psock_get
        var st = new SendVerdictCall(sk, psock, flags);
        int err = 0;
        int size = data.Length;
        int pos = 0;
        long timeo = sk.SndTimeo(userFlags);
        sk.SendAllocated = 0;
        SkMsg? msgTx = null;
        var profile = sk.Kernel.Profile;
        try
        {
            while (pos < size)
            {
                bool enospc = false;
                if (sk.Err != 0)
                {
                    err = -sk.SockError();
                    break;
                }
                int copy = size - pos;
                if (sk.StreamMemoryFree)
                {
                    msgTx = psock.Cork ?? sk.RentTxMsg();
                    uint osize = msgTx.Size;
                    err = SkMsgOps.Alloc(sk, msgTx, (int)msgTx.Size + copy, msgTx.End - 1);
                    if (err == 0 || err == -Errno.ENOSPC)
                    {
                        if (err != 0)
                        {
                            enospc = true;
                            copy = (int)(msgTx.Size - osize);
                        }
                        int ret = SkMsgOps.MemcopyFromIter(msgTx, data.Span, ref pos, copy);
                        if (ret < 0)
                        {
                            SkMsgOps.Trim(sk, msgTx, (int)osize);
                            break;
                        }
                        st.Copied += ret;
                        if (psock.CorkBytes != 0)
                        {
                            // 6.x subtracts the whole sendmsg size; 4.17 the bytes copied.
                            uint counted = profile.CorkCountsWholeSend ? (uint)size : (uint)ret;
                            if (counted > psock.CorkBytes) psock.CorkBytes = 0;
                            else psock.CorkBytes -= counted;
                            if (psock.CorkBytes != 0 && !enospc) break;
                            // "All cork bytes are accounted, rerun the prog."
                            psock.Eval = SkVerdict.None;
                            psock.CorkBytes = 0;
                        }
                        // tcp_bpf_send_verdict runs where the psock's verdict state lives (the verdict actor, or in place).
                        st.Msg = msgTx;
                        err = await sk.Kernel.Environment.SendVerdictAsync(st);
                        if (err < 0) break;
                        continue;
                    }
                }
                // wait_for_sndbuf / wait_for_memory
                long r = await sk.Kernel.Environment.WaitForMemoryAsync(sk, timeo);
                if (r < 0)
                {
                    err = (int)r;
                    if (msgTx is not null && !ReferenceEquals(msgTx, psock.Cork)) SkMsgOps.Free(sk, msgTx);
                    break;
                }
                timeo = r;
            }
        }
        finally
        {
            SkPsockLife.Put(sk, psock);
            sk.ReleaseSock();
        }
        if (err < 0) err = StreamError(sk, userFlags, err);
        return st.Copied > 0 ? st.Copied : err;
    }

    /// <summary>sk_stream_error: -EPIPE becomes the pending socket error if there is one (SIGPIPE is not simulated).</summary>
    private static int StreamError(Sock sk, int flags, int err)
    {
        if (err == -Errno.EPIPE && sk.Err != 0) err = -sk.SockError();
        return err;
    }

    /// <summary>
    /// tcp_bpf_send_verdict: run the program if no verdict is cached, cork if it asked for more bytes than there are,
    /// then apply the verdict to min(apply_bytes, size) bytes and loop while bytes remain.
    /// </summary>
    internal static async ValueTask<int> SendVerdictAsync(Sock sk, SkPsock psock, SkMsg? msg, SendVerdictCall st, int flags)
    {
        bool cork = false, enospc = msg!.Full;
        int delta = 0;
        int ret;
        while (true)
        {
            // more_data:
            if (psock.Eval == SkVerdict.None)
            {
                // "Track delta in msg size to add/subtract it on SK_DROP from returned to user copied size."
                delta = (int)msg!.Size;
                psock.Eval = SkPsockVerdict.Run(sk, psock, msg);
                delta -= (int)msg.Size;
            }

            if (msg!.CorkBytes != 0 && msg.CorkBytes > msg.Size && !enospc)
            {
                psock.CorkBytes = msg.CorkBytes - msg.Size;
                psock.Cork ??= new SkMsg();
                if (!ReferenceEquals(psock.Cork, msg)) psock.Cork.CopyFrom(msg);
                return 0;
            }

            uint tosend = msg.Size;
            if (psock.ApplyBytes != 0 && psock.ApplyBytes < tosend) tosend = psock.ApplyBytes;
            var eval = SkVerdict.None;

            switch (psock.Eval)
            {
                case SkVerdict.Pass:
                    ret = await PushAsync(sk, msg, tosend, flags, uncharge: true);
                    if (ret != 0)
                    {
                        sk.Kernel.EmitBytesMoved(sk, ByteFlowKind.Freed, msg.Size);
                        st.Copied -= SkMsgOps.Free(sk, msg);
                        break;
                    }
                    SkMsgOps.ApplyBytes(psock, tosend);
                    break;

                case SkVerdict.Redirect:
                {
                    bool redirIngress = psock.RedirIngress;
                    var skRedir = psock.SkRedir!;
                    SkMsgOps.ApplyBytes(psock, tosend);
                    if (psock.ApplyBytes == 0)
                    {
                        // "Clean up before releasing the sock lock."
                        eval = psock.Eval;
                        psock.Eval = SkVerdict.None;
                        psock.SkRedir = null;
                    }
                    if (psock.Cork is not null)
                    {
                        cork = true;
                        psock.Cork = null;
                    }
                    // release_sock(sk): the redirect runs on the target without the sender's lock.
                    sk.ReleaseSock();
                    var outcome = await sk.Kernel.Environment.SendMsgRedirAsync(
                        skRedir, redirIngress, RedirectSegments.From(msg, tosend), flags);
                    ret = outcome.Ret;
                    uint sent = outcome.Sent;
                    SkMsgOps.ConsumeFront(msg, sent, egress: !redirIngress);
                    // lock_sock(sk)
                    sk.MemUncharge(sent);
                    if (ret < 0)
                    {
                        sk.Kernel.EmitBytesMoved(sk, ByteFlowKind.Freed, msg.Size);
                        int free = SkMsgOps.Free(sk, msg);
                        if (!cork) st.Copied -= free;
                    }
                    if (cork)
                    {
                        // The corked message is freed whatever remains in it, and an error is swallowed.
                        sk.Kernel.EmitBytesMoved(sk, ByteFlowKind.Freed, msg.Size);
                        SkMsgOps.Free(sk, msg);
                        msg = null;
                        ret = 0;
                    }
                    break;
                }

                default:
                    // __SK_DROP: the whole message is freed, but only tosend (+delta) leaves the return value.
                    sk.Kernel.EmitBytesMoved(sk, ByteFlowKind.Dropped, msg.Size);
                    SkMsgOps.Free(sk, msg);
                    SkMsgOps.ApplyBytes(psock, tosend);
                    st.Copied -= unchecked((int)(tosend + (uint)delta));
                    return -Errno.EACCES;
            }

            if (ret == 0)
            {
                if (psock.ApplyBytes == 0)
                {
                    psock.Eval = SkVerdict.None;
                    psock.SkRedir = null;
                }
                if (msg is not null && msg.Data[msg.Start].HasPage && msg.Data[msg.Start].Length != 0)
                    continue;
            }
            return ret;
        }
    }

    /// <summary>
    /// tcp_bpf_push: send elements from the front through tcp_sendmsg_locked(MSG_SPLICE_PAGES), with MSG_MORE when an
    /// element is only partly sent; a short send is retried. A negative result is returned; 0 counts as success.
    /// </summary>
    internal static async ValueTask<int> PushAsync(Sock sk, SkMsg msg, uint applyBytes, int flags, bool uncharge)
    {
        bool apply = applyBytes != 0;
        while (true)
        {
            int start = msg.Start;
            int sgeLength = msg.Data[start].Length;
            int size = apply && applyBytes < sgeLength ? (int)applyBytes : sgeLength;
            int off = msg.Data[start].Offset;
            var page = msg.Data[start].Page;
            while (true)
            {
                // retry:
                int mflags = flags | MsgFlags.SplicePages;
                if (size < msg.Data[start].Length && msg.Start != msg.End) mflags |= MsgFlags.More;
                int ret = page is null ? 0 : await sk.TcpSendPageAsync(page, off, size, mflags);
                if (ret <= 0) return ret;
                if (apply) applyBytes -= (uint)ret;
                msg.Size -= (uint)ret;
                msg.Data[start].Offset += ret;
                msg.Data[start].Length -= ret;
                if (uncharge) sk.MemUncharge(ret);
                if (ret != size)
                {
                    size -= ret;
                    off += ret;
                    continue;
                }
                break;
            }
            if (msg.Data[start].Length == 0)
            {
                page!.Put();
                msg.Start = SkMsg.Next(msg.Start);
                // sg_init_table(sge, 1): zeroed and marked as the end of a one-entry table.
                msg.Data[start] = new ScatterlistEntry { EndMark = true };
                if (msg.Start == msg.End) break;
            }
            if (apply && applyBytes == 0) break;
        }
        return 0;
    }

    /// <summary>
    /// tcp_bpf_sendmsg_redir, the target's side of a redirect. No psock on the target is -EPIPE. Egress:
    /// tcp_bpf_push_locked on the target's own connection (its sndbuf, its lock); ingress: bpf_tcp_ingress.
    /// </summary>
    public static async ValueTask<RedirectOutcome> SendMsgRedirAsync(Sock target, bool ingress, RedirectSegments segs, int flags)
    {
        var psock = target.Psock;
        if (psock is null) return new RedirectOutcome(-Errno.EPIPE, 0);
        psock.RefCnt++;
        try
        {
            if (ingress) return BpfTcpIngress(target, psock, segs);
            var outcome = await PushSegmentsAsync(target, segs, flags);
            target.ReleaseSock();
            return outcome;
        }
        finally
        {
            SkPsockLife.Put(target, psock);
        }
    }

    /// <summary>
    /// tcp_bpf_push(target, msg, bytes, flags, uncharge = false) over the redirected ranges: each range (or the part
    /// of it inside the apply window) through tcp_sendmsg_locked(MSG_SPLICE_PAGES), MSG_MORE when a range is only
    /// partly sent, short sends retried, the first negative result returned.
    /// </summary>
    private static async ValueTask<RedirectOutcome> PushSegmentsAsync(Sock sk, RedirectSegments segs, int flags)
    {
        uint applyBytes = segs.ApplyBytes;
        bool apply = applyBytes != 0;
        uint sent = 0;
        foreach (var seg in segs.Segments)
        {
            int size = apply && applyBytes < seg.Length ? (int)applyBytes : seg.Length;
            int off = seg.Offset;
            int left = seg.Length;
            while (true)
            {
                int mflags = flags | MsgFlags.SplicePages;
                if (size < left) mflags |= MsgFlags.More;
                int ret = await sk.TcpSendPageAsync(seg.Page, off, size, mflags);
                if (ret <= 0) return new RedirectOutcome(ret, sent);
                if (apply) applyBytes -= (uint)ret;
                sent += (uint)ret;
                left -= ret;
                if (ret != size)
                {
                    size -= ret;
                    off += ret;
                    continue;
                }
                break;
            }
            if (apply && applyBytes == 0) break;
        }
        return new RedirectOutcome(0, sent);
    }

    /// <summary>
    /// bpf_tcp_ingress: move up to the apply window (everything if 0) range by range into a new message on the
    /// target's ingress_msg, charging the target's receive memory. The first range not fitting is -ENOMEM; a later one
    /// ends the move early (success). A stopped target psock frees the message and still reports success.
    /// </summary>
    internal static RedirectOutcome BpfTcpIngress(Sock sk, SkPsock psock, RedirectSegments segs)
    {
        uint applyBytes = segs.ApplyBytes;
        bool apply = applyBytes != 0;
        uint copied = 0;
        int ret = 0;
        var tmp = sk.AllocIngressMsg();
        foreach (var seg in segs.Segments)
        {
            uint size = apply && applyBytes < seg.Length ? applyBytes : (uint)seg.Length;
            // __sk_rmem_schedule
            if (sk.RmemAlloc + size > sk.RmemLimit)
            {
                if (copied == 0) ret = -Errno.ENOMEM;
                break;
            }
            sk.MemCharge(size);
            sk.RmemAlloc += size;
            seg.Page.Get();
            // sk_msg_xfer: page, offset and length of the sender's entry. The ingress copy carries no end mark, even
            // where the sender's entry has one (sg_init_marker's mark on slot NR_MSG_FRAG_IDS - 1, kept by the
            // sg_set_page of bpf_msg_pop_data / bpf_msg_push_data when the ring wraps onto that slot): the live 6.18
            // kernel's sk_msg_recvmsg reads such a message to its end (docs/conformance.md, "Ingress messages carry
            // no end mark"; conformance/observed-families-linux-6.18.jsonl, family2-*).
            tmp.Data[tmp.End] = new ScatterlistEntry { Page = seg.Page, Offset = seg.Offset, Length = (int)size };
            tmp.End = SkMsg.Next(tmp.End);
            tmp.Size += size;
            copied += size;
            if (apply)
            {
                applyBytes -= size;
                if (applyBytes == 0) break;
            }
        }
        if (ret != 0)
        {
            SkMsgOps.Free(sk, tmp);
            sk.FreeIngressMsg(tmp);
            return new RedirectOutcome(ret, 0);
        }
        // sk_psock_queue_msg
        sk.Kernel.EmitBytesMoved(sk, ByteFlowKind.Ingress, copied);
        if (psock.TxEnabled)
        {
            psock.IngressMsg.AddLast(tmp);
            sk.Wake(); // sk_psock_data_ready
        }
        else
        {
            sk.RmemAlloc -= copied;
            sk.PurgedBytes += tmp.Size;
            SkMsgOps.Free(sk, tmp);
            sk.FreeIngressMsg(tmp);
        }
        return new RedirectOutcome(0, copied);
    }

    /// <summary>
    /// tcp_bpf_recvmsg: the TCP queue is read directly only while ingress_msg is empty; otherwise redirected messages
    /// are read first, as a byte stream across message boundaries. Returns bytes read, 0 at EOF, -EAGAIN when empty.
    /// </summary>
    public static int RecvMsg(Sock sk, Span<byte> dest, bool peek = false)
    {
        if (dest.Length == 0) return 0;
        var psock = sk.Psock;
        if (psock is not null && psock.Rx.Mode != SkSkb.SkSkbRxMode.None) return SkSkb.SkPsockRx.RecvMsgParser(sk, psock, dest, peek);
        if (psock is null || (!sk.ReceiveQueue.IsEmpty && psock.IngressMsg.Count == 0))
            return TcpRecvOrEof(sk, dest);
        int copied = SkMsgRecvMsg(sk, psock, dest, peek);
        if (copied != 0) return copied;
        return TcpRecvOrEof(sk, dest);
    }

    /// <summary>
    /// recvmsg that may sleep: tcp_bpf_recvmsg's "msg_bytes_ready" loop (and tcp_recvmsg's for a socket without a
    /// psock). Nothing to read: a pending socket error is returned, a socket that was never connected or is closed
    /// gives -ENOTCONN, a zero timeout -EAGAIN; otherwise the call sleeps without the socket lock (tcp_msg_wait_data,
    /// sk_wait_data) until data, shutdown or an error arrives, and reads again; SO_RCVTIMEO running out is -EAGAIN.
    /// </summary>
    public static async ValueTask<int> RecvMsgAsync(Sock sk, Memory<byte> dest, int flags)
    {
        bool peek = (flags & MsgFlags.Peek) != 0;
        long timeo = sk.RcvTimeo(flags);
        while (true)
        {
            int n = RecvMsg(sk, dest.Span, peek);
            if (n != -Errno.EAGAIN) return n;
            if (sk.Err != 0) return -sk.Err;
            if (sk.State != SockState.Established) return -Errno.ENOTCONN;
            long r = await sk.Kernel.Environment.WaitForDataAsync(sk, timeo);
            if (r < 0) return (int)r;
            timeo = r;
        }
    }

    private static int TcpRecvOrEof(Sock sk, Span<byte> dest)
    {
        int n = sk.TcpRecv(dest);
        if (n != 0) return n;
        if (sk.Remote is not null && sk.WireRecvError() is int e and not 0) return -e; // a RST's error, once (Sock.Remote.cs)
        if (sk.RcvShutdown) return 0;
        return -Errno.EAGAIN;
    }

    /// <summary>
    /// sk_msg_recvmsg (net/core/skmsg.c): copy from ingress_msg as a byte stream, releasing pages and receive memory
    /// as elements empty. An element of length 0 ends the read ("if (!copy) copied = copied ? copied : -EFAULT"), so
    /// bytes queued behind one are never readable (observed: fewer bytes reach an ingress reader than were redirected).
    /// </summary>
    internal static int SkMsgRecvMsg(Sock sk, SkPsock psock, Span<byte> dest, bool peek)
    {
        int copied = 0;
        int len = dest.Length;
        var node = psock.IngressMsg.First;
        while (copied != len)
        {
            if (node is null) break;
            var msgRx = node.Value;
            int i = msgRx.Start;
            int last;
            do
            {
                last = i;
                ref var sge = ref msgRx.Data[i];
                int copy = sge.Length;
                if (copied + copy > len) copy = len - copied;
                if (copy != 0 && !sge.Page!.CopySane(sge.Offset, copy)) copy = 0;
                if (copy == 0) return copied != 0 ? copied : -Errno.EFAULT;
                sge.CopyTo(dest.Slice(copied, copy));
                copied += copy;
                if (!peek)
                {
                    sge.Offset += copy;
                    sge.Length -= copy;
                    sk.MemUncharge(copy);
                    sk.RmemAlloc -= copy;
                    msgRx.Size -= (uint)copy;
                    if (sge.Length == 0)
                    {
                        i = SkMsg.Next(i);
                        sge.Page?.Put();
                        sge.Page = null;
                    }
                }
                else
                {
                    // "Lets not optimize peek case if copy_page_to_iter didn't copy the entire length"
                    if (copy != sge.Length) return copied;
                    i = SkMsg.Next(i);
                }
                if (copied == len) break;
            } while (i != msgRx.End && !msgRx.Data[last].EndMark);

            if (peek)
            {
                node = node.Next;
                continue;
            }
            msgRx.Start = i;
            ref var lastSge = ref msgRx.Data[last];
            if (lastSge.Length == 0 && (i == msgRx.End || lastSge.EndMark))
            {
                // sk_psock_dequeue_msg + kfree_sk_msg: the message goes even if elements follow an end-marked one;
                // their bytes are never readable (the kernel leaks their pages; the model releases them and counts
                // the bytes as purged).
                psock.IngressMsg.Remove(node);
                if (msgRx.FromSkb)
                {
                    // consume_skb(msg_rx->skb): the skb's receive memory goes, the window opens.
                    sk.SkbRmem -= msgRx.SkbCharge;
                    sk.Kernel.PsockWork.WindowOpened(sk);
                    msgRx.Skb?.ReleasePages();
                }
                if (msgRx.Size != 0)
                {
                    sk.PurgedBytes += msgRx.Size;
                    sk.RmemAlloc -= msgRx.Size;
                    SkMsgOps.Free(sk, msgRx);
                }
                sk.FreeIngressMsg(msgRx);
            }
            node = psock.IngressMsg.First;
        }
        return copied;
    }
}
