using SockActors.Model.Bpf;
using static SockActors.Bpf.Tests.Asm;

namespace SockActors.Bpf.Tests;

/// <summary>The hot path must not allocate; the quick benchmark API must work (speed itself is measured in bench/).</summary>
public class PerformanceTests
{
    [Fact]
    public void RunsDoNotAllocate()
    {
        var p = BpfVmBenchmark.LoopProgram(1000);
        var ctx = new BpfVmBenchmark.BenchContext();
        for (int i = 0; i < 3; i++) p.Run(ctx);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) p.Run(ctx);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(8006, p.LastInstructionCount);
    }

    [Fact]
    public void CalleeFramesStartZeroed()
    {
        // f writes its frame and returns the old value; the second call must still see 0.
        var code = Prog(CallLocal(3), CallLocal(2), Exit(), Exit(),
            Ldx(BpfIsa.SizeDW, 0, 10, -8), BpfIsa.Encode(0x7a, 10, 0, -8, 77), Exit());
        Assert.Equal(0UL, Run(code));
    }

    [Fact]
    public void MeasureReportsInstructionsPerSecond() => Assert.True(BpfVmBenchmark.Measure(TimeSpan.FromMilliseconds(50)) > 1e6);
}
