using SockActors.Kernel;
using SockActors.Kernel.Conformance;
using Xunit;

namespace SockActors.Kernel.Tests;

/// <summary>Where the kernel cannot run scenarios, callers get a clear reason to skip with, not a failure.</summary>
public sealed class SkipPathTests
{
    [Fact]
    public void Pretending_the_capability_is_missing_gives_a_clear_skip_reason()
    {
        var before = Environment.GetEnvironmentVariable(KernelSupport.PretendNoBpfVariable);
        Environment.SetEnvironmentVariable(KernelSupport.PretendNoBpfVariable, "1");
        try
        {
            var (available, reason) = KernelSupport.Probe();
            Assert.False(available);
            Assert.Contains("CAP_BPF", reason);
            var e = Assert.Throws<KernelUnavailableException>(() => new KernelScenarioRunner());
            Assert.Equal(reason, e.Message);
            var c = KernelConformance.Compare([], s => throw new InvalidOperationException("not called"));
            Assert.False(c.KernelAvailable);
            Assert.Equal(reason, c.SkipReason);
        }
        finally
        {
            Environment.SetEnvironmentVariable(KernelSupport.PretendNoBpfVariable, before);
        }
    }
}
