using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using SockActors.Model.Maps;
using SockActors.Model.Programs;

namespace SockActors.Model.Bpf;

/// <summary>
/// The eBPF interpreter (RFC 9669 semantics, kernel/bpf/core.c ___bpf_prog_run where the RFC leaves a choice) over a
/// pre-decoded program. One instance per program, single-threaded; no allocation per instruction. Memory safety comes
/// from <see cref="BpfAddressSpace"/>, termination from the instruction budget; any violation throws
/// <see cref="BpfRunFault"/>, which the owning program turns into a DROP verdict and a <see cref="BpfFault"/>.
/// </summary>
internal sealed unsafe partial class BpfVm
{
    private DecodedInsn[] _code;
    private readonly BpfMap[] _maps;
    private readonly byte[] _stack = new byte[BpfIsa.StackFrameSize * BpfIsa.MaxCallFrames];
    private long _configuredBudget;
    private readonly Frame[] _frames = new Frame[BpfIsa.MaxCallFrames];
    private readonly byte[] _ctxScratch = new byte[8];
    private readonly BpfAddressSpace _space;
    private ISkMsgContext? _ctx;
    private int _packetRegion;
    private ulong _dataAddress, _dataEndAddress;
    private long _budgetLeft;

    private struct Frame
    {
        public int ReturnPc;
        public ulong R6, R7, R8, R9, R10;
    }

    public BpfVm(BpfMap[] maps)
    {
        _code = [];
        _maps = maps;
        _space = new BpfAddressSpace(_stack);
    }

    /// <summary>The address space, so the loader can register global data before decoding.</summary>
    public BpfAddressSpace Space => _space;

    /// <summary>The decoded program; set once, after static regions are registered.</summary>
    public DecodedInsn[] Code { get => _code; set => _code = value; }

    /// <summary>Instructions executed by the last run (on a fault other than budget exhaustion: up to the last call).</summary>
    public long LastInstructionCount { get; private set; }

    /// <summary>Runs the program once; returns r0. Throws <see cref="BpfRunFault"/> with <see cref="BpfRunFault.Pc"/> set.</summary>
    public ulong Run(ISkMsgContext ctx, long budget)
    {
        _ctx = ctx;
        return RunCore(budget);
    }

    private ulong RunCore(long budget)
    {
        _configuredBudget = budget;
        _pendingCtxWrite = -1;
        _space.ResetRun();
        // Deterministic runs: the verifier forbids reading uninitialised stack; we zero each frame when it is entered.
        Array.Clear(_stack, 0, BpfIsa.StackFrameSize);
        _packetRegion = 0;
        _budgetLeft = budget;
        try
        {
            RefreshPacket();
            ulong* r = stackalloc ulong[11];
            r[1] = BpfAddressSpace.Address(BpfAddressSpace.ContextRegion, 0);
            r[10] = BpfAddressSpace.Address(BpfAddressSpace.StackRegion, BpfIsa.StackFrameSize);
            ulong r0 = Loop(r, budget);
            CommitContextWrite();
            return r0;
        }
        finally
        {
            LastInstructionCount = budget - _budgetLeft;
            _ctx = null;
            _skb = null;
            _ops = null;
        }
    }

    /// <summary>Re-reads [data, data_end) from the context: at the start and after each data-changing helper.</summary>
    private void RefreshPacket()
    {
        var data = _ctx?.Data ?? _skb?.Data ?? default;
        if (data.Array is null)
        {
            // A NULL window (sendpage of a shared page): data = data_end = NULL, and old packet pointers die.
            if (_packetRegion > 0) _space.NewPacket(default, _packetRegion);
            _packetRegion = 0;
            _dataAddress = _dataEndAddress = 0;
            return;
        }
        _packetRegion = _space.NewPacket(data, _packetRegion);
        _dataAddress = BpfAddressSpace.Address(_packetRegion, 0);
        _dataEndAddress = _dataAddress + (uint)data.Count;
    }

    private static BpfRunFault Fault(int pc, string message) => new(message) { Pc = pc };

    /// <summary>Slow path of a load/store: the context (computed from the live ISkMsgContext), else a fault.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ref byte SlowAccess(ulong address, int size, bool write, int pc)
    {
        if (_space.IsContext(address) && _ctx is null)
            return ref OtherContextAccess(BpfAddressSpace.OffsetOf(address), size, write, pc);
        if (_space.IsContext(address))
        {
            int off = BpfAddressSpace.OffsetOf(address);
            if (SkMsgContextLayout.CheckAccess(off, size, write) is { } why) throw Fault(pc, why);
            ulong v = ContextField(off);
            BinaryPrimitives.WriteUInt64LittleEndian(_ctxScratch, v);
            return ref _ctxScratch[0];
        }
        throw Fault(pc, _space.Explain(address, size, write));
    }

    /// <summary>A field of struct sk_msg_md as filter.c sk_msg_convert_ctx_access computes it, at this moment.</summary>
    private ulong ContextField(int off)
    {
        var ctx = _ctx!;
        if (off == SkMsgContextLayout.Data) return _dataAddress;
        if (off == SkMsgContextLayout.DataEnd) return _dataEndAddress;
        if (off == SkMsgContextLayout.Sk) return (ulong)BpfAddressSpace.SocketTag << 32;
        if (off == SkMsgContextLayout.Size) return ctx.Size;
        return ctx.Addresses.Field(off - SkMsgContextLayout.Family);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref byte Access(ulong address, int size, bool write, int pc)
    {
        ref byte p = ref _space.TryAccess(address, size, write);
        if (Unsafe.IsNullRef(ref p)) p = ref SlowAccess(address, size, write, pc);
        return ref p;
    }

    private ulong Loop(ulong* r, long budget)
    {
        fixed (DecodedInsn* code = _code)
        {
            int pc = 0;
            int depth = 0;
            while (true)
            {
                DecodedInsn* i = code + pc;
                if (--budget < 0)
                {
                    _budgetLeft = 0;
                    throw Fault(pc, $"instruction budget exhausted (more than {_configuredBudget} instructions in one run)");
                }
                switch (i->Op)
                {
                    // ---- ALU64 (RFC 9669 4.1); shifts mask the count to 6 bits like the kernel's interpreter.
                    case BpfOp.Add64I: r[i->Dst] += (ulong)i->Imm; break;
                    case BpfOp.Add64R: r[i->Dst] += r[i->Src]; break;
                    case BpfOp.Sub64I: r[i->Dst] -= (ulong)i->Imm; break;
                    case BpfOp.Sub64R: r[i->Dst] -= r[i->Src]; break;
                    case BpfOp.Mul64I: r[i->Dst] *= (ulong)i->Imm; break;
                    case BpfOp.Mul64R: r[i->Dst] *= r[i->Src]; break;
                    case BpfOp.Div64I: r[i->Dst] = Div64((ulong)i->Imm, r[i->Dst]); break;
                    case BpfOp.Div64R: r[i->Dst] = Div64(r[i->Src], r[i->Dst]); break;
                    case BpfOp.Mod64I: r[i->Dst] = Mod64((ulong)i->Imm, r[i->Dst]); break;
                    case BpfOp.Mod64R: r[i->Dst] = Mod64(r[i->Src], r[i->Dst]); break;
                    case BpfOp.SDiv64I: r[i->Dst] = (ulong)SDiv64(i->Imm, (long)r[i->Dst]); break;
                    case BpfOp.SDiv64R: r[i->Dst] = (ulong)SDiv64((long)r[i->Src], (long)r[i->Dst]); break;
                    case BpfOp.SMod64I: r[i->Dst] = (ulong)SMod64(i->Imm, (long)r[i->Dst]); break;
                    case BpfOp.SMod64R: r[i->Dst] = (ulong)SMod64((long)r[i->Src], (long)r[i->Dst]); break;
                    case BpfOp.Or64I: r[i->Dst] |= (ulong)i->Imm; break;
                    case BpfOp.Or64R: r[i->Dst] |= r[i->Src]; break;
                    case BpfOp.And64I: r[i->Dst] &= (ulong)i->Imm; break;
                    case BpfOp.And64R: r[i->Dst] &= r[i->Src]; break;
                    case BpfOp.Xor64I: r[i->Dst] ^= (ulong)i->Imm; break;
                    case BpfOp.Xor64R: r[i->Dst] ^= r[i->Src]; break;
                    case BpfOp.Lsh64I: r[i->Dst] <<= (int)(i->Imm & 63); break;
                    case BpfOp.Lsh64R: r[i->Dst] <<= (int)(r[i->Src] & 63); break;
                    case BpfOp.Rsh64I: r[i->Dst] >>= (int)(i->Imm & 63); break;
                    case BpfOp.Rsh64R: r[i->Dst] >>= (int)(r[i->Src] & 63); break;
                    case BpfOp.Arsh64I: r[i->Dst] = (ulong)((long)r[i->Dst] >> (int)(i->Imm & 63)); break;
                    case BpfOp.Arsh64R: r[i->Dst] = (ulong)((long)r[i->Dst] >> (int)(r[i->Src] & 63)); break;
                    case BpfOp.Neg64: r[i->Dst] = (ulong)-(long)r[i->Dst]; break;
                    case BpfOp.Mov64I: r[i->Dst] = (ulong)i->Imm; break;
                    case BpfOp.Mov64R: r[i->Dst] = r[i->Src]; break;
                    case BpfOp.MovSx64B: r[i->Dst] = (ulong)(long)(sbyte)r[i->Src]; break;
                    case BpfOp.MovSx64H: r[i->Dst] = (ulong)(long)(short)r[i->Src]; break;
                    case BpfOp.MovSx64W: r[i->Dst] = (ulong)(long)(int)r[i->Src]; break;

                    // ---- ALU32: operate on the low 32 bits, zero the upper 32 (RFC 9669 4.1); shifts mask to 5 bits.
                    case BpfOp.Add32I: r[i->Dst] = (uint)r[i->Dst] + (uint)i->Imm; break;
                    case BpfOp.Add32R: r[i->Dst] = (uint)r[i->Dst] + (uint)r[i->Src]; break;
                    case BpfOp.Sub32I: r[i->Dst] = (uint)r[i->Dst] - (uint)i->Imm; break;
                    case BpfOp.Sub32R: r[i->Dst] = (uint)r[i->Dst] - (uint)r[i->Src]; break;
                    case BpfOp.Mul32I: r[i->Dst] = (uint)r[i->Dst] * (uint)i->Imm; break;
                    case BpfOp.Mul32R: r[i->Dst] = (uint)r[i->Dst] * (uint)r[i->Src]; break;
                    case BpfOp.Div32I: r[i->Dst] = Div32((uint)i->Imm, (uint)r[i->Dst]); break;
                    case BpfOp.Div32R: r[i->Dst] = Div32((uint)r[i->Src], (uint)r[i->Dst]); break;
                    case BpfOp.Mod32I: r[i->Dst] = Mod32((uint)i->Imm, (uint)r[i->Dst]); break;
                    case BpfOp.Mod32R: r[i->Dst] = Mod32((uint)r[i->Src], (uint)r[i->Dst]); break;
                    case BpfOp.SDiv32I: r[i->Dst] = (uint)SDiv32((int)i->Imm, (int)r[i->Dst]); break;
                    case BpfOp.SDiv32R: r[i->Dst] = (uint)SDiv32((int)r[i->Src], (int)r[i->Dst]); break;
                    case BpfOp.SMod32I: r[i->Dst] = (uint)SMod32((int)i->Imm, (int)r[i->Dst]); break;
                    case BpfOp.SMod32R: r[i->Dst] = (uint)SMod32((int)r[i->Src], (int)r[i->Dst]); break;
                    case BpfOp.Or32I: r[i->Dst] = (uint)r[i->Dst] | (uint)i->Imm; break;
                    case BpfOp.Or32R: r[i->Dst] = (uint)r[i->Dst] | (uint)r[i->Src]; break;
                    case BpfOp.And32I: r[i->Dst] = (uint)r[i->Dst] & (uint)i->Imm; break;
                    case BpfOp.And32R: r[i->Dst] = (uint)r[i->Dst] & (uint)r[i->Src]; break;
                    case BpfOp.Xor32I: r[i->Dst] = (uint)r[i->Dst] ^ (uint)i->Imm; break;
                    case BpfOp.Xor32R: r[i->Dst] = (uint)r[i->Dst] ^ (uint)r[i->Src]; break;
                    case BpfOp.Lsh32I: r[i->Dst] = (uint)r[i->Dst] << (int)(i->Imm & 31); break;
                    case BpfOp.Lsh32R: r[i->Dst] = (uint)r[i->Dst] << (int)(r[i->Src] & 31); break;
                    case BpfOp.Rsh32I: r[i->Dst] = (uint)r[i->Dst] >> (int)(i->Imm & 31); break;
                    case BpfOp.Rsh32R: r[i->Dst] = (uint)r[i->Dst] >> (int)(r[i->Src] & 31); break;
                    case BpfOp.Arsh32I: r[i->Dst] = (uint)((int)r[i->Dst] >> (int)(i->Imm & 31)); break;
                    case BpfOp.Arsh32R: r[i->Dst] = (uint)((int)r[i->Dst] >> (int)(r[i->Src] & 31)); break;
                    case BpfOp.Neg32: r[i->Dst] = (uint)-(int)r[i->Dst]; break;
                    case BpfOp.Mov32I: r[i->Dst] = (uint)i->Imm; break;
                    case BpfOp.Mov32R: r[i->Dst] = (uint)r[i->Src]; break;
                    case BpfOp.MovSx32B: r[i->Dst] = (uint)(int)(sbyte)r[i->Src]; break;
                    case BpfOp.MovSx32H: r[i->Dst] = (uint)(int)(short)r[i->Src]; break;

                    // ---- Byte order (RFC 9669 4.2) on a little-endian host.
                    case BpfOp.Trunc16: r[i->Dst] = (ushort)r[i->Dst]; break;
                    case BpfOp.Trunc32: r[i->Dst] = (uint)r[i->Dst]; break;
                    case BpfOp.Nop: break;
                    case BpfOp.Swap16: r[i->Dst] = BinaryPrimitives.ReverseEndianness((ushort)r[i->Dst]); break;
                    case BpfOp.Swap32: r[i->Dst] = BinaryPrimitives.ReverseEndianness((uint)r[i->Dst]); break;
                    case BpfOp.Swap64: r[i->Dst] = BinaryPrimitives.ReverseEndianness(r[i->Dst]); break;

                    case BpfOp.LdImm64: r[i->Dst] = (ulong)i->Imm; pc++; break;

                    // ---- Loads and stores (RFC 9669 5.1, 5.2), every access bounds-checked.
                    case BpfOp.LdxB: r[i->Dst] = Access(r[i->Src] + (ulong)i->Off, 1, false, pc); break;
                    case BpfOp.LdxH: r[i->Dst] = Unsafe.ReadUnaligned<ushort>(ref Access(r[i->Src] + (ulong)i->Off, 2, false, pc)); break;
                    case BpfOp.LdxW:
                        r[i->Dst] = Unsafe.ReadUnaligned<uint>(ref Access(r[i->Src] + (ulong)i->Off, 4, false, pc));
                        // __sk_buff.data/data_end are u32 fields the verifier turns into 64-bit pointers.
                        if (_wideLoad) { r[i->Dst] = _wideValue; _wideLoad = false; }
                        break;
                    case BpfOp.LdxDW: r[i->Dst] = Unsafe.ReadUnaligned<ulong>(ref Access(r[i->Src] + (ulong)i->Off, 8, false, pc)); break;
                    case BpfOp.LdxSB: r[i->Dst] = (ulong)(long)(sbyte)Access(r[i->Src] + (ulong)i->Off, 1, false, pc); break;
                    case BpfOp.LdxSH: r[i->Dst] = (ulong)(long)Unsafe.ReadUnaligned<short>(ref Access(r[i->Src] + (ulong)i->Off, 2, false, pc)); break;
                    case BpfOp.LdxSW: r[i->Dst] = (ulong)(long)Unsafe.ReadUnaligned<int>(ref Access(r[i->Src] + (ulong)i->Off, 4, false, pc)); break;
                    case BpfOp.StB: Access(r[i->Dst] + (ulong)i->Off, 1, true, pc) = (byte)i->Imm; break;
                    case BpfOp.StH: Unsafe.WriteUnaligned(ref Access(r[i->Dst] + (ulong)i->Off, 2, true, pc), (ushort)i->Imm); break;
                    case BpfOp.StW: Unsafe.WriteUnaligned(ref Access(r[i->Dst] + (ulong)i->Off, 4, true, pc), (uint)i->Imm); break;
                    case BpfOp.StDW: Unsafe.WriteUnaligned(ref Access(r[i->Dst] + (ulong)i->Off, 8, true, pc), (ulong)i->Imm); break;
                    case BpfOp.StxB: Access(r[i->Dst] + (ulong)i->Off, 1, true, pc) = (byte)r[i->Src]; break;
                    case BpfOp.StxH: Unsafe.WriteUnaligned(ref Access(r[i->Dst] + (ulong)i->Off, 2, true, pc), (ushort)r[i->Src]); break;
                    case BpfOp.StxW: Unsafe.WriteUnaligned(ref Access(r[i->Dst] + (ulong)i->Off, 4, true, pc), (uint)r[i->Src]); break;
                    case BpfOp.StxDW: Unsafe.WriteUnaligned(ref Access(r[i->Dst] + (ulong)i->Off, 8, true, pc), r[i->Src]); break;
                    case BpfOp.Atomic32: Atomic32(ref Access(r[i->Dst] + (ulong)i->Off, 4, true, pc), (int)i->Imm, r, i->Src); break;
                    case BpfOp.Atomic64: Atomic64(ref Access(r[i->Dst] + (ulong)i->Off, 8, true, pc), (int)i->Imm, r, i->Src); break;

                    // ---- Jumps (RFC 9669 4.3): targets are absolute after decoding.
                    case BpfOp.Ja: pc = i->Off; continue;
                    case BpfOp.Jeq64I: if (r[i->Dst] == (ulong)i->Imm) { pc = i->Off; continue; } break;
                    case BpfOp.Jeq64R: if (r[i->Dst] == r[i->Src]) { pc = i->Off; continue; } break;
                    case BpfOp.Jne64I: if (r[i->Dst] != (ulong)i->Imm) { pc = i->Off; continue; } break;
                    case BpfOp.Jne64R: if (r[i->Dst] != r[i->Src]) { pc = i->Off; continue; } break;
                    case BpfOp.Jgt64I: if (r[i->Dst] > (ulong)i->Imm) { pc = i->Off; continue; } break;
                    case BpfOp.Jgt64R: if (r[i->Dst] > r[i->Src]) { pc = i->Off; continue; } break;
                    case BpfOp.Jge64I: if (r[i->Dst] >= (ulong)i->Imm) { pc = i->Off; continue; } break;
                    case BpfOp.Jge64R: if (r[i->Dst] >= r[i->Src]) { pc = i->Off; continue; } break;
                    case BpfOp.Jlt64I: if (r[i->Dst] < (ulong)i->Imm) { pc = i->Off; continue; } break;
                    case BpfOp.Jlt64R: if (r[i->Dst] < r[i->Src]) { pc = i->Off; continue; } break;
                    case BpfOp.Jle64I: if (r[i->Dst] <= (ulong)i->Imm) { pc = i->Off; continue; } break;
                    case BpfOp.Jle64R: if (r[i->Dst] <= r[i->Src]) { pc = i->Off; continue; } break;
                    case BpfOp.Jset64I: if ((r[i->Dst] & (ulong)i->Imm) != 0) { pc = i->Off; continue; } break;
                    case BpfOp.Jset64R: if ((r[i->Dst] & r[i->Src]) != 0) { pc = i->Off; continue; } break;
                    case BpfOp.Jsgt64I: if ((long)r[i->Dst] > i->Imm) { pc = i->Off; continue; } break;
                    case BpfOp.Jsgt64R: if ((long)r[i->Dst] > (long)r[i->Src]) { pc = i->Off; continue; } break;
                    case BpfOp.Jsge64I: if ((long)r[i->Dst] >= i->Imm) { pc = i->Off; continue; } break;
                    case BpfOp.Jsge64R: if ((long)r[i->Dst] >= (long)r[i->Src]) { pc = i->Off; continue; } break;
                    case BpfOp.Jslt64I: if ((long)r[i->Dst] < i->Imm) { pc = i->Off; continue; } break;
                    case BpfOp.Jslt64R: if ((long)r[i->Dst] < (long)r[i->Src]) { pc = i->Off; continue; } break;
                    case BpfOp.Jsle64I: if ((long)r[i->Dst] <= i->Imm) { pc = i->Off; continue; } break;
                    case BpfOp.Jsle64R: if ((long)r[i->Dst] <= (long)r[i->Src]) { pc = i->Off; continue; } break;

                    case BpfOp.Jeq32I: if ((uint)r[i->Dst] == (uint)i->Imm) { pc = i->Off; continue; } break;
                    case BpfOp.Jeq32R: if ((uint)r[i->Dst] == (uint)r[i->Src]) { pc = i->Off; continue; } break;
                    case BpfOp.Jne32I: if ((uint)r[i->Dst] != (uint)i->Imm) { pc = i->Off; continue; } break;
                    case BpfOp.Jne32R: if ((uint)r[i->Dst] != (uint)r[i->Src]) { pc = i->Off; continue; } break;
                    case BpfOp.Jgt32I: if ((uint)r[i->Dst] > (uint)i->Imm) { pc = i->Off; continue; } break;
                    case BpfOp.Jgt32R: if ((uint)r[i->Dst] > (uint)r[i->Src]) { pc = i->Off; continue; } break;
                    case BpfOp.Jge32I: if ((uint)r[i->Dst] >= (uint)i->Imm) { pc = i->Off; continue; } break;
                    case BpfOp.Jge32R: if ((uint)r[i->Dst] >= (uint)r[i->Src]) { pc = i->Off; continue; } break;
                    case BpfOp.Jlt32I: if ((uint)r[i->Dst] < (uint)i->Imm) { pc = i->Off; continue; } break;
                    case BpfOp.Jlt32R: if ((uint)r[i->Dst] < (uint)r[i->Src]) { pc = i->Off; continue; } break;
                    case BpfOp.Jle32I: if ((uint)r[i->Dst] <= (uint)i->Imm) { pc = i->Off; continue; } break;
                    case BpfOp.Jle32R: if ((uint)r[i->Dst] <= (uint)r[i->Src]) { pc = i->Off; continue; } break;
                    case BpfOp.Jset32I: if (((uint)r[i->Dst] & (uint)i->Imm) != 0) { pc = i->Off; continue; } break;
                    case BpfOp.Jset32R: if (((uint)r[i->Dst] & (uint)r[i->Src]) != 0) { pc = i->Off; continue; } break;
                    case BpfOp.Jsgt32I: if ((int)r[i->Dst] > (int)i->Imm) { pc = i->Off; continue; } break;
                    case BpfOp.Jsgt32R: if ((int)r[i->Dst] > (int)r[i->Src]) { pc = i->Off; continue; } break;
                    case BpfOp.Jsge32I: if ((int)r[i->Dst] >= (int)i->Imm) { pc = i->Off; continue; } break;
                    case BpfOp.Jsge32R: if ((int)r[i->Dst] >= (int)r[i->Src]) { pc = i->Off; continue; } break;
                    case BpfOp.Jslt32I: if ((int)r[i->Dst] < (int)i->Imm) { pc = i->Off; continue; } break;
                    case BpfOp.Jslt32R: if ((int)r[i->Dst] < (int)r[i->Src]) { pc = i->Off; continue; } break;
                    case BpfOp.Jsle32I: if ((int)r[i->Dst] <= (int)i->Imm) { pc = i->Off; continue; } break;
                    case BpfOp.Jsle32R: if ((int)r[i->Dst] <= (int)r[i->Src]) { pc = i->Off; continue; } break;

                    // ---- Calls (RFC 9669 4.3.1). Helpers clobber r1-r5 (we leave them); BPF-to-BPF calls get a
                    // fresh 512-byte frame, r6-r9 are callee-saved, at most MAX_CALL_FRAMES frames.
                    case BpfOp.CallHelper:
                        _budgetLeft = budget;
                        CommitContextWrite();
                        r[0] = CallHelper((int)i->Imm, r, pc);
                        break;
                    case BpfOp.CallLocal:
                        {
                            if (depth + 1 >= BpfIsa.MaxCallFrames)
                                throw Fault(pc, $"call depth exceeds {BpfIsa.MaxCallFrames} frames (MAX_CALL_FRAMES)");
                            ref Frame f = ref _frames[depth++];
                            f.ReturnPc = pc + 1;
                            f.R6 = r[6]; f.R7 = r[7]; f.R8 = r[8]; f.R9 = r[9]; f.R10 = r[10];
                            Array.Clear(_stack, depth * BpfIsa.StackFrameSize, BpfIsa.StackFrameSize);
                            r[10] += BpfIsa.StackFrameSize;
                            _budgetLeft = budget;
                            pc = i->Off;
                            continue;
                        }
                    case BpfOp.Exit:
                        if (depth == 0)
                        {
                            _budgetLeft = budget;
                            return r[0];
                        }
                        {
                            ref Frame f = ref _frames[--depth];
                            r[6] = f.R6; r[7] = f.R7; r[8] = f.R8; r[9] = f.R9; r[10] = f.R10;
                            pc = f.ReturnPc;
                            continue;
                        }

                    case BpfOp.FallOffEnd: throw Fault(pc, "execution ran past the last instruction (missing exit)");
                    case BpfOp.LdImm64Tail: throw Fault(pc, "jumped into the second slot of LD_IMM64");
                    case BpfOp.UnsupportedHelper: throw Fault(pc, $"helper function {i->Imm} is not implemented by the simulation");
                    default: throw Fault(pc, $"invalid decoded operation {i->Op}");
                }
                pc++;
            }
        }
    }

    // Division rules of RFC 9669 4.1 / kernel: x / 0 = 0, x % 0 = x; signed INT_MIN / -1 = INT_MIN, INT_MIN % -1 = 0.
    private static ulong Div64(ulong divisor, ulong x) => divisor == 0 ? 0 : x / divisor;
    private static ulong Mod64(ulong divisor, ulong x) => divisor == 0 ? x : x % divisor;
    private static uint Div32(uint divisor, uint x) => divisor == 0 ? 0 : x / divisor;
    private static uint Mod32(uint divisor, uint x) => divisor == 0 ? x : x % divisor;
    private static long SDiv64(long divisor, long x) => divisor == 0 ? 0 : divisor == -1 ? unchecked(-x) : x / divisor;
    private static long SMod64(long divisor, long x) => divisor == 0 ? x : divisor == -1 ? 0 : x % divisor;
    private static int SDiv32(int divisor, int x) => divisor == 0 ? 0 : divisor == -1 ? unchecked(-x) : x / divisor;
    private static int SMod32(int divisor, int x) => divisor == 0 ? x : divisor == -1 ? 0 : x % divisor;

    /// <summary>RFC 9669 5.3 atomics on 32 bits: FETCH returns the old value in src (zero-extended); CMPXCHG compares
    /// with r0 and always loads the old value into r0.</summary>
    private static void Atomic32(ref byte p, int op, ulong* r, int src)
    {
        uint old = Unsafe.ReadUnaligned<uint>(ref p);
        uint v = (uint)r[src];
        switch (op)
        {
            case BpfIsa.AtomicCmpXchg:
                if (old == (uint)r[0]) Unsafe.WriteUnaligned(ref p, v);
                r[0] = old;
                return;
            case BpfIsa.AtomicXchg:
                Unsafe.WriteUnaligned(ref p, v);
                r[src] = old;
                return;
        }
        uint result = (op & ~BpfIsa.AtomicFetch) switch
        {
            BpfIsa.AtomicAdd => old + v, BpfIsa.AtomicOr => old | v, BpfIsa.AtomicAnd => old & v, _ => old ^ v,
        };
        Unsafe.WriteUnaligned(ref p, result);
        if ((op & BpfIsa.AtomicFetch) != 0) r[src] = old;
    }

    private static void Atomic64(ref byte p, int op, ulong* r, int src)
    {
        ulong old = Unsafe.ReadUnaligned<ulong>(ref p);
        ulong v = r[src];
        switch (op)
        {
            case BpfIsa.AtomicCmpXchg:
                if (old == r[0]) Unsafe.WriteUnaligned(ref p, v);
                r[0] = old;
                return;
            case BpfIsa.AtomicXchg:
                Unsafe.WriteUnaligned(ref p, v);
                r[src] = old;
                return;
        }
        ulong result = (op & ~BpfIsa.AtomicFetch) switch
        {
            BpfIsa.AtomicAdd => old + v, BpfIsa.AtomicOr => old | v, BpfIsa.AtomicAnd => old & v, _ => old ^ v,
        };
        Unsafe.WriteUnaligned(ref p, result);
        if ((op & BpfIsa.AtomicFetch) != 0) r[src] = old;
    }
}
