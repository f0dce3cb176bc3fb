using SockActors.Model.Bpf;
using static SockActors.Bpf.Tests.Asm;
using static SockActors.Model.Bpf.BpfIsa;

namespace SockActors.Bpf.Tests;

/// <summary>JMP and JMP32 (RFC 9669 4.3): every condition, unsigned and signed, and both JA forms.</summary>
public class JumpTests
{
    /// <summary>r0 = 1 if the jump is taken, else 0.</summary>
    private static bool Taken(ulong jump, ulong a, ulong b) =>
        Eval(Ld64(1, a), Ld64(2, b), Mov64(0, 1), jump, Mov64(0, 0)) == 1;

    public static IEnumerable<object[]> Cases()
    {
        // op, a, b, taken64, taken32
        yield return [Jeq, 5UL, 5UL, true, true];
        yield return [Jeq, 0x1_0000_0005UL, 5UL, false, true];
        yield return [Jne, 0x1_0000_0005UL, 5UL, true, false];
        yield return [Jgt, ulong.MaxValue, 1UL, true, true];
        yield return [Jgt, 0x1_0000_0000UL, 1UL, true, false];
        yield return [Jge, 7UL, 7UL, true, true];
        yield return [Jlt, 1UL, ulong.MaxValue, true, true];
        yield return [Jle, 0x2_0000_0001UL, 0x1_0000_0001UL, false, true];
        yield return [Jset, 0x1_0000_0000UL, 0x1_0000_0000UL, true, false];
        yield return [Jsgt, 1UL, ulong.MaxValue, true, true];        // 1 > -1
        yield return [Jsgt, 0x8000_0000UL, 0UL, true, false];         // 64: 2^31 > 0; 32: INT_MIN > 0 false
        yield return [Jsge, ulong.MaxValue, ulong.MaxValue, true, true];
        yield return [Jslt, 0x8000_0000_0000_0000UL, 0UL, true, false]; // low 32 bits are 0
        yield return [Jslt, 0xFFFF_FFFFUL, 0UL, false, true];         // 32: -1 < 0
        yield return [Jsle, 0xFFFF_FFFEUL, 0xFFFF_FFFFUL, true, true];
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Conditions(byte op, ulong a, ulong b, bool taken64, bool taken32)
    {
        Assert.Equal(taken64, Taken(Jmp64X(op, 1, 2, 1), a, b));
        Assert.Equal(taken32, Taken(Jmp32X(op, 1, 2, 1), a, b));
        if (b == (ulong)(long)(int)b) Assert.Equal(taken64, Taken(Jmp64K(op, 1, (int)b, 1), a, b));
        if (b <= uint.MaxValue) Assert.Equal(taken32, Taken(Jmp32K(op, 1, (int)(uint)b, 1), a, b));
    }

    [Fact]
    public void ImmediateIsSignExtendedIn64BitCompares()
    {
        Assert.True(Taken(Jmp64K(Jeq, 1, -1, 1), ulong.MaxValue, 0));
        Assert.False(Taken(Jmp64K(Jeq, 1, -1, 1), 0xFFFF_FFFFUL, 0));
        Assert.True(Taken(Jmp32K(Jeq, 1, -1, 1), 0xFFFF_FFFFUL, 0));
    }

    [Fact]
    public void JaAndGotol()
    {
        Assert.Equal(2UL, Eval(Mov64(0, 1), Ja(1), Mov64(0, 9), Alu64K(Add, 0, 1)));
        Assert.Equal(2UL, Eval(Mov64(0, 1), Ja32(1), Mov64(0, 9), Alu64K(Add, 0, 1)));
        // backward jump: count r0 up to 10
        Assert.Equal(10UL, Run(Prog(Mov64(0, 0), Alu64K(Add, 0, 1), Jmp64K(Jlt, 0, 10, -2), Exit())));
    }

    [Fact]
    public void JumpOutsideProgramIsRefused()
    {
        var e = Assert.Throws<BpfLoadException>(() => SkMsgBpfProgram.FromInstructions("t", [Ja(5), Exit()]));
        Assert.Contains("outside the program", e.Message);
    }

    [Fact]
    public void JumpIntoLdImm64IsRefused()
    {
        var e = Assert.Throws<BpfLoadException>(() => SkMsgBpfProgram.FromInstructions("t", Prog(Ja(1), Ld64(0, 1), Exit())));
        Assert.Contains("LD_IMM64", e.Message);
    }

    [Fact]
    public void BpfToBpfCallsPreserveCalleeSavedRegistersAndGetOwnFrame()
    {
        // main: r6 = 5; *(r10-8) = 100; r1 = 7; call f; r0 += r6; r0 += *(r10-8); exit
        // f:    r6 = 1000; *(r10-8) = 1; r0 = r1 * 2; exit
        var code = Prog(
            Mov64(6, 5), St(SizeDW, 10, -8, 100), Mov64(1, 7), CallLocal(4),
            Alu64X(Add, 0, 6), Ldx(SizeDW, 1, 10, -8), Alu64X(Add, 0, 1), Exit(),
            Mov64(6, 1000), St(SizeDW, 10, -8, 1), Mov64R(0, 1), Alu64K(Mul, 0, 2), Exit());
        // CallLocal(4): target = 3 + 1 + 4 = 8
        Assert.Equal(14UL + 5 + 100, Run(code));
    }
}
