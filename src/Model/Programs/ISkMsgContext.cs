using SockActors.Model.Maps;

namespace SockActors.Model.Programs;

/// <summary>
/// What an SK_MSG program sees and may call during one run: the fields of struct sk_msg_md and the helpers of
/// net/core/filter.c sk_msg_func_proto. Valid only for the duration of <see cref="ISkMsgProgram.Run"/>.
/// Helper return values are the kernel's (0 or a negative errno; the redirect helpers return SK_PASS/SK_DROP).
/// </summary>
public interface ISkMsgContext
{
    /// <summary>sk_msg_md.size: bytes in the current chunk (msg->sg.size), reflecting push/pop.</summary>
    uint Size { get; }

    /// <summary>sk_msg_md family/addresses/ports of the socket the program runs for.</summary>
    SocketAddresses Addresses { get; }

    /// <summary>
    /// [data, data_end): the directly readable and writable window (the first scatterlist element, or what
    /// bpf_msg_pull_data made readable). <c>Array == null</c> means data = data_end = NULL (a shared page, 4.17 sendpage).
    /// Writes go to the message's pages.
    /// </summary>
    ArraySegment<byte> Data { get; }

    /// <summary>bpf_msg_apply_bytes (filter.c): always 0.</summary>
    long MsgApplyBytes(uint bytes);

    /// <summary>bpf_msg_cork_bytes (filter.c): always 0.</summary>
    long MsgCorkBytes(uint bytes);

    /// <summary>bpf_msg_pull_data (filter.c).</summary>
    long MsgPullData(uint start, uint end, ulong flags);

    /// <summary>bpf_msg_push_data (filter.c).</summary>
    long MsgPushData(uint start, uint len, ulong flags);

    /// <summary>bpf_msg_pop_data (filter.c).</summary>
    long MsgPopData(uint start, uint len, ulong flags);

    /// <summary>bpf_msg_redirect_map (net/core/sock_map.c): SK_PASS when a target was chosen, else SK_DROP.</summary>
    long MsgRedirectMap(BpfMap map, uint key, ulong flags);

    /// <summary>The kernel's map of that name (made with SimulatedHost.CreateSockMapAsync, or declared by a loaded
    /// program), or null: how a C# program finds the map it redirects through without holding model objects, as a
    /// BPF program names its maps and the loader resolves them.</summary>
    BpfMap? Map(string name) => null;

    /// <summary>bpf_msg_redirect_hash (net/core/sock_map.c): SK_PASS when a target was chosen, else SK_DROP.</summary>
    long MsgRedirectHash(BpfMap map, ReadOnlySpan<byte> key, ulong flags);

    /// <summary>bpf_ktime_get_ns on the simulation's virtual clock.</summary>
    ulong KtimeGetNs();

    /// <summary>bpf_get_prandom_u32 from the simulation's seeded generator.</summary>
    uint GetPrandomU32();

    /// <summary>bpf_trace_printk: the formatted line goes to the simulation's trace log.</summary>
    void TracePrintk(string line);
}
