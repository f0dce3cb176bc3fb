using SockActors.Model.Maps;
using SockActors.Model.Net;
using SockActors.Model.Programs;

namespace SockActors.Model.SkSkb;

/// <summary>
/// The helpers of net/core/filter.c sk_skb_func_proto that change or read an skb, and the redirect helpers of
/// net/core/sock_map.c for skbs. Return values are the kernel's: 0 or -errno, SK_PASS/SK_DROP for the redirects.
/// </summary>
public static class SkbHelpers
{
    /// <summary>BPF_SKB_MAX_LEN (SKB_MAX_ALLOC with 4 KiB pages and a 320-byte skb_shared_info): the longest skb
    /// bpf_skb_change_head/change_tail may produce for a non-GSO skb.</summary>
    public const int BpfSkbMaxLen = 16064;

    /// <summary>bpf_sk_redirect_map (sock_map.c): bad flags, an empty slot or a target that may not be redirected to
    /// (sock_map_redirect_allowed: a listening TCP socket) is SK_DROP; else the target is recorded in the skb.</summary>
    public static long SkRedirectMap(SkBuff skb, BpfMap map, uint key, ulong flags)
    {
        if (map is not SockMap sockMap) throw new Msg.ProgramFaultException($"bpf_sk_redirect_map needs a SOCKMAP, got {map}");
        return Redirect(skb, (flags & ~BpfRedirectFlags.Ingress) != 0 ? null : sockMap.LookupSock(key), flags);
    }

    /// <summary>bpf_sk_redirect_hash (sock_map.c)</summary>
    public static long SkRedirectHash(SkBuff skb, BpfMap map, ReadOnlySpan<byte> key, ulong flags)
    {
        if (map is not SockHash hash) throw new Msg.ProgramFaultException($"bpf_sk_redirect_hash needs a SOCKHASH, got {map}");
        return Redirect(skb, (flags & ~BpfRedirectFlags.Ingress) != 0 ? null : hash.LookupSock(key), flags);
    }

    private static long Redirect(SkBuff skb, Sock? sk, ulong flags)
    {
        // sock_map_redirect_allowed: TCP targets must not be listening.
        if (sk is null || (sk.IsTcp ? sk.State == SockState.Listen : sk.State != SockState.Established)) return SkAction.Drop;
        // skb_bpf_set_redir
        skb.SkRedir = sk;
        skb.Ingress = (flags & BpfRedirectFlags.Ingress) != 0;
        return SkAction.Pass;
    }

    /// <summary>bpf_skb_load_bytes: skb_header_pointer over the whole skb; out of range zeroes the buffer, -EFAULT.</summary>
    public static long LoadBytes(SkBuff skb, uint offset, Span<byte> to)
    {
        if (offset > int.MaxValue || (long)offset + to.Length > skb.Len)
        {
            to.Clear();
            return -Errno.EFAULT;
        }
        skb.Bytes.Slice((int)offset, to.Length).CopyTo(to);
        return 0;
    }

    /// <summary>bpf_skb_store_bytes: flags other than BPF_F_RECOMPUTE_CSUM|BPF_F_INVALIDATE_HASH are -EINVAL; the range
    /// is made writable (bpf_try_make_writable pulls it linear), else -EFAULT.</summary>
    public static long StoreBytes(SkBuff skb, uint offset, ReadOnlySpan<byte> from, ulong flags)
    {
        if ((flags & ~3UL) != 0) return -Errno.EINVAL;
        if (offset > int.MaxValue) return -Errno.EFAULT;
        if (!skb.MayPull((int)offset + from.Length)) return -Errno.EFAULT;
        from.CopyTo(skb.Bytes.Slice((int)offset));
        return 0;
    }

    /// <summary>sk_skb_pull_data: sk_skb_try_make_writable(skb, len ?: skb_headlen(skb)); more than skb->len is -ENOMEM.</summary>
    public static long PullData(SkBuff skb, uint len)
    {
        long want = len == 0 ? skb.HeadLen : len;
        return want <= skb.Len && skb.MayPull((int)want) ? 0 : -Errno.ENOMEM;
    }

    /// <summary>sk_skb_change_tail / __bpf_skb_change_tail: flags or a length above BPF_SKB_MAX_LEN is -EINVAL; the
    /// skb grows with zeroed bytes or is trimmed.</summary>
    public static long ChangeTail(SkBuff skb, uint newLen, ulong flags)
    {
        if (flags != 0 || newLen > BpfSkbMaxLen) return -Errno.EINVAL;
        skb.SetLength((int)newLen);
        return 0;
    }

    /// <summary>sk_skb_change_head / __bpf_skb_change_head: flags, a result above BPF_SKB_MAX_LEN or an overflow is
    /// -EINVAL; else head_room zeroed bytes are pushed in front (linear).</summary>
    public static long ChangeHead(SkBuff skb, uint headRoom, ulong flags)
    {
        long newLen = (long)skb.Len + headRoom;
        if (flags != 0 || newLen > BpfSkbMaxLen || newLen > uint.MaxValue) return -Errno.EINVAL;
        skb.PushZeroed((int)headRoom);
        return 0;
    }

    /// <summary>
    /// sk_skb_adjust_room: only mode BPF_ADJ_ROOM_NET (0) and no flags (-EINVAL), at most 0xfff bytes (-EFAULT);
    /// growing pushes zeroed bytes at the head, shrinking pulls bytes off the head (-ENOMEM when the skb is shorter).
    /// A strparser message's offset and full_len are not adjusted (only kTLS does that), as in the kernel.
    /// </summary>
    public static long AdjustRoom(SkBuff skb, int lenDiff, uint mode, ulong flags)
    {
        if (flags != 0 || mode != 0) return -Errno.EINVAL;
        long abs = Math.Abs((long)lenDiff);
        if (abs > 0xfff) return -Errno.EFAULT;
        if (lenDiff >= 0)
        {
            skb.PushZeroed(lenDiff);
            return 0;
        }
        if (!skb.MayPull((int)abs)) return -Errno.ENOMEM;
        skb.Pull((int)abs);
        return 0;
    }
}
