using SockActors.Kernel;
using Xunit;

namespace SockActors.Kernel.Tests;

/// <summary>A fact that needs the live kernel: skipped with the probe's reason where BPF is unavailable (xunit 2 has
/// no dynamic skip, so the attribute sets Skip when it is constructed).</summary>
public sealed class KernelFactAttribute : FactAttribute
{
    public KernelFactAttribute()
    {
        var (available, reason) = KernelSupport.Probe();
        if (!available) Skip = reason;
    }
}
