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
    uint Priority { get; set; }

    long SkRedirectMap(BpfMap map, uint key, ulong flags);
    long SkRedirectHash(BpfMap map, ReadOnlySpan<byte> key, ulong flags);
    long SkbLoadBytes(uint offset, Span<byte> to);
    long SkbStoreBytes(uint offset, ReadOnlySpan<byte> from, ulong flags);
    long SkbPullData(uint len);
    long SkbChangeTail(uint newLen, ulong flags);
    long SkbChangeHead(uint headRoom, ulong flags);
    long SkbAdjustRoom(int lenDiff, uint mode, ulong flags);

    ulong KtimeGetNs();
    uint GetPrandomU32();
    void TracePrintk(string line);
}
