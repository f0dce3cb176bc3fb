namespace SockActors.Model.Bpf;

/// <summary>Helper function ids the VM implements (include/uapi/linux/bpf.h, __BPF_FUNC_MAPPER), i.e. the parts of
/// net/core/filter.c sk_msg_func_proto, sk_skb_func_proto and sock_ops_func_proto (plus the base helpers) that the simulation offers.</summary>
public static class BpfHelperId
{
    public const int MapLookupElem = 1;
    public const int MapUpdateElem = 2;
    public const int MapDeleteElem = 3;
    public const int KtimeGetNs = 5;
    public const int TracePrintk = 6;
    public const int GetPrandomU32 = 7;
    public const int MsgRedirectMap = 60;
    public const int MsgApplyBytes = 61;
    public const int MsgCorkBytes = 62;
    public const int MsgPullData = 63;
    public const int MsgRedirectHash = 71;
    public const int MsgPushData = 90;
    public const int MsgPopData = 91;
    public const int KtimeGetBootNs = 125;
    public const int SkbStoreBytes = 9;
    public const int SkbLoadBytes = 26;
    public const int SkbChangeTail = 38;
    public const int SkbPullData = 39;
    public const int SkbChangeHead = 43;
    public const int SkbAdjustRoom = 50;
    public const int SkRedirectMap = 52;
    public const int SockMapUpdate = 53;
    public const int SockOpsCbFlagsSet = 59;
    public const int SockHashUpdate = 70;
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
