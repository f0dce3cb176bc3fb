using Akka.Actor;
using Akka.Event;
using SockActors.Actors.Protocol;
using SockActors.Actors.Runtime;
using SockActors.Model;
using SockActors.Model.Net;

namespace SockActors.Actors.Actors;

/// <summary>
/// One simulated socket: owns the model's <see cref="Model.Net.Sock"/> (buffers, psock) and its socket lock
/// (<see cref="SocketLock"/>). Every user call, every redirect arriving from another socket and every sleeper that a
/// wake-up resumes takes the lock first; a call gives it up where the kernel does (a sleep for memory or data, the
/// redirect hand-off, its return), so while one call sleeps the socket's other calls run, as in Linux: a receive
/// next to a blocked send, a second sender, a setsockopt. The send and receive paths are the model's, started here
/// and resumed here.
/// </summary>
public sealed partial class SocketActor : UntypedActor, IModelCallHost
{
    private readonly KernelRuntime _rt;
    // Made when a fault is logged, not per socket: idle sockets are most of a large simulation (issue 9).
    private ILoggingAdapter? _log;
    private readonly SocketLock _lock;
    private long _callSeq;
    private int _callsInProgress;

    /// <summary>The actor of the kernel's socket named by its own name (<see cref="Name"/>): the kernel put the socket
    /// in <see cref="KernelRuntime.Socks"/> before creating the actor.</summary>
    private SocketActor(KernelRuntime rt)
    {
        _rt = rt;
        Sock = rt.Socks[IdOf(Self.Path.Name)];
        _lock = new SocketLock(rt.Interleaving);
    }

    /// <summary>The props of every socket actor of a kernel: one instance, shared, rather than one per socket (a
    /// props, its producer and its closure are a few hundred bytes, and most sockets of a large simulation are idle;
    /// issue 9). Each actor finds its socket by its name.</summary>
    internal static Props Props(KernelRuntime rt) =>
        FuncProducer<SocketActor>.Props(() => new SocketActor(rt), rt.Settings.KernelDispatcher).WithMailbox(MailboxId);

    /// <summary>The actor name of socket <paramref name="sockId"/>, under its kernel.</summary>
    internal static string Name(int sockId) => $"sock-{sockId}";

    private static int IdOf(string name) => int.Parse(name.AsSpan("sock-".Length), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The socket mailbox (reference.conf sockactors.socket-mailbox): its queue is made on the first message.</summary>
    internal const string MailboxId = "sockactors.socket-mailbox";

    internal Sock Sock { get; }

    /// <summary>One turn of the socket: a user call (taking the socket lock), a redirect from another socket, a wake-up or
    /// a timeout of a sleeping call.</summary>
    protected override void OnReceive(object message)
    {
        using var turn = _rt.EnterCallHostTurn(Sock.Name, this);
        switch (message)
        {
            case RedirectReply r:
                OnRedirectReply(r);
                break;
            case RedirectRequest r:
                OnRedirectRequest(r, Sender);
                break;
            case VerdictDone d:
                OnVerdictDone(d);
                break;
            case VerdictRedirect v:
                OnVerdictRedirect(v);
                break;
            case VerdictSleep v:
                OnVerdictSleep(v);
                break;
            case VerdictFailed f:
                OnVerdictFailed(f);
                break;
            case WakeUp:
                OnWakeUp();
                break;
            case SleepTimedOut t:
                OnSleepTimedOut(t.WaitId);
                break;
            case MapResult m:
                OnUnlinked(m);
                break;
            case ITcpWireMessage w:
                OnWirePacket(w); // from the peer on another host (SocketActor.Wire.cs)
                break;
            case ISocketCall call:
                StartCall(call, Sender);
                break;
            case GetSockStats:
                Sender.Tell(Stats());
                break;
            case ModelFault f:
                throw new SimulatorFaultException($"{Describe()} failed on {f.What}: {f.Error.Message}", f.Error);
            default:
                Unhandled(message);
                break;
        }
    }

    private string Describe() => $"socket {Sock.Name} (id {Sock.Id}, kernel {_rt.KernelId})";

    private SockStats Stats() => new(Sock.Id, Sock.Name, Sock.WmemQueued, Sock.ReceiveQueueBytes, Sock.IngressBytes, Sock.PurgedBytes,
        Sock.Sndbuf, Sock.Rcvbuf, Sock.Psock is not null, SleepingFor(data: false), _lock.Waiting, Sock.Psock?.Cork?.Size ?? 0,
        SleepingFor(data: true), _callsInProgress);

    /// <summary>A user call: it takes the socket lock (now, or when its turn comes) and runs the model until it returns
    /// or sleeps.</summary>
    private void StartCall(ISocketCall call, IActorRef replyTo)
    {
        long id = ++_callSeq;
        _callsInProgress++;
        string who = _rt.Settings.TraceCalls ? $"{Label(call)}#{id}" : "call";
        if (!_lock.TryEnter(who))
        {
            _lock.Acquire(who, () => RunCall(call, replyTo, id));
            return;
        }
        try
        {
            RunCall(call, replyTo, id);
        }
        finally
        {
            _lock.Leave();
        }
    }

    private static string Label(ISocketCall call) => call switch { InvokeOnSocket i => i.Label, _ => call.GetType().Name };

    private void RunCall(ISocketCall call, IActorRef replyTo, long id)
    {
        ValueTask<object> pending;
        try
        {
            pending = Execute(call);
        }
        catch (Exception e)
        {
            _callsInProgress--;
            Fault(call, replyTo, e);
            return;
        }
        if (!pending.IsCompleted)
        {
            // It sleeps (the lock was released where it went to sleep) or holds the lock across a hop (close).
            _ = AwaitCall(pending, call, replyTo, id);
            return;
        }
        object reply;
        try
        {
            reply = pending.Result;
        }
        catch (Exception e)
        {
            _callsInProgress--;
            Fault(call, replyTo, e);
            return;
        }
        Finish(call, replyTo, reply, id);
    }

    private async Task AwaitCall(ValueTask<object> pending, ISocketCall call, IActorRef replyTo, long id)
    {
        object reply;
        try
        {
            reply = await pending;
        }
        catch (Exception e)
        {
            _callsInProgress--;
            Fault(call, replyTo, e);
            return;
        }
        // Resumed inside this actor's turn, with the lock held (the model's continuation ran synchronously in it).
        Finish(call, replyTo, reply, id);
    }

    /// <summary>The call returns: release_sock, the reply, and the trace / scheduler notice.</summary>
    private void Finish(ISocketCall call, IActorRef replyTo, object reply, long id)
    {
        _callsInProgress--;
        replyTo.Tell(reply, Self);
        bool notify = _rt.SeededInterleaving || call.Thread != 0;
        if (_rt.Settings.TraceCalls || notify)
        {
            long rc = reply switch
            {
                SendResult s => s.Rc,
                SendBatchResult b => b.Bytes,
                RecvResult r => r.Rc,
                Drained d => d.Bytes,
                InvokeResult i => i.Rc,
                SockOptSet o => o.Rc,
                _ => 0,
            };
            string label = Label(call);
            if (_rt.Settings.TraceCalls) _rt.AddTrace($"{Sock.Name} #{id} {label} -> {rc}");
            if (notify) _rt.KernelActor.Tell(new SocketCallDone(Sock.Id, label, rc, call.Thread, id), Self);
        }
        _lock.Release();
    }

    private void Fault(object what, IActorRef replyTo, Exception e)
    {
        var fault = new SimulatorFaultException($"{Describe()} failed on {what}: {e.Message}", e);
        (_log ??= Context.GetLogger()).Error(e, "{0} failed on {1}: simulator bug", Describe(), what);
        replyTo.Tell(new Status.Failure(fault), Self);
        // Thrown in a turn of this actor so that the kernel's supervisor stops the simulation loudly.
        Self.Tell(new ModelFault(e, what.ToString() ?? what.GetType().Name));
    }

    private ValueTask<object> Execute(ISocketCall call) => call switch
    {
        SendMsg m => SendMsgAsync(m),
        SendFile f => SendFileAsync(f),
        SendMsgBatch b => SendBatchAsync(b),
        Recv r => RecvAsync(r),
        Drain d => new(DoDrain(d)),
        Close => CloseAsync(),
        Shutdown s => new(new ShutdownDone(Sock.Id, Sock.Shutdown(s.How))),
        SetSockOpt o => new(new SockOptSet(Sock.Id, Sock.SetSockOpt(o.Option, o.Value))),
        InvokeOnSocket i => InvokeAsync(i),
        _ => throw new InvalidOperationException($"unknown socket call {call.GetType().Name}"),
    };

    private async ValueTask<object> SendMsgAsync(SendMsg m)
    {
        try
        {
            int rc = await Sock.SendMsgAsync(m.Data, m.Flags);
            return new SendResult(Sock.Id, rc);
        }
        catch (RunawayException e)
        {
            return new SendResult(Sock.Id, -Errno.ENOMEM, e.Message);
        }
    }

    private async ValueTask<object> SendFileAsync(SendFile f)
    {
        try
        {
            long rc = await Sock.SendFileAsync(f.File, f.Offset, f.Count, f.Flags);
            return new SendResult(Sock.Id, rc);
        }
        catch (RunawayException e)
        {
            return new SendResult(Sock.Id, -Errno.ENOMEM, e.Message);
        }
    }

    private async ValueTask<object> InvokeAsync(InvokeOnSocket i)
    {
        try
        {
            long rc = await i.Call(Sock);
            return new InvokeResult(Sock.Id, rc, null);
        }
        catch (RunawayException e)
        {
            return new InvokeResult(Sock.Id, 0, e.Message);
        }
    }
}
