using SockActors.Model.Bpf;
using static SockActors.Bpf.Tests.Asm;
using static SockActors.Model.Bpf.BpfIsa;

namespace SockActors.Bpf.Tests;

/// <summary>ALU and ALU64 (RFC 9669 4.1, 4.2): every operation with K and X sources and the edge cases.</summary>
public class AluTests
{
    /// <summary>r0 = a; r1 = b; r0 op= r1 (64-bit), using LD_IMM64 to load full 64-bit operands.</summary>
    private static ulong Op64X(byte op, ulong a, ulong b, short off = 0) => Eval(Ld64(0, a), Ld64(1, b), Alu64X(op, 0, 1, off));
    private static ulong Op64K(byte op, ulong a, int imm, short off = 0) => Eval(Ld64(0, a), Alu64K(op, 0, imm, off));
    private static ulong Op32X(byte op, ulong a, ulong b, short off = 0) => Eval(Ld64(0, a), Ld64(1, b), Alu32X(op, 0, 1, off));
    private static ulong Op32K(byte op, ulong a, int imm, short off = 0) => Eval(Ld64(0, a), Alu32K(op, 0, imm, off));

    [Theory]
    [InlineData(Add, 5UL, 7UL, 12UL)]
    [InlineData(Add, ulong.MaxValue, 1UL, 0UL)]
    [InlineData(Sub, 5UL, 7UL, 0xFFFF_FFFF_FFFF_FFFEUL)]
    [InlineData(Mul, 0x1_0000_0000UL, 0x1_0000_0000UL, 0UL)]
    [InlineData(Mul, 3UL, 0xFFFF_FFFF_FFFF_FFFFUL, 0xFFFF_FFFF_FFFF_FFFDUL)]
    [InlineData(Div, 100UL, 7UL, 14UL)]
    [InlineData(Div, 100UL, 0UL, 0UL)] // x / 0 = 0
    [InlineData(Mod, 100UL, 7UL, 2UL)]
    [InlineData(Mod, 100UL, 0UL, 100UL)] // x % 0 = x
    [InlineData(Or, 0xF0UL, 0x0FUL, 0xFFUL)]
    [InlineData(And, 0xF0F0UL, 0xFF00UL, 0xF000UL)]
    [InlineData(Xor, 0xFFUL, 0x0FUL, 0xF0UL)]
    [InlineData(Lsh, 1UL, 63UL, 0x8000_0000_0000_0000UL)]
    [InlineData(Lsh, 1UL, 64UL, 1UL)] // shift count masked to 6 bits
    [InlineData(Lsh, 1UL, 65UL, 2UL)]
    [InlineData(Rsh, 0x8000_0000_0000_0000UL, 63UL, 1UL)]
    [InlineData(Rsh, 0x8000_0000_0000_0000UL, 64UL, 0x8000_0000_0000_0000UL)]
    [InlineData(Arsh, 0x8000_0000_0000_0000UL, 63UL, ulong.MaxValue)]
    [InlineData(Arsh, 0x8000_0000_0000_0000UL, 4UL, 0xF800_0000_0000_0000UL)]
    [InlineData(Mov, 1UL, 0xDEAD_BEEF_CAFE_F00DUL, 0xDEAD_BEEF_CAFE_F00DUL)]
    public void Alu64Register(byte op, ulong a, ulong b, ulong expected) => Assert.Equal(expected, Op64X(op, a, b));

    [Theory]
    [InlineData(Add, 5UL, -1, 4UL)] // imm sign-extended
    [InlineData(Sub, 0UL, 1, ulong.MaxValue)]
    [InlineData(Mul, 2UL, -3, 0xFFFF_FFFF_FFFF_FFFAUL)]
    [InlineData(Div, 100UL, 0, 0UL)]
    [InlineData(Div, ulong.MaxValue, -1, 1UL)] // unsigned divide by (u64)(s64)-1
    [InlineData(Mod, 9UL, 0, 9UL)]
    [InlineData(Or, 0x1_0000_0000UL, -0x10, 0xFFFF_FFFF_FFFF_FFF0UL)]
    [InlineData(And, 0xFFFF_FFFF_FFFF_FFFFUL, 0x7FFFFFFF, 0x7FFF_FFFFUL)]
    [InlineData(And, 0xFFFF_FFFF_FFFF_FFFFUL, -1, 0xFFFF_FFFF_FFFF_FFFFUL)]
    [InlineData(Xor, 0UL, -1, ulong.MaxValue)]
    [InlineData(Lsh, 3UL, 66, 12UL)]
    [InlineData(Rsh, 16UL, 2, 4UL)]
    [InlineData(Arsh, 0xFFFF_FFFF_FFFF_FF00UL, 4, 0xFFFF_FFFF_FFFF_FFF0UL)]
    [InlineData(Mov, 0UL, -2, 0xFFFF_FFFF_FFFF_FFFEUL)]
    public void Alu64Immediate(byte op, ulong a, int imm, ulong expected) => Assert.Equal(expected, Op64K(op, a, imm));

    [Theory]
    [InlineData(Add, 0xFFFF_FFFFUL, 1UL, 0UL)] // 32-bit wrap-around
    [InlineData(Add, 0xAAAA_AAAA_0000_0001UL, 1UL, 2UL)] // upper bits zeroed
    [InlineData(Sub, 0UL, 1UL, 0xFFFF_FFFFUL)]
    [InlineData(Mul, 0x1_0001UL, 0x1_0001UL, 0x0002_0001UL)]
    [InlineData(Div, 0xFFFF_FFFF_0000_0064UL, 7UL, 14UL)]
    [InlineData(Div, 0xFFFF_FFFF_0000_0064UL, 0UL, 0UL)]
    [InlineData(Mod, 0xFFFF_FFFF_0000_0064UL, 0UL, 0x64UL)] // x % 0 = x, upper bits zeroed
    [InlineData(Mod, 0x64UL, 0x1_0000_0000UL, 0x64UL)] // divisor's upper bits ignored: 32-bit 0
    [InlineData(Or, 0xFFFF_FFFF_0000_0000UL, 1UL, 1UL)]
    [InlineData(And, 0xFFFF_FFFF_FFFF_FFFFUL, 0xFFFF_FFFF_0000_00FFUL, 0xFFUL)]
    [InlineData(Xor, 0x1_0000_000FUL, 0xFUL, 0UL)]
    [InlineData(Lsh, 1UL, 31UL, 0x8000_0000UL)]
    [InlineData(Lsh, 1UL, 32UL, 1UL)] // masked to 5 bits
    [InlineData(Rsh, 0x8000_0000UL, 33UL, 0x4000_0000UL)]
    [InlineData(Arsh, 0x8000_0000UL, 31UL, 0xFFFF_FFFFUL)]
    [InlineData(Arsh, 0x8000_0000UL, 32UL, 0x8000_0000UL)]
    [InlineData(Mov, 0UL, 0xFFFF_FFFF_FFFF_FFFFUL, 0xFFFF_FFFFUL)]
    public void Alu32Register(byte op, ulong a, ulong b, ulong expected) => Assert.Equal(expected, Op32X(op, a, b));

    [Theory]
    [InlineData(Add, 0xFFFF_FFFFUL, 1, 0UL)]
    [InlineData(Mov, 0xFFFF_FFFF_FFFF_FFFFUL, -1, 0xFFFF_FFFFUL)] // MOV32 imm zero-extends
    [InlineData(Div, 100UL, -1, 0UL)] // 100 / 0xFFFFFFFF
    [InlineData(Lsh, 1UL, 35, 8UL)]
    public void Alu32Immediate(byte op, ulong a, int imm, ulong expected) => Assert.Equal(expected, Op32K(op, a, imm));

    [Fact]
    public void Neg()
    {
        Assert.Equal(ulong.MaxValue, Op64K(BpfIsa.Neg, 1, 0));
        Assert.Equal(0x8000_0000_0000_0000UL, Op64K(BpfIsa.Neg, 0x8000_0000_0000_0000UL, 0));
        Assert.Equal(0xFFFF_FFFFUL, Op32K(BpfIsa.Neg, 0x5_0000_0001UL, 0));
        Assert.Equal(0x8000_0000UL, Op32K(BpfIsa.Neg, 0x8000_0000UL, 0));
    }

    [Theory]
    [InlineData(-7L, 2L, -3L, -1L)] // truncating, remainder takes the dividend's sign
    [InlineData(7L, -2L, -3L, 1L)]
    [InlineData(-7L, -2L, 3L, -1L)]
    [InlineData(long.MinValue, -1L, long.MinValue, 0L)] // INT_MIN / -1 = INT_MIN, INT_MIN % -1 = 0
    [InlineData(5L, 0L, 0L, 5L)] // x / 0 = 0, x % 0 = x
    public void SignedDivMod64(long a, long b, long quotient, long remainder)
    {
        Assert.Equal((ulong)quotient, Op64X(Div, (ulong)a, (ulong)b, off: 1));
        Assert.Equal((ulong)remainder, Op64X(Mod, (ulong)a, (ulong)b, off: 1));
        Assert.Equal((ulong)quotient, Op64K(Div, (ulong)a, (int)b, off: 1));
        Assert.Equal((ulong)remainder, Op64K(Mod, (ulong)a, (int)b, off: 1));
    }

    [Theory]
    [InlineData(-7, 2, -3, -1)]
    [InlineData(int.MinValue, -1, int.MinValue, 0)]
    [InlineData(9, 0, 0, 9)]
    public void SignedDivMod32(int a, int b, int quotient, int remainder)
    {
        ulong A = 0xDEAD_0000_0000_0000UL | (uint)a; // upper garbage is ignored and the result zero-extended
        Assert.Equal((ulong)(uint)quotient, Op32X(Div, A, (uint)b, off: 1));
        Assert.Equal((ulong)(uint)remainder, Op32X(Mod, A, (uint)b, off: 1));
        Assert.Equal((ulong)(uint)quotient, Op32K(Div, A, b, off: 1));
        Assert.Equal((ulong)(uint)remainder, Op32K(Mod, A, b, off: 1));
    }

    [Fact]
    public void MovSx()
    {
        Assert.Equal(0xFFFF_FFFF_FFFF_FF80UL, Op64X(Mov, 0, 0x1234_5680, off: 8));
        Assert.Equal(0xFFFF_FFFF_FFFF_8001UL, Op64X(Mov, 0, 0x8001, off: 16));
        Assert.Equal(0xFFFF_FFFF_8000_0000UL, Op64X(Mov, 0, 0x1_8000_0000, off: 32));
        Assert.Equal(0x7FUL, Op64X(Mov, 0, 0xFF7F, off: 8));
        Assert.Equal(0xFFFF_FF80UL, Op32X(Mov, 0, 0x80, off: 8));   // 32-bit MOVSX zero-extends the 32-bit result
        Assert.Equal(0xFFFF_8000UL, Op32X(Mov, 0, 0x8000, off: 16));
    }

    [Fact]
    public void ByteSwaps()
    {
        const ulong v = 0x0102_0304_0506_0708UL;
        ulong End(byte cls, bool be, int width) => Eval(Ld64(0, v), I((byte)(cls | BpfIsa.End | (be ? SrcX : 0)), 0, 0, 0, width));
        Assert.Equal(0x0708UL, End(ClassAlu, false, 16));            // to LE on LE: truncate
        Assert.Equal(0x0506_0708UL, End(ClassAlu, false, 32));
        Assert.Equal(v, End(ClassAlu, false, 64));
        Assert.Equal(0x0807UL, End(ClassAlu, true, 16));             // to BE: swap and truncate
        Assert.Equal(0x0807_0605UL, End(ClassAlu, true, 32));
        Assert.Equal(0x0807_0605_0403_0201UL, End(ClassAlu, true, 64));
        Assert.Equal(0x0807UL, End(ClassAlu64, false, 16));          // BSWAP (ALU64|END)
        Assert.Equal(0x0807_0605UL, End(ClassAlu64, false, 32));
        Assert.Equal(0x0807_0605_0403_0201UL, End(ClassAlu64, false, 64));
    }

    [Fact]
    public void LdImm64FullValue() => Assert.Equal(0x8765_4321_0FED_CBA9UL, Eval(Ld64(0, 0x8765_4321_0FED_CBA9UL)));

    [Theory]
    [InlineData(BpfIsa.Neg, 1)] // NEG with source X
    public void ReservedAluEncodingsAreRefused(byte op, int x)
    {
        var e = Assert.Throws<BpfLoadException>(() => SkMsgBpfProgram.FromInstructions("t", [I((byte)(ClassAlu64 | op | (x != 0 ? SrcX : 0)), 0, 1), Exit()]));
        Assert.Contains("instruction 0", e.Message);
    }

    [Fact]
    public void WriteToFrameRegisterIsRefused()
    {
        var e = Assert.Throws<BpfLoadException>(() => SkMsgBpfProgram.FromInstructions("t", [Mov64(10, 0), Exit()]));
        Assert.Contains("r10", e.Message);
    }
}
