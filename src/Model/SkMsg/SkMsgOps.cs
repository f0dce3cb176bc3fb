using SockActors.Model.Net;

namespace SockActors.Model.Msg;

/// <summary>
/// The scatterlist ring operations of net/core/skmsg.c, ported line by line because their quirks are observable:
/// the copy cursor (curr/copybreak) is not moved when bytes leave the front of a message, so a reused cork message
/// copies new bytes to stale positions (observed as short copies and sendmsg calls that return 0).
/// </summary>
public static class SkMsgOps
{
    /// <summary>sk_msg_try_coalesce_ok</summary>
    private static bool TryCoalesceOk(SkMsg msg, int elemFirstCoalesce)
    {
        if (msg.End > msg.Start && elemFirstCoalesce < msg.End) return true;
        if (msg.End < msg.Start && (elemFirstCoalesce > msg.Start || elemFirstCoalesce < msg.End)) return true;
        return false;
    }

    /// <summary>
    /// sk_msg_alloc: reserve page-frag space until the message holds <paramref name="len"/> bytes, coalescing carvings
    /// that continue the last element. -ENOSPC when the ring is full (what was reserved stays), -ENOMEM on refill
    /// failure (trimmed back).
    /// </summary>
    public static int Alloc(Sock sk, SkMsg msg, int len, int elemFirstCoalesce)
    {
        var pfrag = sk.Frag;
        uint osize = msg.Size;
        int ret = 0;
        len -= (int)msg.Size;
        while (len > 0)
        {
            if (!pfrag.Refill(sk.Kernel.Pages))
            {
                Trim(sk, msg, (int)osize);
                return -Errno.ENOMEM;
            }
            int origOffset = pfrag.Offset;
            int use = Math.Min(len, pfrag.Size - origOffset);

            int i = SkMsg.Prev(msg.End);
            ref var sge = ref msg.Data[i];
            if (TryCoalesceOk(msg, elemFirstCoalesce) && sge.Page == pfrag.Page && sge.Offset + sge.Length == origOffset)
            {
                sge.Length += use;
            }
            else
            {
                if (msg.Full)
                {
                    ret = -Errno.ENOSPC;
                    break;
                }
                ref var ne = ref msg.Data[msg.End];
                ne.EndMark = false; // sg_unmark_end
                ne.SetPage(pfrag.Page, use, origOffset);
                pfrag.Page!.Get();
                msg.End = SkMsg.Next(msg.End);
            }
            sk.MemCharge(use);
            msg.Size += (uint)use;
            pfrag.Offset += use;
            len -= use;
            ret = 0;
        }
        return ret;
    }

    /// <summary>
    /// sk_msg_memcopy_from_iter: copy user bytes into the message at the copy cursor (curr + copybreak), not at the
    /// end of what was just reserved. Returns bytes copied, or -ENOSPC when the cursor is already past the last element.
    /// </summary>
    public static int MemcopyFromIter(SkMsg msg, ReadOnlySpan<byte> from, ref int fromPos, int bytes)
    {
        int ret = -Errno.ENOSPC;
        int i = msg.Curr;
        int copied = 0;
        do
        {
            ref var sge = ref msg.Data[i];
            // "This is possible if a trim operation shrunk the buffer"
            if (msg.Copybreak >= sge.Length)
            {
                msg.Copybreak = 0;
                i = SkMsg.Next(i);
                if (i == msg.End) break;
                sge = ref msg.Data[i];
            }
            int bufSize = sge.Length - (int)msg.Copybreak;
            int copy = bufSize > bytes ? bytes : bufSize;
            if (copy > 0) sge.Page!.Write(sge.Offset + (int)msg.Copybreak, from.Slice(fromPos, copy));
            fromPos += copy;
            msg.Copybreak += (uint)copy;
            ret = copy;
            bytes -= copy;
            copied += copy;
            if (bytes == 0) break;
            msg.Copybreak = 0;
            i = SkMsg.Next(i);
        } while (i != msg.End);
        msg.Curr = i;
        return ret < 0 ? ret : copied;
    }

    /// <summary>sk_msg_free_elem</summary>
    private static int FreeElem(Sock sk, SkMsg msg, int i, bool charge)
    {
        ref var sge = ref msg.Data[i];
        int len = sge.Length;
        if (charge) sk.MemUncharge(len);
        sge.Page?.Put();
        sge = default;
        return len;
    }

    /// <summary>sk_msg_trim: cut the message back to <paramref name="len"/> bytes from its end, repairing the copy cursor.</summary>
    public static void Trim(Sock sk, SkMsg msg, int len)
    {
        int trim = (int)msg.Size - len;
        int i = msg.End;
        if (trim <= 0) return;

        i = SkMsg.Prev(i);
        msg.Size = (uint)len;
        bool done = false;
        while (msg.Data[i].Length != 0 && trim >= msg.Data[i].Length)
        {
            trim -= msg.Data[i].Length;
            FreeElem(sk, msg, i, true);
            i = SkMsg.Prev(i);
            if (trim == 0) { done = true; break; }
        }
        if (!done)
        {
            msg.Data[i].Length -= trim;
            sk.MemUncharge(trim);
            if (msg.Curr == i && msg.Copybreak > msg.Data[i].Length) msg.Copybreak = (uint)msg.Data[i].Length;
        }
        i = SkMsg.Next(i);
        msg.End = i;

        if (msg.Size == 0)
        {
            msg.Curr = msg.Start;
            msg.Copybreak = 0;
        }
        else if (SkMsg.Dist(msg.Start, msg.Curr) >= SkMsg.Dist(msg.Start, msg.End))
        {
            i = SkMsg.Prev(i);
            msg.Curr = i;
            msg.Copybreak = (uint)msg.Data[i].Length;
        }
    }

    /// <summary>sk_msg_free (__sk_msg_free with charge): release every element from start, then sk_msg_init. Returns bytes freed.</summary>
    public static int Free(Sock sk, SkMsg msg) => FreeFrom(sk, msg, msg.Start, charge: true);

    private static int FreeFrom(Sock sk, SkMsg msg, int i, bool charge)
    {
        int freed = 0;
        while (msg.Size != 0)
        {
            msg.Size -= (uint)msg.Data[i].Length;
            freed += FreeElem(sk, msg, i, charge);
            i = SkMsg.Next(i);
        }
        msg.Init();
        return freed;
    }

    /// <summary>sk_msg_reset_curr (filter.c, 6.13+): after pull/push/pop new bytes are appended after all existing ones.</summary>
    public static void ResetCurr(SkMsg msg)
    {
        if (msg.Size == 0)
        {
            msg.Curr = msg.Start;
            msg.Copybreak = 0;
        }
        else
        {
            int i = SkMsg.Prev(msg.End);
            msg.Curr = i;
            msg.Copybreak = (uint)msg.Data[i].Length;
        }
    }

    /// <summary>sk_msg_apply_bytes (include/linux/skmsg.h): count the bytes a cached verdict has covered.</summary>
    public static void ApplyBytes(SkPsock psock, uint bytes)
    {
        if (psock.ApplyBytes != 0)
        {
            if (psock.ApplyBytes < bytes) psock.ApplyBytes = 0;
            else psock.ApplyBytes -= bytes;
        }
    }

    /// <summary>
    /// The sender's side of a redirect: the target took <paramref name="sent"/> bytes from the front of the message
    /// (tcp_bpf_push on the target's egress, or sk_msg_xfer into the target's ingress message). Elements it emptied
    /// leave the ring and their page reference goes (the target holds its own); a partly taken element keeps the rest.
    /// </summary>
    public static void ConsumeFront(SkMsg msg, uint sent, bool egress)
    {
        while (sent > 0 && msg.Start != msg.End)
        {
            ref var sge = ref msg.Data[msg.Start];
            int n = (int)Math.Min(sent, (uint)sge.Length);
            sge.Offset += n;
            sge.Length -= n;
            msg.Size -= (uint)n;
            sent -= (uint)n;
            if (sge.Length == 0)
            {
                sge.Page?.Put();
                // tcp_bpf_push re-initialises an emptied slot with sg_init_table (end-marked); sk_msg_xfer leaves
                // the slot's page_link, and so its mark, as it was.
                bool mark = egress || sge.EndMark;
                sge = new ScatterlistEntry { EndMark = mark };
                msg.Start = SkMsg.Next(msg.Start);
            }
        }
    }
}
