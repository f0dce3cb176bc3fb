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

    /// <summary>An engine on <paramref name="system"/>, which must run with sockactors.deterministic = on; null makes (and
    /// owns) a system of <see cref="DefaultConfig"/>. Throws <see cref="InvalidOperationException"/> when the system is not
    /// deterministic or the kernel manager does not start.</summary>
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

    /// <summary>The actor system the engine runs its kernels in.</summary>
    public ActorSystem System => _system;

    /// <summary>
    /// Gives a kernel whose objects were set up directly on the model (sockets, maps, programs) to actors, for a
    /// caller that drives it call by call (the test matrix of `sockactors run --engine actors`).
    /// </summary>
    public DeterministicKernel Adopt(SimKernel kernelModel, IReadOnlyList<Sock> sockets, IReadOnlyList<SockMapBase> maps, IReadOnlyList<Model.Programs.ISkMsgProgram> programs)
    {
        var kernel = Call<KernelCreated>(_manager, new CreateLocalKernel(kernelModel, 0)).Kernel;
        Call<Adopted>(kernel, new AdoptObjects(sockets, maps, programs));
        return new DeterministicKernel(_system, kernel);
    }

    /// <summary>
    /// Runs <paramref name="scenario"/> and returns the contract's result, as ScenarioRunner.Run does on the sequential
    /// engine, driving the runtime with the typed protocol alone: the kernel, sockets, map and program are made by
    /// messages (the program by reference: the scenario program registered on the node, or a BPF object's bytes), c1's
    /// sends are SendMsg / SendFile messages, the trace is read from the program's actor and the receivers are drained
    /// by theirs. Nothing on this path carries code or model objects, so it would run the same against another node.
    /// </summary>
    public ScenarioResult Run(Scenario scenario, IScenarioProgramFactory? program = null, KernelProfile? profile = null)
    {
        if (scenario.UsesReceiveHalf)
            throw new NotSupportedException(
                $"{scenario.Name}: scenarios with \"skb\" or \"sockops\" have no messages in the actor protocol yet; run them with --engine model");
        var factory = program ?? ScenarioProgramFactory.Instance;
        var source = factory.Source
                     ?? throw new InvalidOperationException($"{factory.Description} cannot be loaded by reference (no ProgramSource): the actor engine loads programs by message");
        var kernel = Call<KernelCreated>(_manager, new CreateKernel((profile ?? KernelProfile.Linux618).Name, 1, 0)).Kernel;
        var socks = new List<int>();
        bool faulted = true;
        try
        {
            // ScenarioTopology.Build, as messages, in the same order (so ids and ports are the same).
            var s1 = Call<SocketCreated>(kernel, new Listen("s1", 0));
            var c1p1 = Call<Connected>(kernel, new Connect(s1.SockId, "c1", "p1"));
            var s2 = Call<SocketCreated>(kernel, new Listen("s2", 0));
            var c2p2 = Call<Connected>(kernel, new Connect(s2.SockId, "c2", "p2"));
            int c1 = c1p1.ClientId, p1 = c1p1.ServerId, c2 = c2p2.ClientId, p2 = c2p2.ServerId;
            socks.AddRange([c1, p1, c2, p2]);
            var prog = Call<ProgramLoaded>(kernel, new LoadProgramReference(new ProgramReference(source.Name, source.ElfImage)));
            var sockMap = prog.Maps?.FirstOrDefault(m => m.Name == "sock_map" && m.MapId != 0)
                          ?? throw new InvalidOperationException($"{factory.Description} has no SOCKMAP or SOCKHASH named sock_map");
            Check(Call<MapResult>(kernel, new AttachProgram(sockMap.MapId, prog.ProgId)).Rc, "attach the program");
            Check(Call<ProgramResult>(kernel, new ConfigureScenarioProgram(prog.ProgId, scenario.Program.ToConfigWords())).Rc, "configure the program");
            Check(Call<MapResult>(kernel, new MapUpdate(sockMap.MapId, 0, c1, 0)).Rc, "insert c1 at key 0");
            Check(Call<MapResult>(kernel, new MapUpdate(sockMap.MapId, 1, p2, 0)).Rc, "insert p2 at key 1");
            Check(Call<SockOptSet>(kernel, new SetSockOpt(c1, SockOption.NoDelay, 1)).Rc, "set TCP_NODELAY");
            Check(Call<SockOptSet>(kernel, new SetSockOpt(c1, SockOption.SndTimeoNs, ScenarioRunner.SendTimeoutNs)).Rc, "set SO_SNDTIMEO");

            var sends = new List<SendOutcome>(scenario.Sends.Count);
            var stream = new ScenarioStream(scenario);
            foreach (int len in scenario.Sends)
            {
                var r = CallBlocking<SendResult>(kernel, stream.Next(c1, len));
                if (r.Runaway is not null)
                {
                    faulted = false;
                    return ScenarioResult.RunawayResult(r.Runaway);
                }
                sends.Add(new SendOutcome(len, (int)r.Rc));
                stream.Advance(len, (int)r.Rc);
            }
            var trace = Call<ScenarioTrace>(kernel, new ReadScenarioTrace(prog.ProgId));
            if (factory is Model.Bpf.BpfScenarioProgramFactory { OnFault: { } onFault })
                foreach (var f in trace.Faults ?? [])
                    onFault(new Model.Bpf.BpfFault(f.Program, f.InstructionIndex, f.Location, f.Message));
            var result = new ScenarioResult
            {
                Sends = sends,
                P1 = DrainQuiet(kernel, p1),
                C2 = DrainQuiet(kernel, c2),
                P2 = DrainQuiet(kernel, p2),
                Runs = trace.Runs.Take(ScenarioResult.MaxRecordedRuns)
                    .Select(r => new ProgramRun(r.Size, r.Len, r.Apply, r.Cork, r.Pull, r.Push, r.Pop, r.Verdict)).ToList(),
                RunsTotal = trace.Total,
            };
            // psock->cork at close, for the hanging-cork warning: what c1's actor still holds corked.
            long corked = Call<SockStats>(kernel, new GetSockStats(c1)).CorkedBytes;
            faulted = false;
            return KernelDefects.Annotate(scenario, result, corked);
        }
        finally
        {
            // After a simulator fault the kernel has stopped (supervision); there is nothing left to close.
            if (!faulted)
                foreach (int id in socks)
                    Call<SocketClosed>(kernel, new Close(id));
            kernel.Tell(PoisonPill.Instance);
        }
    }

    private static void Check(long rc, string what)
    {
        if (rc != 0) throw new InvalidOperationException($"scenario setup failed to {what}: {rc} ({Model.Errno.Name((int)rc)})");
    }

    /// <summary>The harness's read of one receiver: drained, then 200 ms of virtual time (ScenarioTopology.Collect).</summary>
    private ReceiverResult DrainQuiet(IActorRef kernel, int sockId)
    {
        var d = Call<Drained>(kernel, new Drain(sockId, 0));
        Call<ClockAdvanced>(kernel, new AdvanceClock(ScenarioTopology.QuietNs));
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

    internal static T Result<T>(ReplySink sink, object message) => sink.Reply switch
    {
        T t => t,
        Status.Failure f => throw new InvalidOperationException($"{message} failed: {f.Cause.Message}", f.Cause),
        RequestFailed f => throw new InvalidOperationException(f.Reason),
        null => throw new InvalidOperationException($"{message} got no reply on the calling thread: is the engine's system deterministic?"),
        var other => throw new InvalidOperationException($"expected {typeof(T).Name} for {message}, got {other.GetType().Name}"),
    };

    /// <summary>Terminates the actor system when the engine made it (waits at most 10 s); a system passed in is left running.</summary>
    public void Dispose()
    {
        if (_ownsSystem) _system.Terminate().Wait(TimeSpan.FromSeconds(10));
    }
}
