using SockActors.Actors.Bench;
using SockActors.Kernel;
using ActorWorkload = SockActors.Actors.Bench.BenchWorkload;
using BenchResult = SockActors.Kernel.Bench.BenchResult;
using BenchWorkload = SockActors.Kernel.Bench.BenchWorkload;
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
        ("actors", () => (ActorsCase(null), null)),   // one line per engine: the actor runtime on its kernel thread (src/Actors/Bench)
    ];

    /// <summary>The actor engine with <paramref name="config"/> (HOCON over the library's defaults, see <see cref="ActorConfig"/>).</summary>
    public static BenchCase ActorsCase(string? config) => (w, size, duration, _) =>
    {
        var r = ActorBench.Run(w switch
        {
            BenchWorkload.Pass => ActorWorkload.Pass,
            BenchWorkload.RedirectEgress => ActorWorkload.Redirect,
            _ => ActorWorkload.Ingress,
        }, size, duration: duration, config: config);
        return new BenchResult(w, size, r.Count, r.Count * (long)size, r.Count * (long)size, r.Seconds, 0);
    };

    /// <summary>The runtime keys of the host's configuration that a bench of the actors honours: sockactors:verdict
    /// (where verdicts run), as HOCON; null when it is not set.</summary>
    public static string? ActorConfig(Configuration.HostSettings settings) => settings.Configuration?["sockactors:verdict"] switch
    {
        null or "" => null,
        "actor" => "sockactors.verdict = actor",
        "in-place" => "sockactors.verdict = in-place",
        var v => throw new HostException($"sockactors:verdict must be 'actor' or 'in-place', not '{v}'"),
    };

    private static (BenchCase?, string?) KernelCase()
    {
        var (available, reason) = KernelSupport.Probe();
        return available ? ((w, s, d, _) => KernelBench.Run(w, s, d), null) : (null, reason);
    }
}
