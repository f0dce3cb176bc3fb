using System.Runtime.CompilerServices;
using SockActors.Model.Maps;

namespace SockActors.Model.Bpf;

/// <summary>
/// Helper calls (RFC 9669 4.3.1: arguments in r1-r5, result in r0). Each helper checks its pointer arguments
/// against the address space the way the verifier's check_helper_mem_access would have, so a bad pointer is a fault
/// naming the helper and argument rather than a crash.
/// </summary>
internal sealed unsafe partial class BpfVm
{
    /// <summary>Where bpf_trace_printk lines go when the context cannot take them (never null in practice).</summary>
    public Action<string>? TraceSink { get; set; }

    private ulong CallHelper(int id, ulong* r, int pc)
    {
        try
        {
            switch (id)
            {
                case BpfHelperId.MapLookupElem:
                    {
                        var map = MapArg(r[1], 1);
                        var key = Memory(r[2], (int)map.KeySize, false, "key (arg 2)");
                        if (!map.TryLookupValue(key, out var value) || value.Array is null) return 0;
                        bool ro = map is ArrayMap { ReadOnlyForPrograms: true };
                        return _space.MapValue(value, map, ro);
                    }
                case BpfHelperId.MapUpdateElem:
                    {
                        var map = MapArg(r[1], 1);
                        var key = Memory(r[2], (int)map.KeySize, false, "key (arg 2)");
                        var value = Memory(r[3], (int)map.ValueSize, false, "value (arg 3)");
                        if (map is ArrayMap { ReadOnlyForPrograms: true })
                            throw new BpfRunFault($"map '{map.Name}' is read-only for programs (BPF_F_RDONLY_PROG)");
                        return (ulong)map.UpdateValue(key, value, r[4]);
                    }
                case BpfHelperId.MapDeleteElem:
                    {
                        var map = MapArg(r[1], 1);
                        var key = Memory(r[2], (int)map.KeySize, false, "key (arg 2)");
                        return (ulong)map.DeleteValue(key);
                    }
                case BpfHelperId.KtimeGetNs:
                case BpfHelperId.KtimeGetBootNs:
                    return _ctx?.KtimeGetNs() ?? _skb?.KtimeGetNs() ?? _ops!.KtimeGetNs();
                case BpfHelperId.GetPrandomU32:
                    return _ctx?.GetPrandomU32() ?? _skb?.GetPrandomU32() ?? _ops!.GetPrandomU32();
                case BpfHelperId.TracePrintk:
                    {
                        uint size = (uint)r[2];
                        if (size == 0 || size > 1024) throw new BpfRunFault($"format size {size} (arg 2) must be 1..1024");
                        var fmt = Memory(r[1], (int)size, false, "format (arg 1)");
                        string line = TracePrintkFormatter.Format(fmt, r[3], r[4], r[5], ReadString);
                        if (_ctx is not null) _ctx.TracePrintk(line);
                        else if (_skb is not null) _skb.TracePrintk(line);
                        else _ops!.TracePrintk(line);
                        TraceSink?.Invoke(line);
                        return (ulong)line.Length;
                    }
                case BpfHelperId.MsgRedirectMap:
                    CheckContextArg(r[1]);
                    return (ulong)Msg.MsgRedirectMap(MapArg(r[2], 2), (uint)r[3], r[4]);
                case BpfHelperId.MsgRedirectHash:
                    {
                        CheckContextArg(r[1]);
                        var map = MapArg(r[2], 2);
                        var key = Memory(r[3], (int)map.KeySize, false, "key (arg 3)");
                        return (ulong)Msg.MsgRedirectHash(map, key, r[4]);
                    }
                case BpfHelperId.MsgApplyBytes:
                    CheckContextArg(r[1]);
                    return (ulong)Msg.MsgApplyBytes((uint)r[2]);
                case BpfHelperId.MsgCorkBytes:
                    CheckContextArg(r[1]);
                    return (ulong)Msg.MsgCorkBytes((uint)r[2]);
                case BpfHelperId.MsgPullData:
                    {
                        CheckContextArg(r[1]);
                        long rc = Msg.MsgPullData((uint)r[2], (uint)r[3], r[4]);
                        RefreshPacket();
                        return (ulong)rc;
                    }
                case BpfHelperId.MsgPushData:
                    {
                        CheckContextArg(r[1]);
                        long rc = Msg.MsgPushData((uint)r[2], (uint)r[3], r[4]);
                        RefreshPacket();
                        return (ulong)rc;
                    }
                case BpfHelperId.MsgPopData:
                    {
                        CheckContextArg(r[1]);
                        long rc = Msg.MsgPopData((uint)r[2], (uint)r[3], r[4]);
                        RefreshPacket();
                        return (ulong)rc;
                    }
                default:
                    if (TryProgramHelper(id, r, out ulong result)) return result;
                    throw new BpfRunFault($"helper function {id} is not implemented by the simulation");
            }
        }
        catch (BpfRunFault f) when (f.Pc < 0)
        {
            throw new BpfRunFault($"{BpfHelperId.Name(id) ?? "helper " + id}: {f.Message}") { Pc = pc };
        }
    }

    /// <summary>A map handle from LD_IMM64 src=1 (ARG_CONST_MAP_PTR).</summary>
    private BpfMap MapArg(ulong value, int arg)
    {
        uint tag = (uint)(value >> 32);
        uint index = (uint)value;
        if ((tag & 0xFFFF_0000) != BpfAddressSpace.MapHandleTag || (tag & 0xFFFF) != 0 || index >= (uint)_maps.Length)
            throw new BpfRunFault($"argument {arg} (0x{value:x}) is not a map pointer");
        return _maps[index];
    }

    /// <summary>ARG_PTR_TO_CTX: the msg helpers need the program's own context pointer.</summary>
    private static void CheckContextArg(ulong value)
    {
        if (value != BpfAddressSpace.Address(BpfAddressSpace.ContextRegion, 0))
            throw new BpfRunFault($"argument 1 (0x{value:x}) must be the program's context (struct sk_msg_md *)");
    }

    /// <summary>Memory a helper reads or writes: the whole range must lie in one region.</summary>
    private Span<byte> Memory(ulong address, int length, bool write, string what)
    {
        if (length == 0) return default;
        ref byte p = ref _space.TryAccess(address, length, write);
        if (Unsafe.IsNullRef(ref p)) throw new BpfRunFault($"{what}: {_space.Explain(address, length, write)}");
        return MemoryMarshal_CreateSpan(ref p, length);
    }

    private static Span<byte> MemoryMarshal_CreateSpan(ref byte p, int length) =>
        System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref p, length);

    /// <summary>%s of bpf_trace_printk: a NUL-terminated string inside one region (at most 256 bytes are shown).</summary>
    private string ReadString(ulong address)
    {
        var sb = new System.Text.StringBuilder();
        for (int k = 0; k < 256; k++)
        {
            ref byte p = ref _space.TryAccess(address + (ulong)k, 1, false);
            if (Unsafe.IsNullRef(ref p))
                return k == 0 ? "(efault)" : sb.ToString();
            if (p == 0) break;
            sb.Append((char)p);
        }
        return sb.ToString();
    }
}
