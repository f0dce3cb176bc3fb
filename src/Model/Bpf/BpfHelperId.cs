namespace SockActors.Model.Bpf;

/// <summary>Helper function ids the VM implements (include/uapi/linux/bpf.h, __BPF_FUNC_MAPPER), i.e. the parts of
/// net/core/filter.c sk_msg_func_proto, sk_skb_func_proto and sock_ops_func_proto (plus the base helpers) that the simulation offers.</summary>
public static class BpfHelperId
{
    /// <summary>bpf_map_lookup_elem(map, key): the value's address, or NULL.</summary>
    public const int MapLookupElem = 1;
    /// <summary>bpf_map_update_elem(map, key, value, flags): 0 or -errno.</summary>
    public const int MapUpdateElem = 2;
    /// <summary>bpf_map_delete_elem(map, key): 0 or -errno.</summary>
    public const int MapDeleteElem = 3;
    /// <summary>bpf_ktime_get_ns(): the kernel's virtual clock in ns (CLOCK_MONOTONIC).</summary>
    public const int KtimeGetNs = 5;
    /// <summary>bpf_trace_printk(fmt, size, ...): a line in the program trace.</summary>
    public const int TracePrintk = 6;
    /// <summary>bpf_get_prandom_u32(): a number from the kernel's seeded random source.</summary>
    public const int GetPrandomU32 = 7;
    /// <summary>bpf_msg_redirect_map(msg, map, key, flags): SK_PASS with the redirect target set, or SK_DROP.</summary>
    public const int MsgRedirectMap = 60;
    /// <summary>bpf_msg_apply_bytes(msg, bytes): the verdict applies to the next <c>bytes</c> bytes (psock->apply_bytes).</summary>
    public const int MsgApplyBytes = 61;
    /// <summary>bpf_msg_cork_bytes(msg, bytes): hold the data until <c>bytes</c> bytes have gathered (psock->cork_bytes).</summary>
    public const int MsgCorkBytes = 62;
    /// <summary>bpf_msg_pull_data(msg, start, end, flags): make bytes [start, end) linear for data/data_end.</summary>
    public const int MsgPullData = 63;
    /// <summary>bpf_msg_redirect_hash(msg, map, key, flags): as bpf_msg_redirect_map, keyed by a sockhash key.</summary>
    public const int MsgRedirectHash = 71;
    /// <summary>bpf_msg_push_data(msg, start, len, flags): insert <c>len</c> bytes at <c>start</c>.</summary>
    public const int MsgPushData = 90;
    /// <summary>bpf_msg_pop_data(msg, start, len, flags): remove <c>len</c> bytes at <c>start</c>.</summary>
    public const int MsgPopData = 91;
    /// <summary>bpf_ktime_get_boot_ns(): the virtual clock in ns (CLOCK_BOOTTIME; the simulation does not suspend).</summary>
    public const int KtimeGetBootNs = 125;
    /// <summary>bpf_skb_store_bytes(skb, offset, from, len, flags): write into the packet.</summary>
    public const int SkbStoreBytes = 9;
    /// <summary>bpf_skb_load_bytes(skb, offset, to, len): copy from the packet.</summary>
    public const int SkbLoadBytes = 26;
    /// <summary>bpf_skb_change_tail(skb, len, flags): grow or trim the packet to <c>len</c> bytes.</summary>
    public const int SkbChangeTail = 38;
    /// <summary>bpf_skb_pull_data(skb, len): make the first <c>len</c> bytes linear.</summary>
    public const int SkbPullData = 39;
    /// <summary>bpf_skb_change_head(skb, len, flags): add <c>len</c> bytes of headroom at the front.</summary>
    public const int SkbChangeHead = 43;
    /// <summary>bpf_skb_adjust_room(skb, len_diff, mode, flags): grow or shrink room inside the packet.</summary>
    public const int SkbAdjustRoom = 50;
    /// <summary>bpf_sk_redirect_map(skb, map, key, flags): SK_SKB redirect to a sockmap socket.</summary>
    public const int SkRedirectMap = 52;
    /// <summary>bpf_sock_map_update(skops, map, key, flags): SOCK_OPS adds its socket to a sockmap.</summary>
    public const int SockMapUpdate = 53;
    /// <summary>bpf_sock_ops_cb_flags_set(skops, flags): which further SOCK_OPS callbacks the socket makes.</summary>
    public const int SockOpsCbFlagsSet = 59;
    /// <summary>bpf_sock_hash_update(skops, map, key, flags): SOCK_OPS adds its socket to a sockhash.</summary>
    public const int SockHashUpdate = 70;
    /// <summary>bpf_sk_redirect_hash(skb, map, key, flags): SK_SKB redirect to a sockhash socket.</summary>
    public const int SkRedirectHash = 72;

    /// <summary>The helper's name, or null when the VM does not implement it.</summary>
    public static string? Name(long id) => id switch
    {
        MapLookupElem => "bpf_map_lookup_elem",
        MapUpdateElem => "bpf_map_update_elem",
        MapDeleteElem => "bpf_map_delete_elem",
        KtimeGetNs => "bpf_ktime_get_ns",
        TracePrintk => "bpf_trace_printk",
        GetPrandomU32 => "bpf_get_prandom_u32",
        MsgRedirectMap => "bpf_msg_redirect_map",
        MsgApplyBytes => "bpf_msg_apply_bytes",
        MsgCorkBytes => "bpf_msg_cork_bytes",
        MsgPullData => "bpf_msg_pull_data",
        MsgRedirectHash => "bpf_msg_redirect_hash",
        MsgPushData => "bpf_msg_push_data",
        MsgPopData => "bpf_msg_pop_data",
        KtimeGetBootNs => "bpf_ktime_get_boot_ns",
        SkbStoreBytes => "bpf_skb_store_bytes",
        SkbLoadBytes => "bpf_skb_load_bytes",
        SkbChangeTail => "bpf_skb_change_tail",
        SkbPullData => "bpf_skb_pull_data",
        SkbChangeHead => "bpf_skb_change_head",
        SkbAdjustRoom => "bpf_skb_adjust_room",
        SkRedirectMap => "bpf_sk_redirect_map",
        SockMapUpdate => "bpf_sock_map_update",
        SockOpsCbFlagsSet => "bpf_sock_ops_cb_flags_set",
        SockHashUpdate => "bpf_sock_hash_update",
        SkRedirectHash => "bpf_sk_redirect_hash",
        _ => null,
    };

    /// <summary>Helpers that may change the packet window (bpf_helper_changes_pkt_data): packet pointers die after them.</summary>
    public static bool ChangesPacketData(long id) =>
        id is MsgPullData or MsgPushData or MsgPopData or SkbStoreBytes or SkbChangeTail or SkbPullData or SkbChangeHead or SkbAdjustRoom;
}
