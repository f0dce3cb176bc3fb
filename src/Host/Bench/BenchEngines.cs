using SockActors.Kernel;
using SockActors.Kernel.Bench;
using SockActors.Model.Kernel;

namespace SockActors.Host.Bench;

/// <summary>Runs one bench case (workload, message size, duration) on an engine.</summary>
public delegate BenchResult BenchCase(BenchWorkload workload, int size, TimeSpan duration, KernelProfile profile);

/// <summary>The engines `sockactors bench` can measure. A factory returns null with a reason when the engine cannot run here.</summary>
public static class BenchEngines
{
    public static IReadOnlyList<(string Name, Func<(BenchCase? Case, string? Unavailable)> Create)> All { get; } =
    [
        ("model", () => ((w, s, d, p) => ModelBench.Run(w, s, d, p), null)),
        ("kernel", KernelCase),
        // ("actors", () => ((w, s, d, p) => ActorBench.Run(w, s, d, p), null)),   // registration point for the actor runtime
    ];

    private static (BenchCase?, string?) KernelCase()
    {
        var (available, reason) = KernelSupport.Probe();
        return available ? ((w, s, d, _) => KernelBench.Run(w, s, d), null) : (null, reason);
    }
}
