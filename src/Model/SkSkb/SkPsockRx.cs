using SockActors.Model.Memory;
using SockActors.Model.Msg;
using SockActors.Model.Net;
using SockActors.Model.Programs;

namespace SockActors.Model.SkSkb;

/// <summary>How a psock takes over its socket's receive side (sock_map_link): not at all, through the stream parser
/// (sk_psock_start_strp) or skb by skb (sk_psock_start_verdict).</summary>
public enum SkSkbRxMode
{
    /// <summary>The psock has no SK_SKB program: the socket receives as TCP does.</summary>
    None,
    /// <summary>A stream parser and verdict are attached: strparser frames the stream into messages.</summary>
    StreamParser,
    /// <summary>Only a verdict (stream or skb) is attached: each received skb is judged as it is.</summary>
    Verdict,
}

/// <summary>The receive-side state of a psock: the strparser, ingress_skb (the backlog) and work_state.</summary>
public sealed class SkPsockRxState
{
    /// <summary>How the receive side is taken over.</summary>
    public SkSkbRxMode Mode { get; internal set; }
    /// <summary>The stream parser (struct strparser) in <see cref="SkSkbRxMode.StreamParser"/> mode, else null.</summary>
    public StreamParser? Strp { get; internal set; }

    /// <summary>psock->ingress_skb: skbs waiting for sk_psock_backlog (redirected here, or passed while earlier ones wait).</summary>
    public LinkedList<SkBuff> IngressSkb { get; } = new();

    /// <summary>psock->work_state: where a partly handled head skb resumes (len 0 = from its start).</summary>
    internal int StateLen, StateOff;

    /// <summary>Bytes waiting in ingress_skb.</summary>
    public long BacklogBytes
    {
        get
        {
            long n = 0;
            foreach (var s in IngressSkb) n += s.Len;
            return n;
        }
    }
}

/// <summary>
/// The SK_SKB receive path of net/core/skmsg.c: sk_psock_strp_read, sk_psock_verdict_recv, sk_psock_verdict_apply,
/// sk_psock_skb_redirect, sk_psock_backlog, sk_psock_handle_skb and sk_psock_skb_ingress(_self), each under its name.
/// </summary>
public static class SkPsockRx
{
    /// <summary>One jiffy (HZ = 250): the delay of sk_psock_backlog's retry after -EAGAIN.</summary>
    public const long JiffyNs = 4_000_000;

    /// <summary>
    /// The data_ready callback the psock installed (sk_psock_strp_data_ready / sk_psock_verdict_data_ready): take the
    /// receive queue's bytes, one skb per MSS at most, through the strparser or the verdict. A stopped strparser leaves
    /// them queued. Afterwards the work the verdicts scheduled runs.
    /// </summary>
    internal static void DataReady(Sock sk)
    {
        var psock = sk.Psock;
        if (psock is null || psock.Rx.Mode == SkSkbRxMode.None) return;
        var buf = new byte[Sock.LoopbackMss];
        while (!sk.ReceiveQueue.IsEmpty)
        {
            // strp_data_ready: "if (strp->need_bytes) { if (strp_peek_len(strp) < strp->need_bytes) return; }"
            if (psock.Rx.Mode == SkSkbRxMode.StreamParser && psock.Rx.Strp!.NeedBytes > 0 && sk.ReceiveQueue.Bytes < psock.Rx.Strp.NeedBytes)
                break;
            int n = sk.ReceiveQueue.Peek(buf);
            var skb = new SkBuff(buf.AsSpan(0, n));
            skb.HoldPages(sk.ReceiveQueue, n);
            if (psock.Rx.Mode == SkSkbRxMode.StreamParser)
            {
                // strp_read_sock -> tcp_read_sock -> __strp_recv: the eaten bytes leave the queue; the strparser keeps
                // clones of the skb, and tcp_eat_recv_skb frees the original.
                int eaten = psock.Rx.Strp!.Recv(sk, psock, skb);
                skb.ReleasePages();
                sk.ReceiveQueue.Consume(eaten, default);
                if (eaten < n) break;
            }
            else
            {
                // tcp_read_skb: the skb is unlinked (still charged to sk) and handed to sk_psock_verdict_recv.
                sk.ReceiveQueue.Consume(n, default);
                SetOwner(skb, sk);
                VerdictRecv(sk, skb);
            }
            if (sk.Psock != psock) break;
        }
        sk.Kernel.PsockWork.Drain();
    }

    /// <summary>sk_psock_strp_read (rcv_msg): run the stream verdict on the message's head skb and apply it. A verdict of
    /// SK_PASS marks the skb as a strparser message (skb_bpf_set_strparser), so [offset, offset + full_len) is what moves.</summary>
    internal static void StrpRead(Sock sk, SkBuff skb)
    {
        var psock = sk.Psock;
        if (psock is null)
        {
            SockDrop(sk, skb);
            return;
        }
        var ret = SkVerdict.Drop;
        if (psock.Progs.StreamVerdict is ISkSkbProgram prog)
        {
            skb.Sk = sk;
            skb.RedirectClear();
            int rc = SkSkbProgramContext.Run(sk, prog, skb, onFault: SkAction.Drop);
            if (rc == SkAction.Pass) skb.Strparser = true;
            ret = SkPsockVerdict.MapVerdict(rc, skb.SkRedir is not null);
            skb.Sk = null;
        }
        sk.Kernel.EmitSkbVerdict(sk, skb, ret);
        VerdictApply(psock, skb, ret);
    }

    /// <summary>sk_psock_verdict_recv (read_skb actor): the stream verdict, or else the skb verdict, on one skb.</summary>
    internal static int VerdictRecv(Sock sk, SkBuff skb)
    {
        var psock = sk.Psock;
        int len = skb.Len;
        if (psock is null)
        {
            SockDrop(sk, skb);
            return 0;
        }
        var ret = SkVerdict.Drop;
        var prog = (psock.Progs.StreamVerdict ?? psock.Progs.SkbVerdict) as ISkSkbProgram;
        if (prog is not null)
        {
            skb.RedirectClear();
            int rc = SkSkbProgramContext.Run(sk, prog, skb, onFault: SkAction.Drop);
            ret = SkPsockVerdict.MapVerdict(rc, skb.SkRedir is not null);
        }
        sk.Kernel.EmitSkbVerdict(sk, skb, ret);
        if (VerdictApply(psock, skb, ret) < 0) len = 0;
        return len;
    }

    /// <summary>
    /// sk_psock_verdict_apply: PASS queues the skb (or the strparser message in it) on the socket's own ingress_msg,
    /// directly when ingress_skb is empty, else behind it through the backlog (keeping order); REDIRECT hands it to the
    /// target's backlog; DROP frees it.
    /// </summary>
    internal static int VerdictApply(SkPsock psock, SkBuff skb, SkVerdict verdict)
    {
        var sk = psock.Sk;
        int err = 0;
        switch (verdict)
        {
            case SkVerdict.Pass:
                err = -Errno.EIO;
                if (IsDead(sk) || !psock.TxEnabled)
                {
                    skb.RedirectClear();
                    SockDrop(sk, skb);
                    return err;
                }
                skb.Ingress = true; // skb_bpf_set_ingress
                if (psock.Rx.IngressSkb.Count == 0)
                {
                    var (off, len) = Range(skb);
                    err = SkbIngressSelf(psock, skb, off, len);
                }
                if (err < 0)
                {
                    if (psock.TxEnabled)
                    {
                        psock.Rx.IngressSkb.AddLast(skb);
                        sk.Kernel.PsockWork.Schedule(psock);
                        err = 0;
                    }
                    else
                    {
                        skb.RedirectClear();
                        SockDrop(sk, skb);
                    }
                }
                return err;
            case SkVerdict.Redirect:
                return SkbRedirect(psock, skb);
            default:
                SockDrop(sk, skb);
                return 0;
        }
    }

    /// <summary>sk_psock_skb_redirect: no target, a target without psock, a dead one or one whose psock is stopped drops
    /// the skb (-EIO); otherwise it is queued on the target's ingress_skb and the target's backlog is scheduled.</summary>
    internal static int SkbRedirect(SkPsock from, SkBuff skb)
    {
        var other = skb.SkRedir;
        var psockOther = other?.Psock;
        if (other is null || psockOther is null || IsDead(other) || !psockOther.TxEnabled)
        {
            skb.RedirectClear();
            SockDrop(from.Sk, skb);
            return -Errno.EIO;
        }
        psockOther.Rx.IngressSkb.AddLast(skb);
        other.Kernel.PsockWork.Schedule(psockOther);
        return 0;
    }

    /// <summary>
    /// sk_psock_backlog: handle ingress_skb from its head. A handler returning -EAGAIN keeps the skb at the head with
    /// the resume point (sk_psock_skb_state, the redirect info restored) and retries one jiffy later; any other error
    /// reports it on the socket, clears SK_PSOCK_TX_ENABLED and drops the skb.
    /// </summary>
    internal static void Backlog(SkPsock psock)
    {
        var sk = psock.Sk;
        var rx = psock.Rx;
        while (rx.IngressSkb.First is { } node)
        {
            var skb = node.Value;
            var (off, len) = Range(skb);
            // "Resume processing from previous partial state"
            if (rx.StateLen != 0)
            {
                len = rx.StateLen;
                off = rx.StateOff;
            }
            bool ingress = skb.Ingress;
            skb.RedirectClear();
            do
            {
                int ret = -Errno.EIO;
                if (!IsDead(sk)) ret = HandleSkb(psock, skb, off, len, ingress);
                if (ret <= 0)
                {
                    if (ret == -Errno.EAGAIN)
                    {
                        // sk_psock_skb_state; "Restore redir info we cleared before"
                        rx.StateLen = len;
                        rx.StateOff = off;
                        skb.SkRedir = sk;
                        skb.Ingress = ingress;
                        if (psock.TxEnabled) sk.Kernel.PsockWork.ScheduleDelayed(psock, JiffyNs);
                        return;
                    }
                    // "Hard errors break pipe and stop xmit." (sk_psock_report_error)
                    sk.Err = ret != 0 ? -ret : Errno.EPIPE;
                    psock.TxEnabled = false;
                    rx.IngressSkb.Remove(node);
                    rx.StateLen = rx.StateOff = 0;
                    SockDrop(sk, skb);
                    return;
                }
                off += ret;
                len -= ret;
            } while (len != 0);
            // "The entire skb sent, clear state"
            rx.StateLen = rx.StateOff = 0;
            rx.IngressSkb.Remove(node);
            if (!ingress)
            {
                // Sent: the skb is freed (its pages stay referenced by the skbs skb_send_sock queued, which the model's
                // write queue holds itself).
                Orphan(skb);
                skb.ReleasePages();
            }
        }
    }

    /// <summary>sk_psock_handle_skb: egress needs a writeable socket (-EAGAIN) and goes out through skb_send_sock;
    /// ingress goes to the socket's ingress_msg.</summary>
    private static int HandleSkb(SkPsock psock, SkBuff skb, int off, int len, bool ingress)
    {
        var sk = psock.Sk;
        if (!ingress)
        {
            if (!sk.SockWriteable) return -Errno.EAGAIN;
            return SkbSendSock(sk, skb, off, len);
        }
        return SkbIngress(psock, skb, off, len);
    }

    /// <summary>
    /// skb_send_sock -> __skb_send_sock (net/core/skbuff.c): [off, off + len) of the skb piece by piece (the linear
    /// part, the frags, then the skbs of its frag_list; see <see cref="SkBuff.FragPieces"/>), one sendmsg_unlocked call
    /// per piece, a piece taken in part offered again at once. The first call that takes nothing ends it: the bytes
    /// sent so far, or that call's return when none were.
    /// </summary>
    private static int SkbSendSock(Sock sk, SkBuff skb, int off, int len)
    {
        int cursor = off;
        foreach (int piece in skb.FragPieces(off, len))
        {
            int stop = cursor + piece;
            while (cursor < stop)
            {
                int ret = SendMsgUnlocked(sk, skb.Bytes.Slice(cursor, stop - cursor));
                if (ret <= 0) return cursor == off ? ret : cursor - off;
                cursor += ret;
            }
        }
        return cursor - off;
    }

    /// <summary>
    /// sendmsg_unlocked -> sock_sendmsg with MSG_DONTWAIT | MSG_SPLICE_PAGES: the socket's proto decides, so a socket
    /// whose psock has an SK_MSG program sends through tcp_bpf_sendmsg and runs that program on what the backlog
    /// sends (observed: an SK_SKB redirect to p2's egress runs the SK_MSG program on p2); otherwise tcp_sendmsg.
    /// </summary>
    private static int SendMsgUnlocked(Sock sk, ReadOnlySpan<byte> data)
    {
        if (sk.Psock?.Progs.MsgParser is null) return sk.SkbSendSock(data);
        var pending = TcpBpf.SendMsgAsync(sk, data.ToArray(), MsgFlags.DontWait | MsgFlags.SplicePages);
        if (!pending.IsCompleted)
            throw new InvalidOperationException(
                $"{sk.Name}: an SK_MSG redirect from a send of the SK_SKB backlog did not complete in place; this runtime does not carry that hand-off");
        return pending.Result;
    }

    /// <summary>sk_psock_skb_ingress: an skb owned by another socket needs room in this one's receive memory
    /// (sk_psock_create_ingress_msg: sk_rmem_alloc above sk_rcvbuf is -EAGAIN) and changes owner.</summary>
    private static int SkbIngress(SkPsock psock, SkBuff skb, int off, int len)
    {
        var sk = psock.Sk;
        if (ReferenceEquals(skb.Sk, sk)) return SkbIngressSelf(psock, skb, off, len);
        if (sk.SkbRmem > sk.SkRcvbuf) return -Errno.EAGAIN;
        SetOwner(skb, sk);
        return SkbIngressEnqueue(psock, skb, off, len);
    }

    /// <summary>sk_psock_skb_ingress_self: the skb is (made) this socket's, without the memory check.</summary>
    private static int SkbIngressSelf(SkPsock psock, SkBuff skb, int off, int len)
    {
        SetOwner(skb, psock.Sk);
        return SkbIngressEnqueue(psock, skb, off, len);
    }

    /// <summary>
    /// sk_psock_skb_ingress_enqueue: skb_to_sgvec of [off, off + len) into a new sk_msg queued on ingress_msg
    /// (sk_psock_queue_msg drops it when the psock is stopped). A range past the skb's end (a program shrank a
    /// strparser message's skb) is -EMSGSIZE. The skb's receive-memory charge moves to the message.
    /// </summary>
    private static int SkbIngressEnqueue(SkPsock psock, SkBuff skb, int off, int len)
    {
        var sk = psock.Sk;
        if (off < 0 || (long)off + len > skb.Len) return -Errno.EMSGSIZE;
        int charge = skb.Charged;
        skb.Sk = null;
        skb.Charged = 0;
        var msg = sk.AllocIngressMsg();
        msg.FromSkb = true;
        msg.SkbCharge = charge;
        if (len > 0)
        {
            var page = sk.Kernel.Pages.Alloc(PageAllocator.GetOrder(len));
            skb.Bytes.Slice(off, len).CopyTo(page.Buffer);
            msg.Data[msg.End] = new ScatterlistEntry { Page = page, Offset = 0, Length = len, EndMark = true };
            msg.End = SkMsg.Next(msg.End);
            msg.Size = (uint)len;
            sk.MemCharge(len);
            sk.RmemAlloc += len;
        }
        if (psock.TxEnabled && len > 0)
        {
            // msg->skb = skb: skb_to_sgvec points the message at the skb's pages, which stay referenced until the
            // message is read; past MAX_MSG_FRAGS pieces the skb is linearized first (a copy: the pages go now).
            if (skb.FragPieces(off, len).Count > SkMsg.MaxMsgFrags) skb.ReleasePages();
            msg.Skb = skb;
            psock.IngressMsg.AddLast(msg);
        }
        else
        {
            sk.SkbRmem -= charge;
            sk.RmemAlloc -= msg.Size;
            SkMsgOps.Free(sk, msg);
            sk.FreeIngressMsg(msg);
            skb.ReleasePages();
        }
        return len;
    }

    /// <summary>The bytes of an skb that move: the strparser message, or the whole skb.</summary>
    private static (int Off, int Len) Range(SkBuff skb) => skb.Strparser ? (skb.StrpOffset, skb.StrpFullLen) : (0, skb.Len);

    /// <summary>sock_flag(sk, SOCK_DEAD): the socket was closed.</summary>
    private static bool IsDead(Sock sk) => sk.State == SockState.Close && sk.Peer is null;

    /// <summary>skb_set_owner_r: charge the skb to <paramref name="sk"/>'s receive memory (after skb_orphan).</summary>
    internal static void SetOwner(SkBuff skb, Sock sk)
    {
        if (ReferenceEquals(skb.Sk, sk) && skb.Charged == skb.Len) return;
        Orphan(skb);
        skb.Sk = sk;
        skb.Charged = skb.Len;
        sk.SkbRmem += skb.Len;
    }

    /// <summary>skb_orphan: release the receive-memory charge, which reopens the owner's TCP window.</summary>
    internal static void Orphan(SkBuff skb)
    {
        if (skb.Sk is { } owner && skb.Charged != 0)
        {
            owner.SkbRmem -= skb.Charged;
            owner.Kernel.PsockWork.WindowOpened(owner);
        }
        skb.Sk = null;
        skb.Charged = 0;
    }

    /// <summary>sock_drop: the skb is freed and counted as dropped on <paramref name="sk"/>.</summary>
    internal static void SockDrop(Sock sk, SkBuff skb)
    {
        var (_, len) = Range(skb);
        sk.SkbDroppedBytes += Math.Max(0, Math.Min(len, skb.Len));
        Orphan(skb);
        skb.ReleasePages();
    }

    /// <summary>
    /// tcp_bpf_recvmsg_parser (the recvmsg of a socket whose psock runs SK_SKB programs): skbs still in the receive
    /// queue go through data_ready first, and if some stay (a stopped strparser) the read is -EAGAIN; then ingress_msg
    /// is read. Nothing read: 0 after the peer's FIN, the socket error once (sock_error), else -EAGAIN.
    /// </summary>
    internal static int RecvMsgParser(Sock sk, SkPsock psock, Span<byte> dest, bool peek)
    {
        if (!sk.ReceiveQueue.IsEmpty)
        {
            DataReady(sk);
            // What a strparser holds back for need_bytes does not stop the read: observed, the messages before it are
            // read (receive-901-9: 42035 bytes of 8407-byte frames read with 7117 bytes held); a stopped parser's does.
            bool held = psock.Rx.Strp is { Stopped: false, NeedBytes: > 0 };
            if (!sk.ReceiveQueue.IsEmpty && !held) return -Errno.EAGAIN;
        }
        int copied = TcpBpf.SkMsgRecvMsg(sk, psock, dest, peek);
        sk.Kernel.PsockWork.Drain();
        if (copied != 0) return copied;
        if (sk.Err != 0)
        {
            int err = sk.Err;
            sk.Err = 0;
            return -err;
        }
        if (sk.RcvShutdown) return 0;
        return -Errno.EAGAIN;
    }

    /// <summary>__sk_psock_zap_ingress for the skb side (sk_psock_stop): ingress_skb and the work state go.</summary>
    internal static void Zap(Sock sk, SkPsock psock)
    {
        foreach (var skb in psock.Rx.IngressSkb) SockDrop(sk, skb);
        psock.Rx.IngressSkb.Clear();
        psock.Rx.StateLen = psock.Rx.StateOff = 0;
        psock.Rx.Strp?.Done();
        psock.Rx.Mode = SkSkbRxMode.None;
    }
}
