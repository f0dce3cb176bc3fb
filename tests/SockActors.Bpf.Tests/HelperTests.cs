using SockActors.Model.Bpf;
using SockActors.Model.Maps;
using static SockActors.Bpf.Tests.Asm;
using static SockActors.Model.Bpf.BpfIsa;

namespace SockActors.Bpf.Tests;

public class HelperTests
{
    [Fact]
    public void MsgHelpersPassArgumentsAndDataIsReReadAfterThem()
    {
        var ctx = new FakeContext(32);
        var sock = new SockMap("sock_map", 4);
        // apply(10); cork(20); push(2, 3, 0); r0 = data_end - data (35); redirect
        var code = Prog(
            Mov64R(6, 1),
            Mov64(2, 10), Call(BpfHelperId.MsgApplyBytes), Mov64R(1, 6),
            Mov64(2, 20), Call(BpfHelperId.MsgCorkBytes), Mov64R(1, 6),
            Mov64(2, 2), Mov64(3, 3), Mov64(4, 0), Call(BpfHelperId.MsgPushData),
            Ldx(SizeDW, 7, 6, 0), Ldx(SizeDW, 8, 6, 8), Alu64X(Sub, 8, 7), Stx(SizeDW, 10, 8, -8),
            Mov64R(1, 6), Ld64(2, 0, PseudoMapFd), Mov64(3, 1), Mov64(4, 1), Call(BpfHelperId.MsgRedirectMap),
            Ldx(SizeDW, 0, 10, -8), Exit());
        Assert.Equal(35UL, Run(code, ctx, [sock]));
        Assert.Equal(["apply(10)", "cork(20)", "push(2,3,0)", "redirect_map(sock_map,1,1)"], ctx.Calls);
    }

    [Fact]
    public void MsgHelperNeedsTheContextPointer()
    {
        var p = SkMsgBpfProgram.FromInstructions("t", Prog(Mov64(1, 0), Mov64(2, 1), Call(BpfHelperId.MsgApplyBytes), Exit()));
        Assert.Equal(0, p.Run(new FakeContext()));
        Assert.Contains("bpf_msg_apply_bytes", p.LastFault!.Message);
    }

    [Fact]
    public void RedirectHashReadsKey()
    {
        var ctx = new FakeContext();
        var h = new HashMap("hm", 4, 4, 4);
        Run(Prog(St(SizeW, 10, -4, 0x01020304), Ld64(2, 0, PseudoMapFd), Mov64R(3, 10), Alu64K(Add, 3, -4), Mov64(4, 0),
            Call(BpfHelperId.MsgRedirectHash), Exit()), ctx, [h]);
        Assert.Equal(["redirect_hash(hm,04030201,0)"], ctx.Calls);
    }

    [Fact]
    public void ClockAndRandom()
    {
        Assert.Equal(1000UL, Eval(Call(BpfHelperId.KtimeGetNs)));
        Assert.Equal(1000UL, Eval(Call(BpfHelperId.KtimeGetBootNs)));
        Assert.Equal(42UL, Eval(Call(BpfHelperId.GetPrandomU32)));
    }

    [Fact]
    public void TracePrintkFormats()
    {
        var ctx = new FakeContext();
        var fmt = "v=%d u=%u x=%llx\0"u8.ToArray();
        var rodata = new ArrayMap(".rodata", 1, (uint)fmt.Length, readOnlyForPrograms: true);
        fmt.CopyTo(rodata.Storage, 0);
        var code = Prog(I(0x18, 1, PseudoMapValue, 0, 0), I(0, 0, 0, 0, 0), Mov64(2, fmt.Length), Mov64(3, -5), Mov64(4, -1), Ld64(5, 0xABCDEF0123UL),
            Call(BpfHelperId.TracePrintk), Exit());
        Run(code, ctx, [rodata]);
        Assert.Equal(["v=-5 u=4294967295 x=abcdef0123"], ctx.Trace);
    }

    [Fact]
    public void RodataIsReadOnly()
    {
        var rodata = new ArrayMap(".rodata", 1, 8, readOnlyForPrograms: true);
        var (r0, p) = RunP(Prog(I(0x18, 1, PseudoMapValue, 0, 0), I(0, 0, 0, 0, 0), St(SizeB, 1, 0, 1), Exit()), maps: [rodata]);
        Assert.Equal(0UL, r0);
        Assert.Contains("read-only", p.LastFault!.Message);
    }
}
