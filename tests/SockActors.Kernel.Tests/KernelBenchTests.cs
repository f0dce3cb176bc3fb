using SockActors.Kernel.Bench;
using Xunit;

namespace SockActors.Kernel.Tests;

/// <summary>Each bench workload moves data through the real kernel (short runs; the numbers are not asserted).</summary>
public sealed class KernelBenchTests
{
    [KernelFact]
    public void Every_workload_sends_and_the_receiver_drains()
    {
        foreach (var w in Enum.GetValues<BenchWorkload>())
        {
            var r = KernelBench.Run(w, 64, TimeSpan.FromMilliseconds(200));
            Assert.True(r.Sends > 0, $"{w}: no send succeeded");
            Assert.Equal(0, r.FailedSends);
            Assert.True(r.BytesReceived > 0, $"{w}: the receiver got nothing");
        }
    }
}
