using System.Buffers.Binary;
using SockActors.Model.Maps;
using SockActors.Model.Programs;

namespace SockActors.Model.Bpf;

// The SK_SKB (__sk_buff) and SOCK_OPS (bpf_sock_ops) contexts and their helpers; the SK_MSG ones are in BpfVm.cs and
// BpfVm.Helpers.cs. Writable context fields live in a per-run shadow and reach the context object at each helper call
// and at the end of the run.
internal sealed unsafe partial class BpfVm
{
    private ISkSkbContext? _skb;
    private ISockOpsContext? _ops;
    private readonly byte[] _ctxShadow = new byte[SockOpsContextLayout.StructSize];
    private int _pendingCtxWrite = -1;
    private bool _wideLoad;
    private ulong _wideValue;

    /// <summary>The SK_MSG context, for the msg helpers; other program types fault.</summary>
    private ISkMsgContext Msg => _ctx ?? throw new BpfRunFault("an SK_MSG helper, not available to this program type");
    private ISkSkbContext Skb => _skb ?? throw new BpfRunFault("an SK_SKB helper, not available to this program type");
    private ISockOpsContext Ops => _ops ?? throw new BpfRunFault("a SOCK_OPS helper, not available to this program type");

    /// <summary>Runs an SK_SKB program on <paramref name="ctx"/>.</summary>
    public ulong Run(ISkSkbContext ctx, long budget)
    {
        _skb = ctx;
        Array.Clear(_ctxShadow);
        BinaryPrimitives.WriteUInt32LittleEndian(_ctxShadow.AsSpan(SkbContextLayout.TcIndex), ctx.TcIndex);
        BinaryPrimitives.WriteUInt32LittleEndian(_ctxShadow.AsSpan(SkbContextLayout.Priority), ctx.Priority);
        return RunCore(budget);
    }

    /// <summary>Runs a SOCK_OPS program on <paramref name="ctx"/>.</summary>
    public ulong Run(ISockOpsContext ctx, long budget)
    {
        _ops = ctx;
        Array.Clear(_ctxShadow);
        for (int i = 0; i < 4 && i < ctx.Args.Length; i++)
            BinaryPrimitives.WriteUInt32LittleEndian(_ctxShadow.AsSpan(SockOpsContextLayout.Args + 4 * i), ctx.Args[i]);
        return RunCore(budget);
    }

    /// <summary>Writes a program made to writable context fields reach the context object.</summary>
    private void CommitContextWrite()
    {
        if (_pendingCtxWrite < 0) return;
        _pendingCtxWrite = -1;
        if (_skb is not null)
        {
            _skb.TcIndex = BinaryPrimitives.ReadUInt32LittleEndian(_ctxShadow.AsSpan(SkbContextLayout.TcIndex));
            _skb.Priority = BinaryPrimitives.ReadUInt32LittleEndian(_ctxShadow.AsSpan(SkbContextLayout.Priority));
        }
        else if (_ops is not null)
        {
            _ops.Reply = BinaryPrimitives.ReadUInt32LittleEndian(_ctxShadow.AsSpan(SockOpsContextLayout.Args));
        }
    }

    /// <summary>A load or store of the __sk_buff or bpf_sock_ops context, checked like the verifier would.</summary>
    private ref byte OtherContextAccess(int off, int size, bool write, int pc)
    {
        CommitContextWrite();
        if (_skb is not null)
        {
            if (SkbContextLayout.CheckAccess(off, size, write) is { } why) throw Fault(pc, why);
            int field = off & ~3;
            if (field is SkbContextLayout.TcIndex or SkbContextLayout.Priority)
            {
                if (write) _pendingCtxWrite = field;
                return ref _ctxShadow[off];
            }
            if (field is SkbContextLayout.Data or SkbContextLayout.DataEnd)
            {
                _wideLoad = true;
                _wideValue = field == SkbContextLayout.Data ? _dataAddress : _dataEndAddress;
                return ref _ctxScratch[0];
            }
            ulong v = off == SkbContextLayout.Sk ? (ulong)BpfAddressSpace.SocketTag << 32 : SkbField(field);
            BinaryPrimitives.WriteUInt64LittleEndian(_ctxScratch, v);
            return ref _ctxScratch[off - field];
        }
        var ops = _ops!;
        if (SockOpsContextLayout.CheckAccess(off, size, write) is { } whyOps) throw Fault(pc, whyOps);
        if (off is >= SockOpsContextLayout.Args and < SockOpsContextLayout.Family || off == SockOpsContextLayout.SkTxhash)
        {
            if (write) _pendingCtxWrite = off;
            return ref _ctxShadow[off];
        }
        BinaryPrimitives.WriteUInt64LittleEndian(_ctxScratch, off == SockOpsContextLayout.Sk ? (ulong)BpfAddressSpace.SocketTag << 32 : OpsField(ops, off));
        return ref _ctxScratch[0];
    }

    /// <summary>
    /// __sk_buff fields as sk_skb_convert_ctx_access reads them for a received loopback TCP skb: len; protocol
    /// htons(ETH_P_IP); ingress_ifindex 1 (lo); the socket fields from skb->sk. Fields the model has no value for
    /// (pkt_type PACKET_HOST, queue_mapping, vlan_*, ifindex, cb[], hash, napi_id, gso_*) read 0.
    /// </summary>
    private ulong SkbField(int field)
    {
        var s = _skb!;
        return field switch
        {
            SkbContextLayout.Len => s.Len,
            SkbContextLayout.Protocol => 0x0008,
            SkbContextLayout.IngressIfindex => 1,
            >= SkbContextLayout.Family and < SkbContextLayout.Family + SocketAddresses.FieldsSize => s.Addresses.Field(field - SkbContextLayout.Family),
            _ => 0,
        };
    }

    /// <summary>bpf_sock_ops fields (sock_ops_convert_ctx_access) for a full socket; the TCP counters the model does not
    /// keep (snd_cwnd, srtt_us, sequence numbers, segment and byte counts) read 0.</summary>
    private static ulong OpsField(ISockOpsContext ops, int off)
    {
        return off switch
        {
            SockOpsContextLayout.Op => ops.Op,
            >= SockOpsContextLayout.Family and < SockOpsContextLayout.Family + SocketAddresses.FieldsSize => ops.Addresses.Field(off - SockOpsContextLayout.Family),
            SockOpsContextLayout.IsFullsock => ops.IsFullsock,
            SockOpsContextLayout.CbFlags => ops.CbFlags,
            SockOpsContextLayout.State => ops.State,
            _ => 0,
        };
    }

    /// <summary>The helpers of sk_skb_func_proto and sock_ops_func_proto beyond the base ones.</summary>
    private bool TryProgramHelper(int id, ulong* r, out ulong result)
    {
        result = 0;
        switch (id)
        {
            case BpfHelperId.SkbLoadBytes:
                {
                    CheckContextArg(r[1]);
                    var to = Memory(r[3], (int)(uint)r[4], true, "to (arg 3)");
                    result = (ulong)Skb.SkbLoadBytes((uint)r[2], to);
                    return true;
                }
            case BpfHelperId.SkbStoreBytes:
                {
                    CheckContextArg(r[1]);
                    var from = Memory(r[3], (int)(uint)r[4], false, "from (arg 3)").ToArray();
                    result = (ulong)Skb.SkbStoreBytes((uint)r[2], from, r[5]);
                    RefreshPacket();
                    return true;
                }
            case BpfHelperId.SkbPullData:
                CheckContextArg(r[1]);
                result = (ulong)Skb.SkbPullData((uint)r[2]);
                RefreshPacket();
                return true;
            case BpfHelperId.SkbChangeTail:
                CheckContextArg(r[1]);
                result = (ulong)Skb.SkbChangeTail((uint)r[2], r[3]);
                RefreshPacket();
                return true;
            case BpfHelperId.SkbChangeHead:
                CheckContextArg(r[1]);
                result = (ulong)Skb.SkbChangeHead((uint)r[2], r[3]);
                RefreshPacket();
                return true;
            case BpfHelperId.SkbAdjustRoom:
                CheckContextArg(r[1]);
                result = (ulong)Skb.SkbAdjustRoom((int)r[2], (uint)r[3], r[4]);
                RefreshPacket();
                return true;
            case BpfHelperId.SkRedirectMap:
                CheckContextArg(r[1]);
                result = (ulong)Skb.SkRedirectMap(MapArg(r[2], 2), (uint)r[3], r[4]);
                return true;
            case BpfHelperId.SkRedirectHash:
                {
                    CheckContextArg(r[1]);
                    var map = MapArg(r[2], 2);
                    result = (ulong)Skb.SkRedirectHash(map, Memory(r[3], (int)map.KeySize, false, "key (arg 3)"), r[4]);
                    return true;
                }
            case BpfHelperId.SockMapUpdate:
            case BpfHelperId.SockHashUpdate:
                {
                    CheckContextArg(r[1]);
                    var map = MapArg(r[2], 2);
                    var key = Memory(r[3], (int)map.KeySize, false, "key (arg 3)");
                    result = id == BpfHelperId.SockMapUpdate
                        ? (ulong)Ops.SockMapUpdate(map, BinaryPrimitives.ReadUInt32LittleEndian(key), r[4])
                        : (ulong)Ops.SockHashUpdate(map, key, r[4]);
                    return true;
                }
            case BpfHelperId.SockOpsCbFlagsSet:
                CheckContextArg(r[1]);
                result = (ulong)Ops.SetCbFlags((uint)r[2]);
                return true;
            default:
                return false;
        }
    }
}
