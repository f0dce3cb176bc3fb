using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Akka.TestKit.Xunit2;
using SockActors.Actors.Client;
using SockActors.Actors.Dispatch;
using SockActors.Model.Maps;
using SockActors.Model.Programs;
using SockActors.Model.Scenarios;

namespace SockActors.Actors.Tests;

/// <summary>The default kernel dispatcher, kernel-strand: one serial strand per kernel on the thread pool. Different
/// kernels run at the same time on different threads; the actors of one kernel never do.</summary>
public sealed class KernelStrandTests() : TestKit(Config())
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static Config Config(string extra = "") => ConfigurationFactory.ParseString(extra + """

        akka.actor.serialize-messages = on
        akka.loglevel = WARNING
        akka.log-dead-letters = off
        """).WithFallback(SockActorsExtension.DefaultConfig());

    /// <summary>An SK_PASS program whose first run waits (bounded) at a barrier shared with other kernels' programs:
    /// it runs inside its socket actor's turn, so the barrier is reached only if two kernels' turns overlap.</summary>
    private sealed class BarrierProgram(Barrier barrier, TimeSpan wait) : ISkMsgProgram
    {
        private int _runs;
        public string Name => "barrier (test)";
        public bool? Met { get; private set; }
        public int Thread { get; private set; }

        public int Run(ISkMsgContext ctx)
        {
            if (_runs++ == 0)
            {
                Thread = Environment.CurrentManagedThreadId;
                Met = barrier.SignalAndWait(wait);
            }
            return 1; // SK_PASS
        }
    }

    /// <summary>A kernel with c1 -> p1 through a sockmap carrying <paramref name="program"/>.</summary>
    private static async Task<(SimulatedHost Host, SocketHandle C1, SocketHandle P1)> KernelWithProgramAsync(ActorSystem sys, ISkMsgProgram program)
    {
        var host = await SimulatedHost.CreateAsync(sys);
        var (c1, p1) = await host.ConnectPairAsync("c1", "p1");
        var (ph, maps) = await host.LoadProgramAsync(program, new SockMap("sock_map", 4));
        Assert.Equal(0, await host.AttachAsync(maps[0], ph));
        Assert.Equal(0, await host.MapUpdateAsync(maps[0], 0, c1));
        return (host, c1, p1);
    }

    /// <summary>Sends one 64-byte message on c1 of each kernel at once and returns the two programs after both sends
    /// completed.</summary>
    private static async Task<BarrierProgram[]> SendOnTwoKernelsAtOnceAsync(ActorSystem sys, TimeSpan barrierWait)
    {
        var barrier = new Barrier(2);
        var progs = new[] { new BarrierProgram(barrier, barrierWait), new BarrierProgram(barrier, barrierWait) };
        var a = await KernelWithProgramAsync(sys, progs[0]);
        var b = await KernelWithProgramAsync(sys, progs[1]);
        var sends = new[] { a.Host.SendMsgAsync(a.C1, new byte[64]), b.Host.SendMsgAsync(b.C1, new byte[64]) };
        int[] rcs = await Task.WhenAll(sends).WaitAsync(Timeout);
        Assert.Equal(new[] { 64, 64 }, rcs);
        return progs;
    }

    [Fact]
    public async Task Two_kernels_run_their_actors_on_different_threads_at_the_same_time()
    {
        Assert.Equal("sockactors.dispatchers.kernel-strand", SockActorsExtension.Get(Sys).Settings.KernelDispatcher);
        var progs = await SendOnTwoKernelsAtOnceAsync(Sys, TimeSpan.FromSeconds(20));
        Assert.All(progs, p => Assert.True(p.Met, "a kernel's program run waited at the barrier and the other kernel never arrived"));
        Assert.NotEqual(progs[0].Thread, progs[1].Thread);
        Assert.Equal(2, Strands(Sys).StrandCount);
    }

    private static KernelStrandDispatcher Strands(ActorSystem sys) =>
        (KernelStrandDispatcher)sys.Dispatchers.Lookup("sockactors.dispatchers.kernel-strand");

    [Fact]
    public async Task The_kernel_thread_alternative_runs_all_kernels_one_after_the_other_on_one_thread()
    {
        var sys = ActorSystem.Create("kernel-thread", Config("sockactors.kernel-dispatcher = \"sockactors.dispatchers.kernel-thread\""));
        try
        {
            var progs = await SendOnTwoKernelsAtOnceAsync(sys, TimeSpan.FromMilliseconds(300));
            Assert.All(progs, p => Assert.False(p.Met, "two kernels' turns overlapped on the one-thread dispatcher"));
            Assert.Equal(progs[0].Thread, progs[1].Thread);
        }
        finally
        {
            await sys.Terminate();
        }
    }

    /// <summary>Collects the Error events of the actor system (the turn guard's exception would be one) and completes
    /// <paramref name="first"/> on the first.</summary>
    private sealed class ErrorCollector : ReceiveActor
    {
        public ErrorCollector(ConcurrentQueue<string> errors, TaskCompletionSource<string> first) => Receive<Error>(e =>
        {
            errors.Enqueue(e.ToString());
            first.TrySetResult(e.ToString());
        });
    }

    /// <summary>Waits for <paramref name="work"/>, failing at once when an error is logged (a stopped kernel would
    /// otherwise leave the test waiting for its timeout).</summary>
    private static async Task CompleteWithoutErrorAsync(Task work, Task<string> firstError)
    {
        var done = await Task.WhenAny(work, firstError).WaitAsync(Timeout);
        if (done == firstError) Assert.Fail("an error was logged while the kernel ran: " + firstError.Result);
        await work;
    }

    [Fact]
    public async Task One_kernel_hammered_from_several_threads_never_runs_two_of_its_actors_at_once_and_loses_nothing()
    {
        var errors = new ConcurrentQueue<string>();
        var firstError = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var collector = Sys.ActorOf(Props.Create(() => new ErrorCollector(errors, firstError)));
        Sys.EventStream.Subscribe(collector, typeof(Error));

        // Three senders redirect into p4's egress (read at c4): four socket actors, the map and the kernel all touch
        // the same model objects, from calls made on four threads at once.
        var host = await SimulatedHost.CreateAsync(Sys);
        var senders = new List<SocketHandle>();
        for (int i = 1; i <= 3; i++) senders.Add((await host.ConnectPairAsync($"c{i}", $"p{i}")).Client);
        var (c4, p4) = await host.ConnectPairAsync("c4", "p4");
        var prog = new ScenarioProgram();
        prog.Configure(new ProgramSpec { Action = ScenarioAction.Redirect, RedirectKey = 1 });
        var (ph, maps) = await host.LoadProgramAsync(prog, prog.Map);
        Assert.Equal(0, await host.AttachAsync(maps[0], ph));
        Assert.Equal(0, await host.MapUpdateAsync(maps[0], 1, p4));
        uint[] senderKeys = [0, 2, 3]; // the map has four slots; key 1 is the target
        for (int i = 0; i < senders.Count; i++) Assert.Equal(0, await host.MapUpdateAsync(maps[0], senderKeys[i], senders[i]));

        const int perSender = 1500, size = 64;
        var sending = senders.Select((s, i) => Task.Run(async () =>
        {
            for (int seq = 0; seq < perSender; seq++)
            {
                var msg = new byte[size];
                msg[0] = (byte)(i + 1);
                BitConverter.TryWriteBytes(msg.AsSpan(1), seq);
                Assert.Equal(size, await host.SendMsgAsync(s, msg));
            }
        })).ToArray();
        using var stop = new CancellationTokenSource();
        var polling = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await host.StatsAsync();
                await host.SockStatsAsync(p4);
            }
        });
        var received = new List<byte>();
        var reading = Task.Run(async () =>
        {
            while (received.Count < senders.Count * perSender * size)
            {
                var r = await host.RecvAsync(c4, 64 * size); // a multiple of the message size: reads end on message boundaries
                if (r.Rc > 0) received.AddRange(r.Data.AsSpan(0, r.Rc).ToArray());
                else await Task.Yield();
            }
        });
        await CompleteWithoutErrorAsync(Task.WhenAll(sending.Append(reading)), firstError.Task);
        stop.Cancel();
        await polling.WaitAsync(Timeout);

        // Exact: every message arrived once, each sender's in the order it sent them.
        Assert.Equal(senders.Count * perSender * size, received.Count);
        var next = new int[senders.Count + 1];
        for (int off = 0; off < received.Count; off += size)
        {
            int tag = received[off];
            int seq = BitConverter.ToInt32(received.GetRange(off + 1, 4).ToArray());
            Assert.InRange(tag, 1, senders.Count);
            Assert.Equal(next[tag]++, seq);
        }
        Assert.All(next.Skip(1), n => Assert.Equal(perSender, n));
        Assert.Equal(8, (await host.StatsAsync().WaitAsync(Timeout)).Sockets); // the kernel still runs: no turn guard stopped it
        Assert.Empty(errors);
        Assert.Equal(1, Strands(Sys).StrandCount); // all six actors of the kernel on its one strand
    }

    [Fact]
    public async Task Two_hundred_kernels_run_on_the_pool_threads_and_a_stopped_kernel_drops_its_strand()
    {
        const int kernels = 200;
        var rigs = await Task.WhenAll(Enumerable.Range(0, kernels).Select(async _ =>
        {
            var host = await SimulatedHost.CreateAsync(Sys);
            var (c1, p1) = await host.ConnectPairAsync("c1", "p1");
            return (host, c1, p1);
        })).WaitAsync(Timeout);
        Assert.Equal(kernels, Strands(Sys).StrandCount);

        // Every kernel at once: 20 sends each, all bytes read back.
        var work = rigs.Select(r => Task.Run(async () =>
        {
            for (int i = 0; i < 20; i++) Assert.Equal(100, await r.host.SendMsgAsync(r.c1, new byte[100]));
            var drained = await r.host.DrainAsync(r.p1);
            Assert.Equal(2000, drained.Bytes);
        }));
        await Task.WhenAll(work).WaitAsync(Timeout);
        Assert.True(ThreadPool.ThreadCount < kernels / 2, $"{ThreadPool.ThreadCount} pool threads for {kernels} kernels");

        var probe = CreateTestProbe();
        probe.Watch(rigs[0].host.Kernel);
        Sys.Stop(rigs[0].host.Kernel);
        probe.ExpectTerminated(rigs[0].host.Kernel, Timeout);
        AwaitCondition(() => Strands(Sys).StrandCount == kernels - 1, Timeout);
    }
}

/// <summary>Which strand an actor runs on: the kernel-N element of its path (no actor system needed).</summary>
public sealed class KernelStrandKeyTests
{
    [Theory]
    [InlineData("/system/sockactors/kernel-3", "kernel-3")]
    [InlineData("/system/sockactors/kernel-3/sock-5", "kernel-3")]
    [InlineData("/system/sockactors/kernel-3/sock-5/verdict-1", "kernel-3")]
    [InlineData("/system/sockactors", null)]
    [InlineData("/user/sockactors/kernel-3", null)]
    [InlineData("/system/other/kernel-3", null)]
    public void An_actor_strand_is_the_kernel_element_of_its_path(string path, string? key)
    {
        var parsed = ActorPath.Parse("akka://sys" + path);
        Assert.Equal(key, KernelStrandDispatcher.StrandKey(parsed, KernelStrandDispatcher.ParseKeyParent("/system/sockactors")));
    }

    [Theory]
    [InlineData("/system/sharding/sockactors-host/7/host-17", "7/host-17")]
    [InlineData("/system/sharding/sockactors-host/7/host-17/sock-5/verdict-1", "7/host-17")]
    [InlineData("/system/sharding/sockactors-host/7", null)]
    [InlineData("/system/sockactors/kernel-3/sock-5", "kernel-3")]
    [InlineData("/system/sharding/other/7/host-17", null)]
    public void A_sharded_host_entity_is_a_strand_of_its_own_when_the_shards_are_a_key_parent(string path, string? key)
    {
        var parsed = ActorPath.Parse("akka://sys" + path);
        string[][] parents = [KernelStrandDispatcher.ParseKeyParent("/system/sockactors"), KernelStrandDispatcher.ParseKeyParent("/system/sharding/sockactors-host/*")];
        Assert.Equal(key, KernelStrandDispatcher.StrandKey(parsed, parents));
    }
}
