using SockActors.Model.Bpf;
using SockActors.Model.Maps;
using static SockActors.Bpf.Tests.Asm;
using static SockActors.Model.Bpf.BpfIsa;

namespace SockActors.Bpf.Tests;

/// <summary>What the verifier would refuse becomes a run-time fault: verdict 0 and a diagnostic naming the instruction.</summary>
public class FaultTests
{
    private static BpfFault Faults(ulong[] code, FakeContext? ctx = null, IReadOnlyList<BpfMap>? maps = null, long? budget = null)
    {
        var p = SkMsgBpfProgram.FromInstructions("faulty", code, maps);
        if (budget is { } b) p.InstructionBudget = b;
        BpfFault? reported = null;
        p.OnFault = f => reported = f;
        Assert.Equal(0, p.Run(ctx ?? new FakeContext()));
        Assert.NotNull(p.LastFault);
        Assert.Same(p.LastFault, reported);
        return p.LastFault!;
    }

    [Fact]
    public void OutOfBoundsPacketRead()
    {
        // r2 = data; r0 = *(u32 *)(r2 + 14) on a 16-byte window: bytes 14..17
        var f = Faults(Prog(Ldx(SizeDW, 2, 1, 0), Mov64(0, 1), Ldx(SizeW, 0, 2, 14), Exit()), new FakeContext(16));
        Assert.Equal(2, f.InstructionIndex);
        Assert.Contains("packet", f.Message);
        Assert.Contains("offset 14", f.Message);
        Assert.Contains("instruction 2", f.ToString());
    }

    [Fact]
    public void NegativePacketOffset()
    {
        var f = Faults(Prog(Ldx(SizeDW, 2, 1, 0), Ldx(SizeB, 0, 2, -1), Exit()));
        Assert.Equal(1, f.InstructionIndex);
    }

    [Fact]
    public void ContextWrite()
    {
        var f = Faults(Prog(Mov64(0, 1), St(SizeW, 1, SkMsgContextLayout.Size, 5), Exit()));
        Assert.Equal(1, f.InstructionIndex);
        Assert.Contains("read-only", f.Message);
    }

    [Theory]
    [InlineData(SizeW, SkMsgContextLayout.Data, "8-byte")]       // narrow read of a pointer field
    [InlineData(SizeB, SkMsgContextLayout.Size, "4-byte")]       // narrow read of a u32 field
    [InlineData(SizeDW, SkMsgContextLayout.Size, "misaligned")]  // 68 % 8 != 0
    [InlineData(SizeW, 80, "outside")]
    public void InvalidContextReads(byte size, short off, string expected)
    {
        var f = Faults(Prog(Mov64(0, 1), Ldx(size, 0, 1, off), Exit()));
        Assert.Contains(expected, f.Message);
    }

    [Fact]
    public void NullMapValueDereference()
    {
        var array = new ArrayMap("arr", 1, 8);
        // key 5 is out of range → NULL; deref without check
        var f = Faults(Prog(St(SizeW, 10, -4, 5), Ld64(1, 0, PseudoMapFd), Mov64R(2, 10), Alu64K(Add, 2, -4),
            Call(BpfHelperId.MapLookupElem), Ldx(SizeDW, 0, 0, 0), Exit()), maps: [array]);
        Assert.Equal(6, f.InstructionIndex);
        Assert.Contains("NULL", f.Message);
    }

    [Fact]
    public void MapValueOverrun()
    {
        var array = new ArrayMap("arr", 2, 8);
        var f = Faults(Prog(St(SizeW, 10, -4, 0), Ld64(1, 0, PseudoMapFd), Mov64R(2, 10), Alu64K(Add, 2, -4),
            Call(BpfHelperId.MapLookupElem), Jmp64K(Jeq, 0, 0, 1), Ldx(SizeDW, 0, 0, 4), Exit()), maps: [array]);
        Assert.Contains("map 'arr'", f.Message);
    }

    [Fact]
    public void BudgetExhausted()
    {
        var f = Faults(Prog(Mov64(0, 1), Ja(-1), Exit()), budget: 1000);
        Assert.Contains("budget", f.Message);
        Assert.Contains("1000", f.Message);
    }

    [Fact]
    public void CallDepthExceeded()
    {
        // f calls itself forever: frame 9 is refused
        var f = Faults(Prog(CallLocal(1), Exit(), CallLocal(-1), Exit()));
        Assert.Equal(2, f.InstructionIndex);
        Assert.Contains("call depth", f.Message);
    }

    [Fact]
    public void AccessBelowTheStackIsAFault()
    {
        var f = Faults(Prog(Ldx(SizeDW, 0, 10, -520), Exit()));
        Assert.Contains("offset -8 outside stack", f.Message);
    }

    [Fact]
    public void ScalarDereference()
    {
        var f = Faults(Prog(Mov64(2, 0x123456), Ldx(SizeB, 0, 2, 0), Exit()));
        Assert.Contains("scalar", f.Message);
    }

    [Fact]
    public void MapPointerDereference()
    {
        var f = Faults(Prog(Ld64(2, 0, PseudoMapFd), Ldx(SizeB, 0, 2, 0), Exit()), maps: [new ArrayMap("a", 1, 4)]);
        Assert.Contains("map pointer", f.Message);
    }

    [Fact]
    public void StalePacketPointerAfterPull()
    {
        // r6 = data; pull(0, 4); r0 = *(u8*)r6 → old window is invalid (verifier: clear_all_pkt_pointers)
        var f = Faults(Prog(Ldx(SizeDW, 6, 1, 0), Mov64(2, 0), Mov64(3, 4), Mov64(4, 0), Call(BpfHelperId.MsgPullData),
            Ldx(SizeB, 0, 6, 0), Exit()));
        Assert.Equal(5, f.InstructionIndex);
        Assert.Contains("invalidated", f.Message);
    }

    [Fact]
    public void HelperWithBadPointerNamesHelperAndArgument()
    {
        var f = Faults(Prog(Ld64(1, 0, PseudoMapFd), Mov64(2, 0), Call(BpfHelperId.MapLookupElem), Exit()), maps: [new ArrayMap("a", 1, 4)]);
        Assert.Contains("bpf_map_lookup_elem", f.Message);
        Assert.Contains("key (arg 2)", f.Message);
    }

    [Fact]
    public void FallingOffTheEnd()
    {
        var f = Faults(Prog(Mov64(0, 1)));
        Assert.Contains("past the last instruction", f.Message);
    }

    [Fact]
    public void NextRunAfterFaultIsClean()
    {
        var p = SkMsgBpfProgram.FromInstructions("t", Prog(Ldx(SizeW, 0, 1, SkMsgContextLayout.Size), Jmp64K(Jeq, 0, 0, 1), Exit(), Ldx(SizeB, 0, 0, 0), Exit()));
        Assert.Equal(0, p.Run(new FakeContext(0)));
        Assert.NotNull(p.LastFault);
        Assert.Equal(5, p.Run(new FakeContext(5)));
        Assert.Null(p.LastFault);
    }

    [Fact]
    public void UnknownHelperIsALoadError()
    {
        var e = Assert.Throws<BpfLoadException>(() => SkMsgBpfProgram.FromInstructions("t", [Call(44), Exit()]));
        Assert.Contains("helper function 44", e.Message);
        Assert.Contains("instruction 0", e.Message);
    }
}
