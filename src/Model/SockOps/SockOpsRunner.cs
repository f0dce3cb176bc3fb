using SockActors.Model.Net;
using SockActors.Model.Programs;

namespace SockActors.Model.SockOps;

/// <summary>
/// tcp_call_bpf (include/net/tcp.h) at the points the model has: BPF_SOCK_OPS_TCP_LISTEN_CB (inet_csk_listen_start),
/// BPF_SOCK_OPS_TCP_CONNECT_CB (tcp_connect), BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB (tcp_finish_connect),
/// BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB (the accepted child entering ESTABLISHED) and BPF_SOCK_OPS_STATE_CB
/// (tcp_set_state, only while BPF_SOCK_OPS_STATE_CB_FLAG is set). Ops that tune TCP parameters the model does not
/// have (TIMEOUT_INIT, RWND_INIT, NEEDS_ECN, BASE_RTT, RTO, RETRANS, RTT, header options) are not called.
/// </summary>
public static class SockOpsRunner
{
    /// <summary>sock_map_op_okay: the ops from which bpf_sock_map_update / bpf_sock_hash_update may insert.</summary>
    public static bool MapOpOkay(uint op) =>
        op is SockOpsOp.PassiveEstablishedCb or SockOpsOp.ActiveEstablishedCb or SockOpsOp.TcpListenCb;

    /// <summary>Runs the socket's cgroup program for <paramref name="op"/> (BPF_CGROUP_RUN_PROG_SOCK_OPS); returns its
    /// reply, or -1 when no program ran (tcp_call_bpf's default).</summary>
    public static int Call(Sock sk, uint op, params uint[] args)
    {
        var prog = sk.Cgroup?.SockOps;
        if (prog is null) return -1;
        var ctx = new SockOpsContext(sk, op, args.Length == 4 ? args : Pad(args));
        try
        {
            prog.Run(ctx);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            sk.Kernel.EmitTrace($"{sk.Name}: SOCK_OPS program '{prog.Name}' faulted on op {op}: {e.Message}");
            return -1;
        }
        sk.Kernel.EmitSockOps(sk, op);
        return (int)ctx.Reply;
    }

    /// <summary>tcp_set_state's hook: BPF_SOCK_OPS_STATE_CB(old, new) when the socket asked for state callbacks.</summary>
    public static void StateChange(Sock sk, uint oldState, uint newState)
    {
        if ((sk.SockOpsCbFlags & SockOpsOp.StateCbFlag) != 0) Call(sk, SockOpsOp.StateCb, oldState, newState);
    }

    /// <summary>The socket's TCP state as bpf_sock_ops.state reports it (TCP_* numbering).</summary>
    public static uint TcpState(Sock sk) => sk.State switch
    {
        SockState.Established => sk.RcvShutdown ? SockOpsOp.TcpCloseWait : SockOpsOp.TcpEstablished,
        SockState.Listen => SockOpsOp.TcpListen,
        _ => SockOpsOp.TcpClose,
    };

    private static uint[] Pad(uint[] args)
    {
        var a = new uint[4];
        Array.Copy(args, a, Math.Min(4, args.Length));
        return a;
    }
}
