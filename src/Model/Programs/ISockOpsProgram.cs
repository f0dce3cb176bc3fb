using SockActors.Model.Maps;

namespace SockActors.Model.Programs;

/// <summary>
/// A BPF_PROG_TYPE_SOCK_OPS program attached to a cgroup (BPF_CGROUP_SOCK_OPS): run by tcp_call_bpf at the points of
/// a TCP connection's life that <see cref="SockOpsOp"/> names, for sockets of processes in that cgroup. Its return
/// value is the reply for the ops that ask for one; the connection callbacks ignore it.
/// </summary>
public interface ISockOpsProgram
{
    /// <summary>A name for traces and errors (the ELF section/function name for loaded objects).</summary>
    string Name { get; }
    /// <summary>Runs the program once for the op in <paramref name="ctx"/>; returns r0 (the reply where the op asks for one).</summary>
    int Run(ISockOpsContext ctx);
}

/// <summary>The fields of struct bpf_sock_ops a program reads and the helpers of sock_ops_func_proto it may call.</summary>
public interface ISockOpsContext
{
    /// <summary>bpf_sock_ops.op (enum BPF_SOCK_OPS_*).</summary>
    uint Op { get; }

    /// <summary>args[0..3] of the op (BPF_SOCK_OPS_STATE_CB: old state, new state).</summary>
    ReadOnlySpan<uint> Args { get; }

    /// <summary>family, remote_ip4/local_ip4 (network order), remote_port (htonl of the port), local_port (host order).</summary>
    SocketAddresses Addresses { get; }

    /// <summary>is_fullsock, state (TCP_* numbering), bpf_sock_ops_cb_flags.</summary>
    uint IsFullsock { get; }
    /// <summary>bpf_sock_ops.state: the socket's TCP state (<see cref="SockOpsOp.TcpEstablished"/> ... TCP_* numbering).</summary>
    uint State { get; }
    /// <summary>bpf_sock_ops.bpf_sock_ops_cb_flags: the callbacks the socket has enabled (<see cref="SockOpsOp.StateCbFlag"/>...).</summary>
    uint CbFlags { get; }

    /// <summary>bpf_sock_ops.reply (args[0] shares its storage): the program's answer for ops that ask for one.</summary>
    uint Reply { get; set; }

    /// <summary>bpf_sock_map_update (net/core/sock_map.c): 0 or -errno.</summary>
    long SockMapUpdate(BpfMap map, uint key, ulong flags);

    /// <summary>bpf_sock_hash_update (net/core/sock_map.c): 0 or -errno.</summary>
    long SockHashUpdate(BpfMap map, ReadOnlySpan<byte> key, ulong flags);

    /// <summary>bpf_sock_ops_cb_flags_set (filter.c): flags outside BPF_SOCK_OPS_ALL_CB_FLAGS come back, else 0.</summary>
    long SetCbFlags(uint flags);

    /// <summary>bpf_ktime_get_ns: the kernel's virtual clock in ns.</summary>
    ulong KtimeGetNs();
    /// <summary>bpf_get_prandom_u32: the next number of the kernel's seeded random source.</summary>
    uint GetPrandomU32();
    /// <summary>bpf_trace_printk: appends <paramref name="line"/> to the kernel's program trace.</summary>
    void TracePrintk(string line);
}

/// <summary>enum BPF_SOCK_OPS_* (include/uapi/linux/bpf.h) and the TCP_* states bpf_sock_ops.state reports.</summary>
public static class SockOpsOp
{
    /// <summary>The ops (bpf_sock_ops.op): BPF_SOCK_OPS_VOID, TIMEOUT_INIT, RWND_INIT, TCP_CONNECT_CB, ACTIVE_ESTABLISHED_CB
    /// (connect() completed), PASSIVE_ESTABLISHED_CB (accept side established), NEEDS_ECN, BASE_RTT, RTO_CB, RETRANS_CB,
    /// STATE_CB (args: old, new state), TCP_LISTEN_CB.</summary>
    public const uint Void = 0, TimeoutInit = 1, RwndInit = 2, TcpConnectCb = 3, ActiveEstablishedCb = 4,
        PassiveEstablishedCb = 5, NeedsEcn = 6, BaseRtt = 7, RtoCb = 8, RetransCb = 9, StateCb = 10, TcpListenCb = 11;

    /// <summary>BPF_SOCK_OPS_STATE_CB_FLAG: state changes call the program (bpf_sock_ops_cb_flags_set).</summary>
    public const uint StateCbFlag = 1 << 2;

    /// <summary>BPF_SOCK_OPS_ALL_CB_FLAGS in 6.18 (RTO, RETRANS, STATE, RTT, PARSE_ALL_HDR, PARSE_UNKNOWN_HDR, WRITE_HDR).</summary>
    public const uint AllCbFlags = 0x7f;

    /// <summary>TCP states (include/net/tcp_states.h).</summary>
    public const uint TcpEstablished = 1, TcpSynSent = 2, TcpSynRecv = 3, TcpFinWait1 = 4, TcpFinWait2 = 5,
        TcpTimeWait = 6, TcpClose = 7, TcpCloseWait = 8, TcpLastAck = 9, TcpListen = 10, TcpClosing = 11;
}
