using System.Diagnostics;
using Akka.Actor;
using SockActors.Actors.Client;
using SockActors.Actors.Protocol;
using SockActors.Model.Scenarios;

namespace SockActors.Actors.Bench;

/// <summary>
/// One simulated kernel set up for a bench workload (c1 -&gt; p1 pass, or c1 redirected to p2's egress or ingress,
/// through a sockmap with the C# scenario program), and the loop that drives it: a <see cref="SendMsgBatch"/> to c1,
/// then a <see cref="Drain"/> of the reader, until a count or a deadline. Several of these run side by side in
/// <see cref="ParallelKernelsBench"/>.
/// </summary>
internal sealed class BenchKernel
{
    private readonly ActorSystem _system;
    private readonly SocketHandle _sender;
    private readonly SocketHandle _reader;
    private readonly int _size;
    private readonly int _batch;

    private BenchKernel(ActorSystem system, SocketHandle sender, SocketHandle reader, int size)
    {
        _system = system;
        _sender = sender;
        _reader = reader;
        _size = size;
        _batch = ActorBench.SendMsgBatchSize(size);
    }

    public static async Task<BenchKernel> CreateAsync(ActorSystem system, BenchWorkload workload, int size)
    {
        var host = await SimulatedHost.CreateAsync(system);
        var (c1, p1) = await host.ConnectPairAsync("c1", "p1");
        var (c2, p2) = await host.ConnectPairAsync("c2", "p2");
        // The scenario program by reference (registered on every node), configured through its program actor.
        var (ph, maps) = await host.LoadProgramAsync(new ProgramReference(Model.Programs.ProgramSource.ScenarioProgramName));
        var map = maps["sock_map"];
        Check(await host.ConfigureScenarioProgramAsync(ph, ActorBench.Spec(workload)));
        Check(await host.AttachAsync(map, ph));
        Check(await host.MapUpdateAsync(map, 0, c1));
        Check(await host.MapUpdateAsync(map, 1, p2));
        var reader = workload switch { BenchWorkload.Pass => p1, BenchWorkload.Redirect => c2, _ => p2 };
        return new BenchKernel(system, c1, reader, size);
    }

    /// <summary>One batch and a drain, not counted: JIT and page pools.</summary>
    public async Task WarmUpAsync() => await DriveAsync(_batch, TimeSpan.MaxValue, Stopwatch.StartNew());

    /// <summary>Sends batches until <paramref name="count"/> sends (0: no limit) or until <paramref name="clock"/>
    /// passes <paramref name="until"/>; the reader drains after each batch. Returns the sends made.</summary>
    public async Task<long> DriveAsync(long count, TimeSpan until, Stopwatch clock)
    {
        long done = 0;
        while (count > 0 ? done < count : clock.Elapsed < until)
        {
            int n = (int)(count > 0 ? Math.Min(_batch, count - done) : _batch);
            var r = await SimulatedHost.AskAsync<SendBatchResult>(_system, _sender.Actor, new SendMsgBatch(_sender.Id, n, _size, 0));
            if (r.Calls != n || r.LastRc != _size) throw new InvalidOperationException($"batch ended early: {r}");
            done += n;
            await SimulatedHost.AskAsync<Drained>(_system, _reader.Actor, new Drain(_reader.Id, 0, NoChecksum: true));
        }
        return done;
    }

    private static void Check(long rc)
    {
        if (rc != 0) throw new InvalidOperationException($"bench setup failed: {rc}");
    }
}
