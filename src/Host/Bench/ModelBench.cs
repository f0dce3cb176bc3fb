using System.Diagnostics;
using SockActors.Kernel.Bench;
using SockActors.Model.Kernel;
using SockActors.Model.Net;
using SockActors.Model.Scenarios;

namespace SockActors.Host.Bench;

/// <summary>
/// The bench workloads on the simulation (SimKernel, the sequential engine), in the contract's topology with the C#
/// scenario program: c1 -&gt; p1 (pass), c1 redirected to p2's egress (received on c2), c1 redirected to p2's ingress
/// (received on p2). Each iteration sends one message from one reused buffer (the model copies every byte once into
/// its pages) and then drains the receiver, as the kernel bench's reader thread does.
/// </summary>
public static class ModelBench
{
    public static BenchResult Run(BenchWorkload workload, int messageSize, TimeSpan duration, KernelProfile? profile = null)
    {
        if (messageSize < 1) throw new ArgumentOutOfRangeException(nameof(messageSize), "a message has at least 1 byte");
        var spec = workload switch
        {
            BenchWorkload.Pass => new ProgramSpec(),
            BenchWorkload.RedirectEgress => new ProgramSpec { Action = ScenarioAction.Redirect, RedirectKey = 1 },
            _ => new ProgramSpec { Action = ScenarioAction.Redirect, RedirectKey = 1, Ingress = true },
        };
        // The topology only; the bench makes its own sends (the scenario's send list stays empty).
        var topo = ScenarioTopology.Build(new Scenario { Name = $"bench-{workload}", Program = spec, Sends = [] },
            ScenarioProgramFactory.Instance, new SimKernel(profile));
        try
        {
            Sock receiver = workload switch
            {
                BenchWorkload.Pass => topo.P1,
                BenchWorkload.RedirectEgress => topo.C2,
                _ => topo.P2,
            };
            var data = new byte[messageSize];
            StreamPattern.Fill(data, 0);
            var readBuf = new byte[1 << 18];
            long sends = 0, bytes = 0, received = 0;
            int failed = 0;
            // Warm-up (JIT), not counted.
            for (int i = 0; i < 200; i++)
            {
                Send(topo.C1, data);
                while (receiver.Recv(readBuf) > 0) { }
            }
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < duration)
            {
                for (int batch = 0; batch < 64; batch++)
                {
                    int r = Send(topo.C1, data);
                    if (r > 0)
                    {
                        sends++;
                        bytes += r;
                    }
                    else if (++failed > 100)
                    {
                        goto done;
                    }
                    int n;
                    while ((n = receiver.Recv(readBuf)) > 0) received += n;
                }
            }
            done:
            double seconds = clock.Elapsed.TotalSeconds;
            return new BenchResult(workload, messageSize, sends, bytes, received, seconds, failed);
        }
        finally
        {
            topo.Close();
        }
    }

    private static int Send(Sock c1, byte[] data)
    {
        var pending = c1.SendMsgAsync(data);
        if (!pending.IsCompleted) throw new InvalidOperationException("a model send did not complete synchronously: simulator bug");
        return pending.GetAwaiter().GetResult();
    }
}
