using SockActors.Model.Maps;
using SockActors.Model.Net;
using SockActors.Model.Programs;

namespace SockActors.Model.SockOps;

/// <summary>
/// One SOCK_OPS program run (struct bpf_sock_ops_kern for a full socket): the op, its arguments, the socket's
/// addresses and state, and the helpers of sock_ops_func_proto, delegating to the map code.
/// </summary>
/// <param name="sk">The full socket the op is about.</param>
/// <param name="op">bpf_sock_ops.op (<see cref="SockOpsOp"/>).</param>
/// <param name="args">args[0..3] of the op.</param>
public sealed class SockOpsContext(Sock sk, uint op, uint[] args) : ISockOpsContext
{
    /// <summary>The socket the op is about.</summary>
    public Sock Sock => sk;
    /// <inheritdoc/>
    public uint Op => op;
    /// <inheritdoc/>
    public ReadOnlySpan<uint> Args => args;
    /// <inheritdoc/>
    public SocketAddresses Addresses => sk.Addresses;
    /// <inheritdoc/>
    public uint IsFullsock => 1;
    /// <inheritdoc/>
    public uint State => SockOpsRunner.TcpState(sk);
    /// <inheritdoc/>
    public uint CbFlags => sk.SockOpsCbFlags;

    /// <summary>bpf_sock_ops.reply: what the program wrote there (the op's answer; the model's callbacks ignore it).</summary>
    public uint Reply { get; set; }

    /// <summary>bpf_sock_map_update: only from the established and listen callbacks (sock_map_op_okay), else
    /// -EOPNOTSUPP; then sock_map_update_common.</summary>
    public long SockMapUpdate(BpfMap map, uint key, ulong flags)
    {
        if (map is not SockMap m) throw new Msg.ProgramFaultException($"bpf_sock_map_update needs a SOCKMAP, got {map}");
        if (!SockOpsRunner.MapOpOkay(op)) return -Errno.EOPNOTSUPP;
        return m.Update(key, sk, flags);
    }

    /// <summary>bpf_sock_hash_update: as <see cref="SockMapUpdate"/>, with sock_hash_update_common.</summary>
    public long SockHashUpdate(BpfMap map, ReadOnlySpan<byte> key, ulong flags)
    {
        if (map is not SockHash h) throw new Msg.ProgramFaultException($"bpf_sock_hash_update needs a SOCKHASH, got {map}");
        if (!SockOpsRunner.MapOpOkay(op)) return -Errno.EOPNOTSUPP;
        return h.Update(key, sk, flags);
    }

    /// <summary>bpf_sock_ops_cb_flags_set: the flags within BPF_SOCK_OPS_ALL_CB_FLAGS are set; the bits outside it
    /// are returned (0 when all were valid).</summary>
    public long SetCbFlags(uint flags)
    {
        sk.SockOpsCbFlags = flags & SockOpsOp.AllCbFlags;
        return flags & ~SockOpsOp.AllCbFlags;
    }

    /// <inheritdoc/>
    public ulong KtimeGetNs() => (ulong)sk.Kernel.NowNs;
    /// <inheritdoc/>
    public uint GetPrandomU32() => sk.Kernel.NextRandom();
    /// <inheritdoc/>
    public void TracePrintk(string line) => sk.Kernel.EmitTrace(line);
}
