using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;

/// <summary>The ceiling of the actor runtime's redirect path: a bare Akka round trip between two actors on the kernel
/// dispatcher, with no model work.</summary>
internal static class PingPong
{
    private sealed record Ping(long N);
    private sealed record Pong(long N);

    private sealed class Ponger : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            if (message is Ping p) Sender.Tell(new Pong(p.N));
        }
    }

    private sealed class Pinger(IActorRef ponger, long count, TaskCompletionSource done) : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            switch (message)
            {
                case "go": ponger.Tell(new Ping(0)); break;
                case Pong p when p.N + 1 < count: ponger.Tell(new Ping(p.N + 1)); break;
                case Pong: done.SetResult(); break;
            }
        }
    }

    /// <summary>Both actors are children of /user/k, so that with kernel-strand (keyed below /user here) they share one
    /// strand, as one kernel's actors do.</summary>
    private sealed class Pair : UntypedActor
    {
        private readonly IActorRef _pinger;

        public Pair(string dispatcher, long count, TaskCompletionSource done)
        {
            var ponger = Context.ActorOf(Props.Create(() => new Ponger()).WithDispatcher(dispatcher), "ponger");
            _pinger = Context.ActorOf(Props.Create(() => new Pinger(ponger, count, done)).WithDispatcher(dispatcher), "pinger");
        }

        protected override void OnReceive(object message) => _pinger.Forward(message);
    }

    /// <param name="dispatcher">calling-thread (deterministic mode), kernel-thread or kernel-strand.</param>
    public static void Run(string dispatcher, long count)
    {
        var cfg = ConfigurationFactory.ParseString($"""
                akka.loglevel = OFF
                sockactors.deterministic = {(dispatcher == "calling-thread" ? "on" : "off")}
                sockactors.kernel-dispatcher = "sockactors.dispatchers.{(dispatcher == "calling-thread" ? "kernel-strand" : dispatcher)}"
                sockactors.dispatchers.kernel-strand.strand-key-parent = "/user"
                """)
            .WithFallback(SockActors.Actors.SockActorsExtension.DefaultConfig());
        using var sys = ActorSystem.Create("pp", cfg);
        var id = SockActors.Actors.SockActorsExtension.Get(sys).Settings.KernelDispatcher;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pair = sys.ActorOf(Props.Create(() => new Pair(id, count, done)).WithDispatcher(id), "k");
        Thread.Sleep(200);
        var sw = Stopwatch.StartNew();
        pair.Tell("go");
        done.Task.Wait();
        Console.WriteLine($"bare Akka round trips ({dispatcher}): {count / sw.Elapsed.TotalSeconds:N0}/s");
        sys.Terminate().Wait();
    }
}
