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

    public static void Run(bool deterministic, long count)
    {
        var cfg = ConfigurationFactory.ParseString($"akka.loglevel = OFF\nsockactors.deterministic = {(deterministic ? "on" : "off")}")
            .WithFallback(SockActors.Actors.SockActorsExtension.DefaultConfig());
        using var sys = ActorSystem.Create("pp", cfg);
        var dispatcher = SockActors.Actors.SockActorsExtension.Get(sys).Settings.KernelDispatcher;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ponger = sys.ActorOf(Props.Create(() => new Ponger()).WithDispatcher(dispatcher));
        var pinger = sys.ActorOf(Props.Create(() => new Pinger(ponger, count, done)).WithDispatcher(dispatcher));
        Thread.Sleep(200);
        var sw = Stopwatch.StartNew();
        pinger.Tell("go");
        done.Task.Wait();
        Console.WriteLine($"bare Akka round trips ({(deterministic ? "calling-thread" : "kernel-thread")}): {count / sw.Elapsed.TotalSeconds:N0}/s");
        sys.Terminate().Wait();
    }
}
