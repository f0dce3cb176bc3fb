using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using SockActors.Actors.Client;
using SockActors.Model.Net;
using SockActors.Model.Scenarios;

namespace SockActors.Actors.Bench;

/// <summary>What a benchmark run moves: SK_PASS to the peer, an egress redirect to another connection, or an ingress
/// redirect into another socket's ingress_msg.</summary>
public enum BenchWorkload
{
    /// <summary>The program returns SK_PASS: the bytes go to the connection's peer.</summary>
    Pass,
    /// <summary>The program redirects (bpf_msg_redirect_map, egress) onto a second connection, whose peer receives.</summary>
    Redirect,
    /// <summary>The program redirects with BPF_F_INGRESS: the bytes land in the target socket's ingress_msg.</summary>
    Ingress,
}

/// <summary>Which engine moved the bytes.</summary>
public enum BenchEngine
{
    /// <summary>The sequential model: one call stack, no actors.</summary>
    Model,

    /// <summary>The actor runtime on its kernel thread (the default configuration): the caller's thread only asks.</summary>
    Actors,

    /// <summary>The actor runtime in deterministic mode (calling-thread dispatcher).</summary>
    ActorsDeterministic,
}

/// <summary>One measurement.</summary>
/// <param name="Engine">Which engine moved the bytes.</param>
/// <param name="Workload">What the program did with them.</param>
/// <param name="Size">Bytes per sendmsg.</param>
/// <param name="Count">Send calls completed.</param>
/// <param name="Seconds">Wall-clock time of the sends, in seconds.</param>
public sealed record BenchResult(BenchEngine Engine, BenchWorkload Workload, int Size, long Count, double Seconds)
{
    /// <summary>Bytes the process allocated per send during the run (all threads).</summary>
    public double AllocatedPerSend { get; init; }

    /// <summary>Send calls completed per wall-clock second.</summary>
    public double SendsPerSecond => Count / Seconds;
    /// <summary>Payload bytes sent per wall-clock second, in millions (10^6 bytes).</summary>
    public double MegabytesPerSecond => Count * (double)Size / Seconds / 1e6;

    /// <summary>One aligned line: engine, workload, size, count, time, rates and allocation.</summary>
    public override string ToString() =>
        $"{Engine,-20} {Workload,-8} {Size,6} B  {Count,10} sends  {Seconds,7:F3} s  {SendsPerSecond,12:N0} sends/s  {MegabytesPerSecond,9:N1} MB/s  {AllocatedPerSend,7:N0} B alloc/send";
}

/// <summary>
/// Throughput of sendmsg through the SK_MSG path: c1 (in a sockmap with a program) sends <c>size</c>-byte messages;
/// the program passes them to p1, redirects them to p2's egress (read at c2) or to p2's ingress (read at p2). Real bytes
/// move: each send copies the user's bytes once into page frags (as the kernel does), the reader copies them out once.
/// Through the actors, sends travel in batches (<see cref="SendMsgBatchSize"/> calls per SendMsgBatch message) but
/// every call runs the full model path, including one RedirectRequest/RedirectReply round trip between the socket
/// actors per redirected send; the reader drains after each batch.
/// </summary>
public static class ActorBench
{
    /// <summary>sendmsg calls per SendMsgBatch message (64 KiB sends: as many as 2 MiB of buffers hold).</summary>
    public static int SendMsgBatchSize(int size) => Math.Max(1, Math.Min(4096, (2 << 20) / Math.Max(1, size)));

    /// <summary>Runs <paramref name="count"/> sends, or as many as fit in <paramref name="duration"/>; the actor engines
    /// with <paramref name="config"/> (HOCON, e.g. <c>sockactors.verdict = in-place</c>) over the library's defaults.</summary>
    public static BenchResult Run(BenchWorkload workload, int size, long count = 0, TimeSpan? duration = null, BenchEngine engine = BenchEngine.Actors,
        string? config = null)
    {
        if (count <= 0 && duration is null) count = 1_000_000;
        return engine == BenchEngine.Model ? RunModel(workload, size, count, duration) : RunActors(workload, size, count, duration, engine, config);
    }

    /// <summary>memcpy of <paramref name="size"/>-byte blocks between two 2 MiB buffers, in MB/s: the speed the kernel's
    /// copy (and the simulation's) cannot beat.</summary>
    public static double MemoryCopyMegabytesPerSecond(int size, TimeSpan duration)
    {
        var src = new byte[2 << 20];
        var dst = new byte[2 << 20];
        long bytes = 0;
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < duration)
        {
            for (int off = 0; off + size <= src.Length; off += size)
                src.AsSpan(off, size).CopyTo(dst.AsSpan(off, size));
            bytes += src.Length / size * size;
        }
        return bytes / sw.Elapsed.TotalSeconds / 1e6;
    }

    /// <summary>Model and both actor modes, one after the other, in this process.</summary>
    public static IReadOnlyList<BenchResult> RunAll(BenchWorkload workload, int size, long count = 0, TimeSpan? duration = null) =>
        [Run(workload, size, count, duration, BenchEngine.Model), Run(workload, size, count, duration, BenchEngine.Actors), Run(workload, size, count, duration, BenchEngine.ActorsDeterministic)];

    internal static ProgramSpec Spec(BenchWorkload w) => w switch
    {
        BenchWorkload.Pass => new ProgramSpec(),
        BenchWorkload.Redirect => new ProgramSpec { Action = ScenarioAction.Redirect, RedirectKey = 1 },
        _ => new ProgramSpec { Action = ScenarioAction.Redirect, RedirectKey = 1, Ingress = true },
    };

    private static BenchResult RunModel(BenchWorkload workload, int size, long count, TimeSpan? duration)
    {
        var kernel = new SimKernel();
        var (c1, p1) = kernel.ConnectPair("c1", "p1");
        var (c2, p2) = kernel.ConnectPair("c2", "p2");
        var prog = new ScenarioProgram();
        prog.Configure(Spec(workload));
        prog.Map.Attach(Model.Maps.SockAttachType.SkMsgVerdict, prog);
        prog.Map.Update(0, c1);
        prog.Map.Update(1, p2);
        var reader = workload switch { BenchWorkload.Pass => p1, BenchWorkload.Redirect => c2, _ => p2 };
        var data = new byte[size];
        StreamPattern.Fill(data, 0);
        var buf = new byte[65536];
        int batch = SendMsgBatchSize(size);
        long done = 0;
        long alloc0 = GC.GetTotalAllocatedBytes();
        var sw = Stopwatch.StartNew();
        while (count > 0 ? done < count : sw.Elapsed < duration!.Value)
        {
            int n = (int)(count > 0 ? Math.Min(batch, count - done) : batch);
            for (int i = 0; i < n; i++)
            {
                var v = c1.SendMsgAsync(data);
                int rc = v.IsCompletedSuccessfully ? v.Result : v.AsTask().GetAwaiter().GetResult();
                if (rc != size) throw new InvalidOperationException($"model send returned {rc}");
            }
            done += n;
            while (reader.Recv(buf) > 0) { }
        }
        return new BenchResult(BenchEngine.Model, workload, size, done, sw.Elapsed.TotalSeconds) { AllocatedPerSend = (GC.GetTotalAllocatedBytes() - alloc0) / (double)done };
    }

    private static BenchResult RunActors(BenchWorkload workload, int size, long count, TimeSpan? duration, BenchEngine engine, string? config)
    {
        using var system = CreateSystem((engine == BenchEngine.ActorsDeterministic ? "sockactors.deterministic = on\n" : "") + config);
        try
        {
            return RunActorsAsync(system, workload, size, count, duration, engine).GetAwaiter().GetResult();
        }
        finally
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>An actor system for a bench run: warnings only, <paramref name="extra"/>, the library's defaults.</summary>
    internal static ActorSystem CreateSystem(string extra) =>
        ActorSystem.Create("sockactors-bench", ConfigurationFactory.ParseString(extra + "\nakka.loglevel = WARNING").WithFallback(SockActorsExtension.DefaultConfig()));

    private static async Task<BenchResult> RunActorsAsync(ActorSystem system, BenchWorkload workload, int size, long count, TimeSpan? duration, BenchEngine engine)
    {
        var rig = await BenchKernel.CreateAsync(system, workload, size);
        await rig.WarmUpAsync();
        long alloc0 = GC.GetTotalAllocatedBytes();
        var sw = Stopwatch.StartNew();
        long done = await rig.DriveAsync(count, duration ?? TimeSpan.MaxValue, sw);
        return new BenchResult(engine, workload, size, done, sw.Elapsed.TotalSeconds) { AllocatedPerSend = (GC.GetTotalAllocatedBytes() - alloc0) / (double)done };
    }
}
