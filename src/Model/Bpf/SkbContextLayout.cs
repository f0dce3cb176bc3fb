namespace SockActors.Model.Bpf;

/// <summary>
/// struct __sk_buff (include/uapi/linux/bpf.h) as an SK_SKB program addresses it, and the access rules of
/// net/core/filter.c sk_skb_is_valid_access + bpf_skb_is_valid_access: data/data_end are exact 4-byte loads (the
/// verifier makes them pointers), sk an 8-byte load; tc_classid, data_meta, tstamp, wire_len, hwtstamp and mark are
/// not accessible; writes only to tc_index and priority (4 bytes); other fields allow narrow reads.
/// </summary>
public static class SkbContextLayout
{
    /// <summary>Byte offsets of the fields of struct __sk_buff, named as the kernel names them (len, pkt_type, mark, ...,
    /// cb[5] at 48, remote_ip6[4] at 100, sk at 168, hwtstamp at 184).</summary>
    public const int Len = 0, PktType = 4, Mark = 8, QueueMapping = 12, Protocol = 16, VlanPresent = 20, VlanTci = 24,
        VlanProto = 28, Priority = 32, IngressIfindex = 36, Ifindex = 40, TcIndex = 44, Cb = 48, Hash = 68, TcClassid = 72,
        Data = 76, DataEnd = 80, NapiId = 84, Family = 88, RemoteIp4 = 92, LocalIp4 = 96, RemoteIp6 = 100, LocalIp6 = 116,
        RemotePort = 132, LocalPort = 136, DataMeta = 140, FlowKeys = 144, Tstamp = 152, WireLen = 160, GsoSegs = 164,
        Sk = 168, GsoSize = 176, TstampType = 180, Hwtstamp = 184;

    /// <summary>sizeof(struct __sk_buff)</summary>
    public const int StructSize = 192;

    /// <summary>Null when the access is valid, else why not.</summary>
    public static string? CheckAccess(int off, int size, bool write)
    {
        if (off < 0 || off >= StructSize) return $"access at __sk_buff{(off < 0 ? "" : "+")}{off}: outside struct __sk_buff ({StructSize} bytes)";
        if (off % size != 0) return $"misaligned {size}-byte access of __sk_buff+{off}";
        int field = off & ~3;
        bool inaccessible = field is TcClassid or DataMeta or WireLen or Mark
            || off is >= FlowKeys and < WireLen   // flow_keys, tstamp
            || off >= TstampType;                 // tstamp_type, padding, hwtstamp
        if (inaccessible) return $"__sk_buff.{FieldName(off)} is not accessible to SK_SKB programs (sk_skb_is_valid_access)";
        if (write)
            return field is TcIndex or Priority && size == 4 ? null
                : $"write to __sk_buff.{FieldName(off)}: SK_SKB programs may write only tc_index and priority (4 bytes)";
        if (field is Data or DataEnd) return size == 4 ? null : $"{size}-byte read of __sk_buff.{FieldName(off)}: must be a 4-byte load";
        if (off is >= Sk and < Sk + 8) return off == Sk && size == 8 ? null : "__sk_buff.sk must be read with an 8-byte load";
        if (size == 8) return $"8-byte read of __sk_buff.{FieldName(off)}: a 4-byte field";
        return null;
    }

    /// <summary>The kernel's name of the __sk_buff field at byte <paramref name="off"/> ("cb[2]", "remote_ip6[1]").</summary>
    public static string FieldName(int off) => (off & ~3) switch
    {
        Len => "len", PktType => "pkt_type", Mark => "mark", QueueMapping => "queue_mapping", Protocol => "protocol",
        VlanPresent => "vlan_present", VlanTci => "vlan_tci", VlanProto => "vlan_proto", Priority => "priority",
        IngressIfindex => "ingress_ifindex", Ifindex => "ifindex", TcIndex => "tc_index", >= Cb and < Hash => $"cb[{(off - Cb) / 4}]",
        Hash => "hash", TcClassid => "tc_classid", Data => "data", DataEnd => "data_end", NapiId => "napi_id", Family => "family",
        RemoteIp4 => "remote_ip4", LocalIp4 => "local_ip4", >= RemoteIp6 and < LocalIp6 => $"remote_ip6[{(off - RemoteIp6) / 4}]",
        >= LocalIp6 and < RemotePort => $"local_ip6[{(off - LocalIp6) / 4}]", RemotePort => "remote_port", LocalPort => "local_port",
        DataMeta => "data_meta", >= FlowKeys and < Tstamp => "flow_keys", >= Tstamp and < WireLen => "tstamp", WireLen => "wire_len",
        GsoSegs => "gso_segs", >= Sk and < GsoSize => "sk", GsoSize => "gso_size", TstampType => "tstamp_type", _ => "hwtstamp",
    };
}

/// <summary>
/// struct bpf_sock_ops as a SOCK_OPS program addresses it (filter.c sock_ops_is_valid_access): u32 fields are exact
/// 4-byte loads; bytes_received, bytes_acked, sk, skb_data, skb_data_end and skb_hwtstamp 8-byte loads; writes only to
/// reply/replylong[] and sk_txhash.
/// </summary>
public static class SockOpsContextLayout
{
    /// <summary>Byte offsets of the fields of struct bpf_sock_ops, named as the kernel names them (op, args[4] /
    /// reply at 4, family, ..., skb_tcp_flags, skb_hwtstamp at 216).</summary>
    public const int Op = 0, Args = 4, Family = 20, RemoteIp4 = 24, LocalIp4 = 28, RemoteIp6 = 32, LocalIp6 = 48,
        RemotePort = 64, LocalPort = 68, IsFullsock = 72, SndCwnd = 76, SrttUs = 80, CbFlags = 84, State = 88,
        SkTxhash = 164, BytesReceived = 168, BytesAcked = 176, Sk = 184, SkbData = 192, SkbDataEnd = 200, SkbLen = 208,
        SkbTcpFlags = 212, SkbHwtstamp = 216;

    /// <summary>sizeof(struct bpf_sock_ops).</summary>
    public const int StructSize = 224;

    private static bool Is64(int off) => off is BytesReceived or BytesAcked or Sk or SkbData or SkbDataEnd or SkbHwtstamp;

    /// <summary>Null when a <paramref name="size"/>-byte load (or store, <paramref name="write"/>) at byte
    /// <paramref name="off"/> is valid, else why not.</summary>
    public static string? CheckAccess(int off, int size, bool write)
    {
        if (off < 0 || off >= StructSize) return $"access at bpf_sock_ops{(off < 0 ? "" : "+")}{off}: outside struct bpf_sock_ops ({StructSize} bytes)";
        if (off % size != 0) return $"misaligned {size}-byte access of bpf_sock_ops+{off}";
        if (write)
            return (off is >= Args and < Family or SkTxhash) && size == 4 ? null
                : $"write to bpf_sock_ops+{off}: only reply, replylong[] and sk_txhash are writable (4 bytes)";
        int field = off & ~7;
        if (field is BytesReceived or BytesAcked or Sk or SkbData or SkbDataEnd or SkbHwtstamp)
            return Is64(off) && size == 8 ? null : $"bpf_sock_ops+{off}: an 8-byte field must be read with an 8-byte load";
        return size == 4 ? null : $"{size}-byte read of bpf_sock_ops+{off}: the field must be read with a 4-byte load";
    }
}
