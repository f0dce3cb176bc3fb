using System.Diagnostics;
using SockActors.Kernel.Bpf;
using SockActors.Kernel.Native;
using SockActors.Model.Scenarios;

namespace SockActors.Kernel.Bench;

/// <summary>
/// Throughput of the bench workloads through the real kernel: c1 sends fixed-size messages with blocking sendmsg for a
/// short time while a reader thread drains the receiver. Runs in this process: its programs use no apply or push, so
/// they cannot make the kernel allocate without end.
/// </summary>
public static unsafe class KernelBench
{
    public static readonly int[] DefaultSizes = [64, 65536];

    /// <summary>Every workload at 64 and 65536 bytes, <paramref name="durationEach"/> (default 1.5 s) each.</summary>
    public static IReadOnlyList<BenchResult> RunAll(TimeSpan? durationEach = null, string? objectPath = null)
    {
        var results = new List<BenchResult>();
        foreach (var w in Enum.GetValues<BenchWorkload>())
            foreach (var size in DefaultSizes)
                results.Add(Run(w, size, durationEach ?? TimeSpan.FromSeconds(1.5), objectPath));
        return results;
    }

    public static BenchResult Run(BenchWorkload workload, int messageSize, TimeSpan duration, string? objectPath = null)
    {
        if (messageSize < 1) throw new ArgumentOutOfRangeException(nameof(messageSize), "a message has at least 1 byte");
        var (available, reason) = KernelSupport.Probe(objectPath);
        if (!available) throw new KernelUnavailableException(reason);
        string obj = objectPath ?? ScenarioObjectCompiler.EnsureCompiled();
        using var topology = LoopbackTopology.Create(TimeSpan.FromSeconds(1));
        using var bpf = ScenarioBpfObject.Load(obj);
        bpf.WriteConfig(workload switch
        {
            BenchWorkload.Pass => new ProgramSpec(),
            BenchWorkload.RedirectEgress => new ProgramSpec { Action = ScenarioAction.Redirect, RedirectKey = 1 },
            _ => new ProgramSpec { Action = ScenarioAction.Redirect, RedirectKey = 1, Ingress = true },
        });
        bpf.AttachToSockMap();
        bpf.InsertSocket(ScenarioExecution.SenderKey, topology.C1);
        bpf.InsertSocket(ScenarioExecution.TargetKey, topology.P2);
        int receiver = workload switch
        {
            BenchWorkload.Pass => topology.P1,
            BenchWorkload.RedirectEgress => topology.C2,
            _ => topology.P2,
        };
        var drain = new Drainer(receiver);
        var thread = new Thread(drain.Run) { IsBackground = true, Name = "kernel-bench-reader" };
        thread.Start();
        var data = new byte[messageSize];
        StreamPattern.Fill(data, 0);
        long sends = 0, bytes = 0;
        int failed = 0;
        var clock = Stopwatch.StartNew();
        fixed (byte* d = data)
        {
            var iov = new Libc.IoVec { Base = d, Len = (nuint)messageSize };
            var hdr = new Libc.MsgHdr { Iov = &iov, IovLen = 1 };
            while (clock.Elapsed < duration)
            {
                nint r = Libc.SendMsg(topology.C1, &hdr, Libc.MsgNoSignal);
                if (r > 0)
                {
                    sends++;
                    bytes += r;
                }
                else if (++failed > 100)
                {
                    break; // the path is broken (e.g. a sticky drop); report what was measured
                }
            }
        }
        double seconds = clock.Elapsed.TotalSeconds;
        drain.Stop();
        thread.Join(TimeSpan.FromSeconds(2));
        return new BenchResult(workload, messageSize, sends, bytes, Interlocked.Read(ref drain.Received), seconds, failed);
    }

    /// <summary>Reads the receiver until told to stop (poll with a short timeout so the stop flag is seen).</summary>
    private sealed class Drainer(int fd)
    {
        public long Received;
        private volatile bool _stop;

        public void Stop() => _stop = true;

        public void Run()
        {
            var buf = new byte[1 << 18];
            var pfd = new Libc.PollFd { Fd = fd, Events = Libc.PollIn };
            while (!_stop)
            {
                int ready = Libc.Poll(&pfd, 1, 20);
                if (ready <= 0) continue;
                nint r;
                fixed (byte* b = buf) r = Libc.Recv(fd, b, (nuint)buf.Length, Libc.MsgDontWait);
                if (r > 0) Interlocked.Add(ref Received, r);
                else if (r == 0) return;
            }
        }
    }
}
