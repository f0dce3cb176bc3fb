using SockActors.Model.Bpf;
using SockActors.Model.Maps;
using static SockActors.Bpf.Tests.Asm;
using static SockActors.Model.Bpf.BpfIsa;

namespace SockActors.Bpf.Tests;

/// <summary>Loads, stores (RFC 9669 5.1/5.2), sign-extending loads and atomics (5.3) on stack, packet and map values.</summary>
public class MemoryTests
{
    [Fact]
    public void StackStoresAndLoadsOfEverySize()
    {
        Assert.Equal(0x0807_0605_0403_0201UL, Eval(Ld64(1, 0x0807_0605_0403_0201UL), Stx(SizeDW, 10, 1, -8), Ldx(SizeDW, 0, 10, -8)));
        Assert.Equal(0x0403_0201UL, Eval(Ld64(1, 0x0807_0605_0403_0201UL), Stx(SizeDW, 10, 1, -8), Ldx(SizeW, 0, 10, -8)));
        Assert.Equal(0x0605UL, Eval(Ld64(1, 0x0807_0605_0403_0201UL), Stx(SizeDW, 10, 1, -8), Ldx(SizeH, 0, 10, -4)));
        Assert.Equal(0x08UL, Eval(Ld64(1, 0x0807_0605_0403_0201UL), Stx(SizeDW, 10, 1, -8), Ldx(SizeB, 0, 10, -1)));
        Assert.Equal(0xFFFF_FFFFUL, Eval(St(SizeDW, 10, -8, 0), St(SizeW, 10, -8, -1), Ldx(SizeDW, 0, 10, -8)));
        Assert.Equal(0xFFFF_FFFF_FFFF_FFFFUL, Eval(St(SizeDW, 10, -8, -1), Ldx(SizeDW, 0, 10, -8))); // ST DW sign-extends imm
        Assert.Equal(0xABUL, Eval(St(SizeDW, 10, -8, 0), St(SizeB, 10, -8, 0x1AB), Ldx(SizeDW, 0, 10, -8)));
        Assert.Equal(0x1234UL, Eval(St(SizeDW, 10, -8, 0), Mov64(1, 0x51234), Stx(SizeH, 10, 1, -8), Ldx(SizeDW, 0, 10, -8)));
    }

    [Fact]
    public void SignExtendingLoads()
    {
        Assert.Equal(0xFFFF_FFFF_FFFF_FF80UL, Eval(St(SizeDW, 10, -8, 0x80), LdxSx(SizeB, 0, 10, -8)));
        Assert.Equal(0xFFFF_FFFF_FFFF_8000UL, Eval(St(SizeDW, 10, -8, 0x8000), LdxSx(SizeH, 0, 10, -8)));
        Assert.Equal(0xFFFF_FFFF_8000_0000UL, Eval(St(SizeW, 10, -8, int.MinValue), LdxSx(SizeW, 0, 10, -8)));
        Assert.Equal(0x7FUL, Eval(St(SizeDW, 10, -8, 0x7F), LdxSx(SizeB, 0, 10, -8)));
    }

    [Theory]
    [InlineData(AtomicAdd, 10UL, 3UL, 13UL, 3UL)]
    [InlineData(AtomicAdd | AtomicFetch, 10UL, 3UL, 13UL, 10UL)]
    [InlineData(AtomicOr | AtomicFetch, 0xF0UL, 0x0FUL, 0xFFUL, 0xF0UL)]
    [InlineData(AtomicAnd | AtomicFetch, 0xF0UL, 0x3CUL, 0x30UL, 0xF0UL)]
    [InlineData(AtomicXor | AtomicFetch, 0xF0UL, 0xFFUL, 0x0FUL, 0xF0UL)]
    [InlineData(AtomicOr, 0xF0UL, 0x0FUL, 0xFFUL, 0x0FUL)]
    [InlineData(AtomicXchg, 1UL, 2UL, 2UL, 1UL)]
    public void Atomics64(int op, ulong initial, ulong operand, ulong memAfter, ulong srcAfter)
    {
        // r2 = initial at [r10-8]; r1 = operand; atomic; r0 = mem; r3 = r1 → check both
        var mem = Eval(Ld64(2, initial), Stx(SizeDW, 10, 2, -8), Ld64(1, operand), Atomic(SizeDW, 10, 1, -8, op), Ldx(SizeDW, 0, 10, -8));
        var src = Eval(Ld64(2, initial), Stx(SizeDW, 10, 2, -8), Ld64(1, operand), Atomic(SizeDW, 10, 1, -8, op), Mov64R(0, 1));
        Assert.Equal(memAfter, mem);
        Assert.Equal(srcAfter, src);
    }

    [Fact]
    public void Atomics32ZeroExtendFetchedValueAndLeaveNeighbourAlone()
    {
        // mem DW = 0x11111111_FFFFFFFF; 32-bit fetch-add of 1 at low word → low word 0, high word untouched; r1 = 0xFFFFFFFF
        var prefix = Prog(Ld64(2, 0x1111_1111_FFFF_FFFFUL), Stx(SizeDW, 10, 2, -8), Ld64(1, 0xAAAA_AAAA_0000_0001UL),
            Atomic(SizeW, 10, 1, -8, AtomicAdd | AtomicFetch));
        Assert.Equal(0x1111_1111_0000_0000UL, Run(Prog(prefix, Ldx(SizeDW, 0, 10, -8), Exit())));
        Assert.Equal(0xFFFF_FFFFUL, Run(Prog(prefix, Mov64R(0, 1), Exit())));
    }

    [Fact]
    public void CmpXchg()
    {
        // success: r0 == mem → mem = r1, r0 = old
        Assert.Equal(9UL, Eval(St(SizeDW, 10, -8, 5), Mov64(0, 5), Mov64(1, 9), Atomic(SizeDW, 10, 1, -8, AtomicCmpXchg), Ldx(SizeDW, 0, 10, -8)));
        Assert.Equal(5UL, Eval(St(SizeDW, 10, -8, 5), Mov64(0, 5), Mov64(1, 9), Atomic(SizeDW, 10, 1, -8, AtomicCmpXchg)));
        // failure: mem unchanged, r0 = old
        Assert.Equal(5UL, Eval(St(SizeDW, 10, -8, 5), Mov64(0, 6), Mov64(1, 9), Atomic(SizeDW, 10, 1, -8, AtomicCmpXchg), Ldx(SizeDW, 0, 10, -8)));
        // 32-bit compares only the low word of r0 and zero-extends the loaded old value
        Assert.Equal(0xFFFF_FFFFUL, Eval(St(SizeW, 10, -8, -1), Ld64(0, 0x7_FFFF_FFFFUL), Mov64(1, 3), Atomic(SizeW, 10, 1, -8, AtomicCmpXchg)));
        Assert.Equal(3UL, Eval(St(SizeW, 10, -8, -1), Ld64(0, 0x7_FFFF_FFFFUL), Mov64(1, 3), Atomic(SizeW, 10, 1, -8, AtomicCmpXchg), Ldx(SizeW, 0, 10, -8)));
    }

    [Fact]
    public void PacketReadsAndWrites()
    {
        var ctx = new FakeContext(16);
        // r2 = data; r3 = data_end; if r2 + 4 > r3 goto drop; r0 = *(u32*)data; *(u8*)(data+1) = 0xEE; exit
        var code = Prog(Ldx(SizeDW, 2, 1, 0), Ldx(SizeDW, 3, 1, 8), Mov64R(4, 2), Alu64K(Add, 4, 4), Jmp64X(Jgt, 4, 3, 3),
            Ldx(SizeW, 0, 2, 0), St(SizeB, 2, 1, 0xEE), Exit(), Mov64(0, 0), Exit());
        ulong r0 = Run(code, ctx);
        Assert.Equal(BitConverter.ToUInt32(new byte[] { 0, 7, 14, 21 }), r0);
        Assert.Equal(0xEE, ctx.Buffer[1]);
    }

    [Fact]
    public void ContextFields()
    {
        var ctx = new FakeContext(10);
        Assert.Equal(10UL, Run(Prog(Ldx(SizeW, 0, 1, SkMsgContextLayout.Size), Exit()), ctx));
        Assert.Equal(10UL, Run(Prog(Ldx(SizeDW, 2, 1, 0), Ldx(SizeDW, 0, 1, 8), Alu64X(Sub, 0, 2), Exit()), ctx));
        Assert.Equal(2UL, Run(Prog(Ldx(SizeW, 0, 1, SkMsgContextLayout.Family), Exit()), ctx));
        Assert.Equal(4000UL, Run(Prog(Ldx(SizeW, 0, 1, SkMsgContextLayout.LocalPort), Exit()), ctx));
        Assert.Equal((ulong)ctx.Addresses.RemotePort, Run(Prog(Ldx(SizeW, 0, 1, SkMsgContextLayout.RemotePort), Exit()), ctx));
        Assert.Equal((ulong)ctx.Addresses.RemoteIp4, Run(Prog(Ldx(SizeW, 0, 1, SkMsgContextLayout.RemoteIp4), Exit()), ctx));
        // sk is a non-zero, non-dereferenceable pointer
        Assert.NotEqual(0UL, Run(Prog(Ldx(SizeDW, 0, 1, SkMsgContextLayout.Sk), Exit()), ctx));
    }

    [Fact]
    public void NullWindowGivesNullDataAndDataEnd()
    {
        var ctx = new FakeContext(10) { NullWindow = true };
        Assert.Equal(0UL, Run(Prog(Ldx(SizeDW, 0, 1, 0), Ldx(SizeDW, 2, 1, 8), Alu64X(Or, 0, 2), Mov64(3, 1), Alu64X(Add, 0, 3), Exit()), ctx) - 1);
    }

    [Fact]
    public void MapLookupUpdateDeleteThroughHelpers()
    {
        var array = new ArrayMap("arr", 4, 8);
        var hash = new HashMap("h", 2, 4, 8);
        // key 2 on stack; r0 = lookup(arr, &key); if !r0 → 0; *(u64*)r0 += 5 (atomic); r0 = *(u64*)r0
        var code = Prog(St(SizeW, 10, -4, 2), Ld64(1, 0, PseudoMapFd), Mov64R(2, 10), Alu64K(Add, 2, -4), Call(BpfHelperId.MapLookupElem),
            Jmp64K(Jeq, 0, 0, 4), Mov64(1, 5), Atomic(SizeDW, 0, 1, 0, AtomicAdd), Ldx(SizeDW, 0, 0, 0), Exit(), Mov64(0, 99), Exit());
        var p = SkMsgBpfProgram.FromInstructions("t", code, [array, hash]);
        Assert.Equal(5UL, p.RunRaw(new FakeContext()));
        Assert.Equal(10UL, p.RunRaw(new FakeContext()));
        Assert.Equal(10UL, BitConverter.ToUInt64(array.Value(2)));

        // hash: update(h, &key, &val, BPF_NOEXIST) twice → 0 then -EEXIST
        var upd = Prog(St(SizeW, 10, -4, 7), St(SizeDW, 10, -16, 1234), Ld64(1, 1, PseudoMapFd), Mov64R(2, 10), Alu64K(Add, 2, -4),
            Mov64R(3, 10), Alu64K(Add, 3, -16), Mov64(4, 1), Call(BpfHelperId.MapUpdateElem), Exit());
        var pu = SkMsgBpfProgram.FromInstructions("u", upd, [array, hash]);
        Assert.Equal(0UL, pu.RunRaw(new FakeContext()));
        Assert.Equal(unchecked((ulong)-17L), pu.RunRaw(new FakeContext()));
        Assert.True(hash.TryLookupValue(BitConverter.GetBytes(7), out var v));
        Assert.Equal(1234UL, BitConverter.ToUInt64(v));
        var del = Prog(St(SizeW, 10, -4, 7), Ld64(1, 1, PseudoMapFd), Mov64R(2, 10), Alu64K(Add, 2, -4), Call(BpfHelperId.MapDeleteElem), Exit());
        var pd = SkMsgBpfProgram.FromInstructions("d", del, [array, hash]);
        Assert.Equal(0UL, pd.RunRaw(new FakeContext()));
        Assert.Equal(unchecked((ulong)-2L), pd.RunRaw(new FakeContext()));
    }

    [Fact]
    public void MapValueAddressPseudo()
    {
        var data = new ArrayMap(".data", 1, 16);
        BitConverter.GetBytes(0x55UL).CopyTo(data.Storage, 8);
        var code = Prog(I(0x18, 1, PseudoMapValue, 0, 0), I(0, 0, 0, 0, 8), Ldx(SizeDW, 0, 1, 0), Exit());
        Assert.Equal(0x55UL, Run(code, maps: [data]));
    }
}
