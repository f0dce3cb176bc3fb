using Akka.Actor;
using Akka.Event;
using SockActors.Actors.Protocol;
using SockActors.Actors.Runtime;
using SockActors.Model;
using SockActors.Model.Maps;
using SockActors.Model.Net;
using SockActors.Model.Programs;

namespace SockActors.Actors.Actors;

/// <summary>
/// One simulated kernel: owns the <see cref="SimKernel"/> (page allocator, virtual clock), creates the socket, map
/// and program actors as children on the kernel's dispatcher, routes requests to them by id, moves virtual time and,
/// in deterministic mode, holds socket calls and releases them one at a time in the order its interleaving seed picks.
/// A model exception in a child is a simulator bug: it is logged with the socket and message and the kernel stops.
/// </summary>
public sealed partial class KernelActor : UntypedActor
{
    private readonly KernelRuntime _rt;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private int _nextMapId;
    private int _nextProgId;

    private readonly ProgramCatalog _catalog;

    internal KernelActor(int kernelId, SimKernel kernel, SockActorsSettings settings, long interleavingSeed, ProgramCatalog? catalog = null)
    {
        _catalog = catalog ?? new ProgramCatalog();
        bool seeded = settings.Deterministic && interleavingSeed != 0;
        _interleaving = new Random(unchecked((int)interleavingSeed ^ (int)(interleavingSeed >> 32)));
        _rt = new KernelRuntime(kernelId, kernel, settings, seeded) { Interleaving = seeded ? _interleaving : null };
        kernel.Environment = new ActorEnvironment(_rt);
        kernel.Trace += line => _rt.AddTrace("trace: " + line);
    }

    /// <summary>Props of a kernel on the configured kernel dispatcher.</summary>
    public static Props Props(int kernelId, SimKernel kernel, SockActorsSettings settings, long interleavingSeed = 0, ProgramCatalog? catalog = null) =>
        FuncProducer<KernelActor>.Props(() => new KernelActor(kernelId, kernel, settings, interleavingSeed, catalog), settings.KernelDispatcher);

    /// <summary>Registers this actor as the runtime's kernel actor, to which sockets, maps and programs route.</summary>
    protected override void PreStart()
    {
        _rt.KernelActor = Self;
        StartWire();
    }

    /// <summary>A child that throws is a simulator bug: logged and escalated, so the kernel stops rather than restarts
    /// with half-changed model state.</summary>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(e =>
    {
        _log.Error(e, "kernel {0}: {1}", _rt.KernelId, e.Message);
        return Directive.Escalate;
    });

    /// <summary>One turn of the kernel: routes socket, map and program requests to their actors and answers its own
    /// (create, clock, trace, stats).</summary>
    protected override void OnReceive(object message)
    {
        bool outer = _rt.Current is null;
        _rt.EnterTurn("kernel");
        try
        {
            Handle(message);
        }
        finally
        {
            if (outer) _rt.ExitTurn();
        }
    }

    private void Handle(object message)
    {
        switch (message)
        {
            case IScheduledCall call when _rt.SeededInterleaving:
                Hold(call, Sender);
                break;
            case ISocketCall call when call.Thread != 0:
                OnThreadCall(call, Sender);
                break;
            case IHostMessage h:
                OnHostMessage(h, Sender); // the wire to other hosts (KernelActor.Wire.cs)
                break;
            case ConnectRemote c:
                OnConnectRemote(c);
                break;
            case ISocketRequest r:
                Route(r, Sender);
                break;
            case IMapRequest m:
                if (_rt.MapRefs.TryGetValue(m.MapId, out var map)) map.Forward(m);
                else Sender.Tell(new RequestFailed($"kernel {_rt.KernelId} has no map {m.MapId}"));
                break;
            case IProgramRequest p:
                if (_rt.ProgramRefs.TryGetValue(p.ProgId, out var prog)) prog.Forward(p);
                else Sender.Tell(new RequestFailed($"kernel {_rt.KernelId} has no program {p.ProgId}"));
                break;
            case LoadProgramReference l:
                OnLoadProgramReference(l);
                break;
            case Listen l:
                Sender.Tell(Created(_rt.Kernel.Listen(l.Name, l.Port)));
                break;
            case Connect c:
                OnConnect(c);
                break;
            case CreateSockMap m:
                OnCreateMap(m);
                break;
            case LoadProgram p:
                OnLoadProgram(p);
                break;
            case AdvanceClock a:
                Advance(_rt.Kernel.NowNs + Math.Max(0, a.Ns), Sender, nextDeadlineOnly: false);
                break;
            case AdvanceToNextDeadline:
                if (_rt.Deadlines.Count == 0) Sender.Tell(new ClockAdvanced(_rt.Kernel.NowNs, false));
                else Advance(_rt.Deadlines.Keys.First().DeadlineNs, Sender, nextDeadlineOnly: true);
                break;
            case ContinueAdvance c:
                Advance(c.TargetNs, c.ReplyTo, c.NextDeadlineOnly, c.Fired);
                break;
            case ClockDeadline d:
                if (d.DeadlineNs > _rt.Kernel.NowNs || _rt.Deadlines.Keys.Any(k => k.DeadlineNs <= d.DeadlineNs))
                    Advance(Math.Max(d.DeadlineNs, _rt.Kernel.NowNs), ActorRefs.Nobody, nextDeadlineOnly: false);
                break;
            case RunScheduled:
                OnRunScheduled();
                break;
            case SocketCallDone d:
                OnCallDone(d);
                break;
            case SubscribeVerdicts v:
                AddVerdictSubscriber(v.Subscriber);
                Sender.Tell(new VerdictsSubscribed(_rt.KernelId));
                break;
            case UnsubscribeVerdicts v:
                if (_verdictSubscribers.Remove(v.Subscriber) && _verdictSubscribers.Count == 0) _rt.Kernel.ProgramRan -= PublishRun;
                Sender.Tell(new VerdictsSubscribed(_rt.KernelId));
                break;
            case GetTrace:
                Sender.Tell(new KernelTrace(_rt.Trace.ToArray()));
                break;
            case GetKernelStats:
                Sender.Tell(new KernelStats(_rt.Kernel.NowNs, _rt.Kernel.Pages.BytesInUse, _rt.Socks.Count, _rt.SleepingCalls));
                break;
            case AdoptObjects a:
                Sender.Tell(new Adopted(
                    a.Sockets.Select(Created).ToList(),
                    a.Maps.Select(AdoptMap).ToList(),
                    a.Programs.Select(p => AdoptProgram(p)).ToList()));
                break;
            case InvokeOnKernel i:
                Sender.Tell(i.Action(_rt.Kernel));
                break;
            case ISockActorsRequest r:
                Sender.Tell(new RequestFailed($"kernel {_rt.KernelId} does not handle {r.GetType().Name}"));
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private readonly HashSet<IActorRef> _verdictSubscribers = new();

    /// <summary>The model publishes each program run (SimKernel.ProgramRan); the kernel forwards it to subscribers.
    /// The handler is hooked only while someone listens, so an unobserved kernel pays nothing.</summary>
    private void AddVerdictSubscriber(IActorRef subscriber)
    {
        if (_verdictSubscribers.Count == 0) _rt.Kernel.ProgramRan += PublishRun;
        _verdictSubscribers.Add(subscriber);
    }

    private void PublishRun(Model.Msg.VerdictEvent e)
    {
        var run = new ProgramRunEvent(e.SockId, e.SockName, e.RunIndex, e.Size, e.Verdict.ToString().ToLowerInvariant(),
            e.ApplyBytes, e.CorkBytes, e.RedirectSockId, e.Ingress, e.NowNs);
        foreach (var s in _verdictSubscribers) s.Tell(run, Self);
    }

    /// <summary>Hands a socket request to its socket's actor, or answers that the kernel has no such socket.</summary>
    private void Route(ISocketRequest r, IActorRef replyTo)
    {
        if (_rt.SocketRefs.TryGetValue(r.SockId, out var sock)) sock.Tell(r, replyTo);
        else replyTo.Tell(new RequestFailed($"kernel {_rt.KernelId} has no socket {r.SockId}"));
    }

    private Props? _socketProps;

    private SocketCreated Created(Sock sk) => new(sk.Id, sk.Name, Adopt(sk));

    /// <summary>Gives a model socket its actor (the kernel made the socket; the actor owns it from now on).</summary>
    internal IActorRef Adopt(Sock sk)
    {
        if (_rt.SocketRefs.TryGetValue(sk.Id, out var existing)) return existing;
        _rt.Socks[sk.Id] = sk; // the actor takes its socket from here (SocketActor's constructor)
        var a = Context.ActorOf(_socketProps ??= SocketActor.Props(_rt), SocketActor.Name(sk.Id));
        _rt.SocketRefs[sk.Id] = a;
        return a;
    }

    private void OnConnect(Connect c)
    {
        Sock? listener = null;
        if (c.ListenerId != 0 && (!_rt.Socks.TryGetValue(c.ListenerId, out listener) || listener.State != SockState.Listen))
        {
            Sender.Tell(new RequestFailed($"socket {c.ListenerId} is not a listening socket of kernel {_rt.KernelId}"));
            return;
        }
        var (client, server) = listener is null ? _rt.Kernel.ConnectPair(c.ClientName, c.ServerName) : _rt.Kernel.Connect(listener, c.ClientName, c.ServerName);
        Sender.Tell(new Connected(client.Id, Adopt(client), server.Id, Adopt(server)));
    }

    private void OnCreateMap(CreateSockMap m)
    {
        SockMapBase map;
        try
        {
            map = m.Hash
                ? new SockHash(m.Name, m.MaxEntries, m.KeySize == 0 ? 4 : m.KeySize, m.ValueSize == 0 ? 4 : m.ValueSize)
                : new SockMap(m.Name, m.MaxEntries, m.KeySize == 0 ? 4 : m.KeySize, m.ValueSize == 0 ? 4 : m.ValueSize);
        }
        catch (BpfErrnoException e)
        {
            Sender.Tell(new MapCreated(-e.Errno, 0, null));
            return;
        }
        Sender.Tell(AdoptMap(map));
    }

    /// <summary>Gives a model map (made here or brought by a program) its actor.</summary>
    internal MapCreated AdoptMap(SockMapBase map)
    {
        foreach (var kv in _rt.Maps)
            if (ReferenceEquals(kv.Value, map)) return new MapCreated(0, kv.Key, _rt.MapRefs[kv.Key]);
        int id = ++_nextMapId;
        _rt.Kernel.RegisterMap(map);
        var a = Context.ActorOf(MapActor.Props(_rt, id, map), $"map-{id}");
        _rt.Maps[id] = map;
        _rt.MapRefs[id] = a;
        return new MapCreated(0, id, a);
    }

    private void OnLoadProgram(LoadProgram p)
    {
        var program = LocalObjects.Resolve<ISkMsgProgram>(p.LocalHandle);
        Sender.Tell(AdoptProgram(program));
    }

    internal ProgramLoaded AdoptProgram(ISkMsgProgram program, LoadedProgram? loaded = null)
    {
        foreach (var kv in _rt.Programs)
            if (ReferenceEquals(kv.Value, program)) return new ProgramLoaded(kv.Key, program.Name, _rt.ProgramRefs[kv.Key]);
        int id = ++_nextProgId;
        var a = Context.ActorOf(ProgramActor.Props(_rt, id, program, loaded), $"prog-{id}");
        _rt.Programs[id] = program;
        _rt.ProgramRefs[id] = a;
        return new ProgramLoaded(id, program.Name, a);
    }

    /// <summary>A program by reference: made from the catalog (a BPF object's bytes, or a registered name); its socket
    /// maps get map actors, its data maps stay with its program actor, which counts its runs.</summary>
    private void OnLoadProgramReference(LoadProgramReference l)
    {
        LoadedProgram loaded;
        try
        {
            loaded = _catalog.Load(new ProgramSource(l.Program.Name, l.Program.ElfImage));
        }
        catch (ProgramLoadException e)
        {
            Sender.Tell(new RequestFailed($"kernel {_rt.KernelId}: {e.Message}"));
            return;
        }
        var counted = new CountingProgram(loaded.Program);
        // The maps know the program by its counted face: what is attached is what runs.
        var p = AdoptProgram(counted, loaded);
        var maps = loaded.Maps.Select(m =>
        {
            if (m is not SockMapBase sm) return new ProgramMapInfo(m.Name, m.Type.ToString(), 0);
            var adopted = AdoptMap(sm);
            return new ProgramMapInfo(m.Name, m.Type.ToString(), adopted.MapId, adopted.Map);
        }).ToArray();
        Sender.Tell(p with { Maps = maps });
    }
}
