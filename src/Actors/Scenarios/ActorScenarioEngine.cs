using Akka.Actor;
using Akka.Configuration;
using SockActors.Actors.Client;
using SockActors.Actors.Protocol;
using SockActors.Model.Kernel;
using SockActors.Model.Maps;
using SockActors.Model.Net;
using SockActors.Model.Scenarios;

namespace SockActors.Actors.Scenarios;

/// <summary>
/// Runs conformance scenarios through the actor runtime: the contract's topology (ScenarioTopology.Build) on a fresh
/// kernel whose sockets, map and program get actors; each send of c1 is a socket call of c1's actor (redirects travel
/// to p2's actor and back, waits park in the socket actor); the receivers are drained by their actors; virtual time
/// moves by kernel messages. When a send has not returned once the kernel is quiet, time advances to the next
/// SO_SNDTIMEO deadline, which is what the sequential engine does in place. Needs deterministic mode (the
/// calling-thread dispatcher); without a system of its own it makes one.
/// </summary>
public sealed class ActorScenarioEngine : IDisposable
{
    private readonly ActorSystem _system;
    private readonly bool _ownsSystem;
    private readonly IActorRef _manager;

    /// <summary>The configuration of the engine's own actor system: deterministic mode, quiet logging.</summary>
    public static Config DefaultConfig { get; } = ConfigurationFactory.ParseString("""
        sockactors.deterministic = on
        akka.loglevel = WARNING
        akka.stdout-loglevel = WARNING
        akka.log-dead-letters = off
        """);

    public ActorScenarioEngine(ActorSystem? system = null)
    {
        _ownsSystem = system is null;
        _system = system ?? ActorSystem.Create("sockactors-scenarios", DefaultConfig);
        var ext = SockActorsExtension.Get(_system);
        if (!ext.Settings.Deterministic)
            throw new InvalidOperationException("ActorScenarioEngine needs sockactors.deterministic = on (the calling-thread dispatcher)");
        _manager = ext.Manager;
        // A top-level system actor starts asynchronously; once it has, every later message runs on the calling thread.
        if (_manager.Ask<ActorIdentity>(new Identify(null), TimeSpan.FromSeconds(10)).Result.Subject is null)
            throw new InvalidOperationException("the SockActors kernel manager did not start");
    }

    public ActorSystem System => _system;

    /// <summary>Runs <paramref name="scenario"/> and returns the contract's result, as ScenarioRunner.Run does on the
    /// sequential engine.</summary>
    public ScenarioResult Run(Scenario scenario, IScenarioProgramFactory? program = null, KernelProfile? profile = null)
    {
        var kernelModel = new SimKernel(profile);
        var kernel = Call<KernelCreated>(_manager, new CreateLocalKernel(kernelModel, 0)).Kernel;
        ScenarioTopology? topo = null;
        bool faulted = true;
        try
        {
            topo = (ScenarioTopology)Call<object>(kernel, new InvokeOnKernel(k => ScenarioTopology.Build(scenario, program ?? ScenarioProgramFactory.Instance, k)));
            var t = topo;
            Call<Adopted>(kernel, new AdoptObjects([t.C1, t.P1, t.C2, t.P2], [(SockMapBase)t.Program.SockMap], [t.Program.Program]));

            var sends = new List<SendOutcome>(t.SendCount);
            for (int i = 0; i < t.SendCount; i++)
            {
                int index = i;
                var r = CallBlocking<InvokeResult>(kernel, new InvokeOnSocket(t.C1.Id, $"send[{i}]", _ => AsLong(t.SendAsync(index))));
                if (r.Runaway is not null)
                {
                    faulted = false;
                    return ScenarioResult.RunawayResult(r.Runaway);
                }
                sends.Add(new SendOutcome(scenario.Sends[i], (int)r.Rc));
            }
            var result = Collect(kernel, t, sends);
            faulted = false;
            return result;
        }
        finally
        {
            // After a simulator fault the kernel has stopped (supervision); there is nothing left to close.
            if (topo is not null && !faulted)
                foreach (var s in new[] { topo.C1, topo.P1, topo.C2, topo.P2 })
                    Call<SocketClosed>(kernel, new Close(s.Id));
            kernel.Tell(PoisonPill.Instance);
        }
    }

    private static async ValueTask<long> AsLong(ValueTask<int> v) => await v;

    /// <summary>ScenarioTopology.Collect through the actors: the trace, then each receiver drained in turn, 200 ms of
    /// virtual time after each.</summary>
    private ScenarioResult Collect(IActorRef kernel, ScenarioTopology t, IReadOnlyList<SendOutcome> sends)
    {
        var (runs, total) = ((IReadOnlyList<ProgramRun>, long))Call<object>(kernel, new InvokeOnKernel(_ => t.Program.ReadTrace()));
        var p1 = Drain(kernel, t.P1);
        Call<ClockAdvanced>(kernel, new AdvanceClock(ScenarioTopology.QuietNs));
        var c2 = Drain(kernel, t.C2);
        Call<ClockAdvanced>(kernel, new AdvanceClock(ScenarioTopology.QuietNs));
        var p2 = Drain(kernel, t.P2);
        Call<ClockAdvanced>(kernel, new AdvanceClock(ScenarioTopology.QuietNs));
        return new ScenarioResult
        {
            Sends = sends,
            P1 = p1,
            C2 = c2,
            P2 = p2,
            Runs = runs.Take(ScenarioResult.MaxRecordedRuns).ToList(),
            RunsTotal = total,
        };
    }

    private ReceiverResult Drain(IActorRef kernel, Sock sk)
    {
        var d = Call<Drained>(kernel, new Drain(sk.Id, 0));
        return new ReceiverResult(d.Bytes, d.Fnv);
    }

    /// <summary>A request whose reply must be there when the Tell returns (the calling-thread dispatcher ran it).</summary>
    private T Call<T>(IActorRef target, object message)
    {
        var sink = new ReplySink(_system);
        target.Tell(message, sink);
        return Result<T>(sink, message);
    }

    /// <summary>A socket call that may wait: while it has no reply, virtual time moves to the next deadline.</summary>
    private T CallBlocking<T>(IActorRef kernel, object message)
    {
        var sink = new ReplySink(_system);
        kernel.Tell(message, sink);
        while (sink.Reply is null)
        {
            var adv = Call<ClockAdvanced>(kernel, AdvanceToNextDeadline.Instance);
            if (!adv.Fired && sink.Reply is null)
                throw new SimulationDeadlockException($"{message}: the send waits for buffer space that nothing in the scenario frees and has no SO_SNDTIMEO");
        }
        return Result<T>(sink, message);
    }

    private static T Result<T>(ReplySink sink, object message) => sink.Reply switch
    {
        T t => t,
        Status.Failure f => throw new InvalidOperationException($"{message} failed: {f.Cause.Message}", f.Cause),
        RequestFailed f => throw new InvalidOperationException(f.Reason),
        null => throw new InvalidOperationException($"{message} got no reply on the calling thread: is the engine's system deterministic?"),
        var other => throw new InvalidOperationException($"expected {typeof(T).Name} for {message}, got {other.GetType().Name}"),
    };

    public void Dispose()
    {
        if (_ownsSystem) _system.Terminate().Wait(TimeSpan.FromSeconds(10));
    }
}
