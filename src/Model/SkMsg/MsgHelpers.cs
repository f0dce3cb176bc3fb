using SockActors.Model.Memory;
using SockActors.Model.Net;

namespace SockActors.Model.Msg;

/// <summary>
/// The data helpers of SK_MSG programs, net/core/filter.c: bpf_msg_apply_bytes, bpf_msg_cork_bytes,
/// bpf_msg_pull_data, bpf_msg_push_data, bpf_msg_pop_data, with every check and error code in the kernel's order.
/// The 6.13 fixes (append at the end, pop through the last byte, len 0, sk_msg_reset_curr, pop's front length) apply
/// when the profile says so.
/// </summary>
public static class MsgHelpers
{
    /// <summary>bpf_msg_apply_bytes: no checks, always 0.</summary>
    public static long ApplyBytes(SkMsg msg, uint bytes)
    {
        msg.ApplyBytes = bytes;
        return 0;
    }

    /// <summary>bpf_msg_cork_bytes: no checks, always 0.</summary>
    public static long CorkBytes(SkMsg msg, uint bytes)
    {
        msg.CorkBytes = bytes;
        return 0;
    }

    private static Page AllocPages(Sock sk, long size)
    {
        var page = sk.Kernel.Pages.Alloc(PageAllocator.GetOrder(size));
        sk.ChargeSendAllocation(page.Size);
        return page;
    }

    /// <summary>
    /// bpf_msg_pull_data: make [start, end) directly readable. Inside one unshared element: just move the window.
    /// Otherwise linearise whole elements from the one holding start into a new buffer (which may reach past end),
    /// shift the ring down and move the window there. size and memory charge stay unchanged.
    /// </summary>
    public static long PullData(Sock sk, SkMsg msg, uint start, uint end, ulong flags)
    {
        uint len = 0, offset = 0, copy = 0, poffset = 0, bytes = end - start;
        if (flags != 0 || end <= start) return -Errno.EINVAL;

        int i = msg.Start;
        do
        {
            offset += len;
            len = (uint)msg.Data[i].Length;
            if (start < offset + len) break;
            i = SkMsg.Next(i);
        } while (i != msg.End);

        if (start >= offset + len) return -Errno.EINVAL;

        int firstSge = i;
        uint bytesSgTotal = start - offset + bytes;
        if (!msg.IsCopy(i) && bytesSgTotal <= len) goto Out;

        do
        {
            copy += (uint)msg.Data[i].Length;
            i = SkMsg.Next(i);
            if (bytesSgTotal <= copy) break;
        } while (i != msg.End);
        int lastSge = i;

        if (bytesSgTotal > copy) return -Errno.EINVAL;

        var page = AllocPages(sk, copy);
        i = firstSge;
        do
        {
            ref var sge = ref msg.Data[i];
            sge.CopyTo(page.Buffer.AsSpan((int)poffset, sge.Length));
            poffset += (uint)sge.Length;
            sge.Length = 0;
            sge.Page!.Put();
            i = SkMsg.Next(i);
        } while (i != lastSge);

        msg.Data[firstSge].SetPage(page, (int)copy, 0);

        int shift = lastSge > firstSge ? lastSge - firstSge - 1 : SkMsg.NrMsgFragIds - firstSge + lastSge - 1;
        if (shift == 0) goto Out;

        i = SkMsg.Next(firstSge);
        while (true)
        {
            int moveFrom = i + shift >= SkMsg.NrMsgFragIds ? i + shift - SkMsg.NrMsgFragIds : i + shift;
            if (moveFrom == msg.End) break;
            msg.Data[i] = msg.Data[moveFrom];
            msg.Data[moveFrom] = default;
            i = SkMsg.Next(i);
        }
        msg.End = msg.End - shift < 0 ? msg.End - shift + SkMsg.NrMsgFragIds : msg.End - shift;
    Out:
        if (sk.Kernel.Profile.PushPopFixes613) SkMsgOps.ResetCurr(msg);
        ref var first = ref msg.Data[firstSge];
        msg.DataPage = first.Page;
        msg.DataOffset = first.Offset + (int)(start - offset);
        msg.DataLength = (int)bytes;
        return 0;
    }

    /// <summary>
    /// bpf_msg_push_data: insert <paramref name="len"/> uninitialised bytes at <paramref name="start"/>. With a free slot
    /// (two when start splits an element) a new element is inserted and the ring shifted right; otherwise the element
    /// holding start is rebuilt in a new buffer with the gap inside. Data pointers reset to the first element.
    /// </summary>
    public static long PushData(Sock sk, SkMsg msg, uint start, uint len, ulong flags)
    {
        bool fixes = sk.Kernel.Profile.PushPopFixes613;
        ScatterlistEntry sge, nsge, nnsge = default, rsge = default;
        uint l = 0, copy = 0, offset = 0;
        int i, newSlot;

        if (flags != 0) return -Errno.EINVAL;
        if (fixes && len == 0) return 0;

        i = msg.Start;
        do
        {
            offset += l;
            l = (uint)msg.Data[i].Length;
            if (start < offset + l) break;
            i = SkMsg.Next(i);
        } while (i != msg.End);

        // 6.13: appending at the very end is allowed ("start > offset + l"); before it was -EINVAL ("start >= offset + l").
        if (fixes ? start > offset + l : start >= offset + l) return -Errno.EINVAL;

        int space = SkMsg.MaxMsgFrags - msg.ElemUsed;
        if (space == 0 || (space == 1 && start != offset))
            copy = (uint)msg.Data[i].Length;

        var page = AllocPages(sk, copy + len);

        if (copy != 0)
        {
            if (fixes && i == msg.End) i = SkMsg.Prev(i);
            ref var psge = ref msg.Data[i];
            int front = (int)(start - offset);
            int back = psge.Length - front;
            var src = psge.Page!;
            if (front != 0) src.Read(psge.Offset, page.Buffer.AsSpan(0, front));
            if (back != 0) src.Read(psge.Offset + front, page.Buffer.AsSpan(front + (int)len, back));
            psge.Page!.Put();
            newSlot = i;
            goto PlaceNew;
        }

        if (start - offset != 0)
        {
            if (fixes && i == msg.End) i = SkMsg.Prev(i);
            ref var psge = ref msg.Data[i];
            rsge = psge;
            psge.Length = (int)(start - offset);
            rsge.Length -= psge.Length;
            // The page-local offset of the right half: start - offset. Before the 2026 fix (CVE-2026-63926,
            // f72eed9b84fb, backported to stable 6.x) filter.c added the message-global start, misplacing the right
            // half when the split element was not the first; the live 6.18 kernel here has the fix.
            rsge.Offset += (int)(start - offset);
            i = SkMsg.Next(i);
            psge.EndMark = false; // sg_unmark_end(psge)
            rsge.EndMark = false; // sg_unmark_end(&rsge)
        }

        msg.End = SkMsg.Next(msg.End);
        newSlot = i;
        i = SkMsg.Next(i);

        if (i == msg.End)
        {
            if (rsge.Length != 0) msg.End = SkMsg.Next(msg.End);
            goto PlaceNew;
        }

        sge = msg.Data[newSlot];
        sge.EndMark = false; // sg_unmark_end(&sge)
        nsge = msg.Data[i];
        if (rsge.Length != 0)
        {
            i = SkMsg.Next(i);
            nnsge = msg.Data[i];
            msg.End = SkMsg.Next(msg.End);
        }
        while (i != msg.End)
        {
            msg.Data[i] = sge;
            sge = nsge;
            i = SkMsg.Next(i);
            if (rsge.Length != 0)
            {
                nsge = nnsge;
                nnsge = msg.Data[i];
            }
            else
            {
                nsge = msg.Data[i];
            }
        }

    PlaceNew:
        sk.MemCharge(len);
        msg.Size += len;
        msg.SetCopy(newSlot, false);
        msg.Data[newSlot].SetPage(page, (int)(len + copy), 0);
        if (rsge.Length != 0)
        {
            rsge.Page!.Get();
            newSlot = SkMsg.Next(newSlot);
            msg.Data[newSlot] = rsge;
        }
        if (fixes) SkMsgOps.ResetCurr(msg);
        msg.ComputeDataPointers();
        return 0;
    }

    /// <summary>sk_msg_shift_left (filter.c; 6.13 puts the removed element's page)</summary>
    private static void ShiftLeft(SkMsg msg, int i, bool fixes)
    {
        if (fixes) msg.Data[i].Page?.Put();
        int prev;
        do
        {
            prev = i;
            i = SkMsg.Next(i);
            msg.Data[prev] = msg.Data[i];
        } while (i != msg.End);
        msg.End = SkMsg.Prev(msg.End);
    }

    /// <summary>sk_msg_shift_right</summary>
    private static void ShiftRight(SkMsg msg, int i)
    {
        msg.End = SkMsg.Next(msg.End);
        var sge = msg.Data[i];
        i = SkMsg.Next(i);
        var tmp = msg.Data[i];
        while (i != msg.End)
        {
            msg.Data[i] = sge;
            i = SkMsg.Next(i);
            sge = tmp;
            tmp = msg.Data[i];
        }
    }

    /// <summary>
    /// bpf_msg_pop_data: remove [start, start + len). Splits an element when the range lies inside it (a free slot, or
    /// a new buffer when the ring is full), trims or removes the elements it covers, then resets the data pointers.
    /// </summary>
    public static long PopData(Sock sk, SkMsg msg, uint start, uint len, ulong flags)
    {
        bool fixes = sk.Kernel.Profile.PushPopFixes613;
        uint l = 0, offset = 0;
        ulong last = (ulong)start + len;

        if (flags != 0) return -Errno.EINVAL;
        if (fixes && len == 0) return 0;

        int i = msg.Start;
        do
        {
            offset += l;
            l = (uint)msg.Data[i].Length;
            if (start < offset + l) break;
            i = SkMsg.Next(i);
        } while (i != msg.End);

        // 6.13: popping through the last byte is allowed ("last > size"); before: "last >= size".
        if (start >= offset + l || (fixes ? last > msg.Size : last >= msg.Size)) return -Errno.EINVAL;

        int space = SkMsg.MaxMsgFrags - msg.ElemUsed;
        int pop = (int)len;

        if (start != offset)
        {
            int sgeIdx = i;
            int a = fixes ? (int)(start - offset) : (int)start;
            int b = msg.Data[sgeIdx].Length - pop - a;
            i = SkMsg.Next(i);

            if (fixes ? b > 0 : pop < msg.Data[sgeIdx].Length - a)
            {
                if (space != 0)
                {
                    msg.Data[sgeIdx].Length = a;
                    ShiftRight(msg, i);
                    ref var sge = ref msg.Data[sgeIdx];
                    sge.Page!.Get();
                    msg.Data[i].SetPage(sge.Page, b, sge.Offset + pop + a);
                }
                else
                {
                    var page = AllocPages(sk, a + b);
                    ref var sge = ref msg.Data[sgeIdx];
                    if (!fixes) sge.Length = a;
                    var orig = sge.Page!;
                    orig.Read(sge.Offset, page.Buffer.AsSpan(0, a));
                    orig.Read(sge.Offset + a + pop, page.Buffer.AsSpan(a, b));
                    sge.SetPage(page, a + b, 0);
                    orig.Put();
                }
                pop = 0;
            }
            else
            {
                pop -= msg.Data[sgeIdx].Length - a;
                msg.Data[sgeIdx].Length = a;
            }
        }

        while (pop != 0)
        {
            ref var sge = ref msg.Data[i];
            if (pop < sge.Length)
            {
                sge.Length -= pop;
                sge.Offset += pop;
                pop = 0;
            }
            else
            {
                pop -= sge.Length;
                ShiftLeft(msg, i, fixes);
            }
            if (!fixes) i = SkMsg.Next(i);
        }

        sk.MemUncharge(len - pop);
        msg.Size -= (uint)(len - pop);
        if (fixes) SkMsgOps.ResetCurr(msg);
        msg.ComputeDataPointers();
        return 0;
    }
}
