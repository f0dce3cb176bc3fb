using System.Diagnostics;
using Akka.Actor;

namespace SockActors.Actors.Bench;

/// <summary>One kernel alone and <see cref="Kernels"/> independent kernels at once, in one actor system.</summary>
/// <param name="Kernels">Kernels run at once in the second measurement.</param>
/// <param name="Workload">What the program did with the bytes.</param>
/// <param name="Size">Bytes per sendmsg.</param>
/// <param name="KernelDispatcher">The dispatcher id the kernels ran on (sockactors.kernel-dispatcher).</param>
/// <param name="OneKernel">One kernel alone.</param>
/// <param name="AllKernels">All kernels at once, their sends summed.</param>
/// <param name="SendsPerKernel">Sends each kernel completed in the second measurement.</param>
public sealed record ParallelKernelsResult(int Kernels, BenchWorkload Workload, int Size, string KernelDispatcher, BenchResult OneKernel,
    BenchResult AllKernels, IReadOnlyList<long> SendsPerKernel)
{
    /// <summary>Aggregate sends/s of all kernels over one kernel's sends/s: N on N free cores at best.</summary>
    public double Ratio => AllKernels.SendsPerSecond / OneKernel.SendsPerSecond;

    /// <summary>CPU time the process used per wall-clock second while one kernel ran (about 1: the kernel's strand
    /// plus its driver's brief turns).</summary>
    public double OneKernelCoresBusy { get; init; }

    /// <summary>The same while all kernels ran: near N when they really run in parallel, whatever else loads the
    /// machine; near 1 when they share one thread.</summary>
    public double AllKernelsCoresBusy { get; init; }

    /// <summary>One line: both rates, per kernel, and the <see cref="Ratio"/>.</summary>
    public override string ToString() =>
        $"{Kernels} kernels ({KernelDispatcher}) {Workload} {Size} B: one kernel {OneKernel.SendsPerSecond:N0} sends/s, " +
        $"{Kernels} kernels {AllKernels.SendsPerSecond:N0} sends/s in all ({AllKernels.SendsPerSecond / Kernels:N0} each), {Ratio:0.00}x";
}

/// <summary>
/// Do kernels use more cores? N independent kernels (each its own topology of the workload, e.g. c1 redirected to p2's
/// egress and read at c2, and its own driver) in one actor system: after a warm-up, kernel 1 runs alone for half the
/// duration, then all N at once for half the duration, twice over, and the aggregate sends/s is reported beside
/// kernel 1's. With the default kernel-strand dispatcher each kernel runs on its own strand, so on N free cores the
/// ratio approaches N; with kernel-thread all kernels share one thread and it stays near 1.
/// </summary>
public static class ParallelKernelsBench
{
    /// <summary>Runs the comparison and returns both figures.</summary>
    /// <param name="kernels">Kernels to run at once (at least 1).</param>
    /// <param name="workload">What each kernel's program does with c1's sends.</param>
    /// <param name="size">Bytes per sendmsg.</param>
    /// <param name="duration">The whole measurement, split into the single-kernel and all-kernels phases.</param>
    /// <param name="kernelDispatcher">sockactors.kernel-dispatcher for the run; null for the library's default.</param>
    /// <param name="config">More HOCON for the run's actor system (e.g. <c>sockactors.verdict = in-place</c>), or null.</param>
    public static ParallelKernelsResult Run(int kernels, BenchWorkload workload, int size, TimeSpan duration, string? kernelDispatcher = null,
        string? config = null)
    {
        if (kernels < 1) throw new ArgumentOutOfRangeException(nameof(kernels), kernels, "at least one kernel");
        if (kernelDispatcher is not null && !kernelDispatcher.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
            throw new ArgumentException($"sockactors.kernel-dispatcher '{kernelDispatcher}' is not a dispatcher id (letters, digits, '.', '-', '_')");
        using var system = ActorBench.CreateSystem((kernelDispatcher is null ? "" : $"sockactors.kernel-dispatcher = \"{kernelDispatcher}\"\n") + config);
        try
        {
            // Checked before the extension starts: it makes the kernel manager on this dispatcher.
            string dispatcher = SockActorsSettings.Create(system).KernelDispatcher;
            if (!system.Dispatchers.HasDispatcher(dispatcher))
                throw new ArgumentException($"sockactors.kernel-dispatcher '{dispatcher}' is not a configured dispatcher");
            return RunAsync(system, dispatcher, kernels, workload, size, duration).GetAwaiter().GetResult();
        }
        finally
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
        }
    }

    private static async Task<ParallelKernelsResult> RunAsync(ActorSystem system, string dispatcher, int kernels, BenchWorkload workload, int size,
        TimeSpan duration)
    {
        var rigs = new BenchKernel[kernels];
        for (int i = 0; i < kernels; i++) rigs[i] = await BenchKernel.CreateAsync(system, workload, size);
        // Warm-up, not counted: the first half second or so runs unoptimised (tier-0) code, which would count against
        // whichever phase came first.
        await MeasureAsync(rigs, Min(duration, WarmUp));

        // Two rounds of (one kernel, all kernels), half the duration each, so that a burst of other work on the
        // machine falls on both sides of the ratio rather than on one.
        var half = duration / Rounds;
        var one = new Phase(1);
        var all = new Phase(kernels);
        for (int round = 0; round < Rounds; round++)
        {
            one.Add(await MeasureAsync(rigs[..1], half));
            all.Add(await MeasureAsync(rigs, half));
        }
        return new ParallelKernelsResult(kernels, workload, size, dispatcher,
            new BenchResult(BenchEngine.Actors, workload, size, one.Sends.Sum(), one.Seconds),
            new BenchResult(BenchEngine.Actors, workload, size, all.Sends.Sum(), all.Seconds), all.Sends)
        {
            OneKernelCoresBusy = one.CpuSeconds / one.Seconds,
            AllKernelsCoresBusy = all.CpuSeconds / all.Seconds,
        };
    }

    private const int Rounds = 2;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(1);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>Sends per kernel, wall-clock and process CPU seconds, summed over the rounds of one phase.</summary>
    private sealed class Phase(int kernels)
    {
        public long[] Sends { get; } = new long[kernels];
        public double Seconds { get; private set; }
        public double CpuSeconds { get; private set; }

        public void Add((long[] Sends, double Seconds, double CpuSeconds) m)
        {
            for (int i = 0; i < Sends.Length; i++) Sends[i] += m.Sends[i];
            Seconds += m.Seconds;
            CpuSeconds += m.CpuSeconds;
        }
    }

    /// <summary>Drives every rig from its own task until the shared deadline; the time is until the last one has
    /// finished its batch, so a slow kernel's overrun counts against the aggregate.</summary>
    private static async Task<(long[] Sends, double Seconds, double CpuSeconds)> MeasureAsync(BenchKernel[] rigs, TimeSpan duration)
    {
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        long[] sends = await Task.WhenAll(rigs.Select(r => Task.Run(() => r.DriveAsync(0, duration, clock))));
        double seconds = clock.Elapsed.TotalSeconds;
        return (sends, seconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds);
    }
}
