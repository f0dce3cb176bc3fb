using SockActors.Model.Maps;

namespace SockActors.Model.Programs;

/// <summary>
/// A BPF_PROG_TYPE_SK_SKB program: attached to a sockmap or sockhash as stream parser (BPF_SK_SKB_STREAM_PARSER),
/// stream verdict (BPF_SK_SKB_STREAM_VERDICT) or skb verdict (BPF_SK_SKB_VERDICT). A parser returns the length of
/// the message at the head of the stream (0 = need more data, negative = error); a verdict returns SK_PASS or SK_DROP
/// (SK_PASS after a successful bpf_sk_redirect_map/hash redirects). C# implementations must be deterministic.
/// </summary>
public interface ISkSkbProgram
{
    /// <summary>A name for traces and errors (the ELF section/function name for loaded objects).</summary>
    string Name { get; }

    /// <summary>Runs the program once on the skb behind <paramref name="ctx"/>; returns r0 as the kernel reads it (int).</summary>
    int Run(ISkSkbContext ctx);
}

/// <summary>
/// What an SK_SKB program sees during one run: the readable fields of struct __sk_buff (filter.c
/// sk_skb_is_valid_access) and the helpers of sk_skb_func_proto. Valid only during <see cref="ISkSkbProgram.Run"/>.
/// </summary>
public interface ISkSkbContext
{
    /// <summary>__sk_buff.len: skb->len (for a strparser message: the head skb, whose data start before the message
    /// when it began inside an skb, see <see cref="Model.SkSkb.StreamParser"/>).</summary>
    uint Len { get; }

    /// <summary>family, addresses and ports of the socket the skb belongs to (skb->sk), as sk_msg_md has them.</summary>
    SocketAddresses Addresses { get; }

    /// <summary>[data, data_end): the linear part of the skb (skb_headlen). Loopback TCP data arrives in page frags,
    /// so the window is empty until bpf_skb_pull_data makes bytes linear.</summary>
    ArraySegment<byte> Data { get; }

    /// <summary>__sk_buff.tc_index and priority: the two fields sk_skb_is_valid_access lets a program write.</summary>
    uint TcIndex { get; set; }
    /// <summary>__sk_buff.priority (skb->priority), writable by the program.</summary>
    uint Priority { get; set; }

    /// <summary>bpf_sk_redirect_map: SK_PASS with the sockmap slot's socket recorded as the skb's target (BPF_F_INGRESS in
    /// <paramref name="flags"/> for its receive side), or SK_DROP (bad flags, empty slot, a listening target). See
    /// <see cref="Model.SkSkb.SkbHelpers.SkRedirectMap"/>.</summary>
    long SkRedirectMap(BpfMap map, uint key, ulong flags);
    /// <summary>bpf_sk_redirect_hash: as <see cref="SkRedirectMap"/>, keyed by a sockhash key.</summary>
    long SkRedirectHash(BpfMap map, ReadOnlySpan<byte> key, ulong flags);
    /// <summary>bpf_skb_load_bytes: copies <c>to.Length</c> bytes from <paramref name="offset"/> of the whole skb; 0, or
    /// -EFAULT (and <paramref name="to"/> zeroed) when the range is outside it.</summary>
    long SkbLoadBytes(uint offset, Span<byte> to);
    /// <summary>bpf_skb_store_bytes: writes <paramref name="from"/> at <paramref name="offset"/>; 0, -EINVAL for flags other
    /// than BPF_F_RECOMPUTE_CSUM | BPF_F_INVALIDATE_HASH, -EFAULT outside the skb.</summary>
    long SkbStoreBytes(uint offset, ReadOnlySpan<byte> from, ulong flags);
    /// <summary>bpf_skb_pull_data: makes the first <paramref name="len"/> bytes (0: the linear part) linear, so
    /// <see cref="Data"/> covers them; 0, or -ENOMEM beyond skb->len.</summary>
    long SkbPullData(uint len);
    /// <summary>bpf_skb_change_tail: grows (zeroed bytes) or trims the skb to <paramref name="newLen"/> bytes; 0, or -EINVAL
    /// for flags or a length above BPF_SKB_MAX_LEN.</summary>
    long SkbChangeTail(uint newLen, ulong flags);
    /// <summary>bpf_skb_change_head: pushes <paramref name="headRoom"/> zeroed bytes in front; 0, or -EINVAL for flags or a
    /// result above BPF_SKB_MAX_LEN.</summary>
    long SkbChangeHead(uint headRoom, ulong flags);
    /// <summary>bpf_skb_adjust_room: grows (<paramref name="lenDiff"/> &gt; 0, zeroed bytes at the head) or shrinks the skb;
    /// only BPF_ADJ_ROOM_NET (<paramref name="mode"/> 0) and no flags, else -EINVAL; more than 0xfff bytes is -EFAULT.</summary>
    long SkbAdjustRoom(int lenDiff, uint mode, ulong flags);

    /// <summary>bpf_ktime_get_ns: the kernel's virtual clock in ns.</summary>
    ulong KtimeGetNs();
    /// <summary>bpf_get_prandom_u32: the next number of the kernel's seeded random source.</summary>
    uint GetPrandomU32();
    /// <summary>bpf_trace_printk: appends <paramref name="line"/> to the kernel's program trace.</summary>
    void TracePrintk(string line);
}
