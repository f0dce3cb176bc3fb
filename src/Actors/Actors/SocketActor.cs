using Akka.Actor;
using Akka.Event;
using SockActors.Actors.Protocol;
using SockActors.Actors.Runtime;
using SockActors.Model;
using SockActors.Model.Net;

namespace SockActors.Actors.Actors;

/// <summary>
/// One simulated socket: owns the model's <see cref="Model.Net.Sock"/> (buffers, psock). User calls (send, receive,
/// close, setsockopt) run one at a time, as the socket lock orders them; the send path itself is the model's
/// (program, verdict, push), started here and resumed here when a redirect answer or buffer space arrives. Redirect
/// requests from other sockets and wake-ups are served at once, also while a call of this socket is suspended.
/// </summary>
public sealed partial class SocketActor : UntypedActor
{
    private readonly KernelRuntime _rt;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Queue<(ISocketCall Call, IActorRef ReplyTo)> _calls = new();
    private bool _busy;
    private long _callSeq;

    internal SocketActor(KernelRuntime rt, Sock sock)
    {
        _rt = rt;
        Sock = sock;
    }

    internal static Props Props(KernelRuntime rt, Sock sock) =>
        FuncProducer<SocketActor>.Props(() => new SocketActor(rt, sock), rt.Settings.KernelDispatcher);

    internal Sock Sock { get; }

    protected override void OnReceive(object message)
    {
        var prev = _rt.Current;
        _rt.EnterTurn(Sock.Name);
        _rt.Current = this;
        try
        {
            switch (message)
            {
                case RedirectReply r:
                    OnRedirectReply(r);
                    break;
                case RedirectRequest r:
                    OnRedirectRequest(r, Sender);
                    break;
                case WriteSpace:
                    WakeWaiters();
                    break;
                case SndTimeoExpired t:
                    OnSndTimeo(t.WaitId);
                    break;
                case ISocketCall call:
                    if (_busy) _calls.Enqueue((call, Sender));
                    else RunCalls(call, Sender);
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
        finally
        {
            _rt.Current = prev;
            if (prev is null) _rt.ExitTurn();
        }
    }

    private string Describe() => $"socket {Sock.Name} (id {Sock.Id}, kernel {_rt.KernelId})";

    private SockStats Stats() => new(Sock.Id, Sock.Name, Sock.WmemQueued, Sock.ReceiveQueueBytes, Sock.IngressBytes, Sock.PurgedBytes,
        Sock.Sndbuf, Sock.Rcvbuf, Sock.Psock is not null, _waiters.Count, _calls.Count, Sock.Psock?.Cork?.Size ?? 0);

    /// <summary>Runs <paramref name="call"/> and then the queued calls, until one suspends in the model.</summary>
    private void RunCalls(ISocketCall call, IActorRef replyTo)
    {
        while (true)
        {
            _busy = true;
            ValueTask<object> pending;
            try
            {
                pending = Execute(call);
            }
            catch (Exception e)
            {
                Fault(call, replyTo, e);
                return;
            }
            if (!pending.IsCompleted)
            {
                _ = AwaitCall(pending, call, replyTo);
                return;
            }
            object reply;
            try
            {
                reply = pending.Result;
            }
            catch (Exception e)
            {
                Fault(call, replyTo, e);
                return;
            }
            Finish(call, replyTo, reply);
            if (!_calls.TryDequeue(out var next)) return;
            (call, replyTo) = next;
        }
    }

    private async Task AwaitCall(ValueTask<object> pending, ISocketCall call, IActorRef replyTo)
    {
        object reply;
        try
        {
            reply = await pending;
        }
        catch (Exception e)
        {
            Fault(call, replyTo, e);
            return;
        }
        // Resumed inside this actor's turn (the model's continuation ran synchronously in it).
        Finish(call, replyTo, reply);
        if (_calls.TryDequeue(out var next)) RunCalls(next.Call, next.ReplyTo);
    }

    private void Finish(ISocketCall call, IActorRef replyTo, object reply)
    {
        _busy = false;
        replyTo.Tell(reply, Self);
        if (_rt.Settings.TraceCalls || _rt.SeededInterleaving)
        {
            long rc = reply switch
            {
                SendResult s => s.Rc,
                SendBatchResult b => b.Bytes,
                RecvResult r => r.Rc,
                Drained d => d.Bytes,
                InvokeResult i => i.Rc,
                _ => 0,
            };
            string label = call switch { InvokeOnSocket i => i.Label, _ => call.GetType().Name };
            _rt.AddTrace($"{Sock.Name} #{++_callSeq} {label} -> {rc}");
            if (_rt.SeededInterleaving && call is ISendCall) _rt.KernelActor.Tell(new SocketCallDone(Sock.Id, label, rc), Self);
        }
    }

    private void Fault(object what, IActorRef replyTo, Exception e)
    {
        _busy = false;
        var fault = new SimulatorFaultException($"{Describe()} failed on {what}: {e.Message}", e);
        _log.Error(e, "{0} failed on {1}: simulator bug", Describe(), what);
        replyTo.Tell(new Status.Failure(fault), Self);
        // Thrown in a turn of this actor so that the kernel's supervisor stops the simulation loudly.
        Self.Tell(new ModelFault(e, what.ToString() ?? what.GetType().Name));
    }

    private ValueTask<object> Execute(ISocketCall call) => call switch
    {
        SendMsg m => SendMsgAsync(m),
        SendFile f => SendFileAsync(f),
        SendMsgBatch b => SendBatchAsync(b),
        Recv r => new(DoRecv(r)),
        Drain d => new(DoDrain(d)),
        Close => new(DoClose()),
        SetSockOpt o => new(DoSetSockOpt(o)),
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

    private object DoSetSockOpt(SetSockOpt o)
    {
        switch (o.Option)
        {
            case SockOption.SndBuf: Sock.Sndbuf = checked((int)o.Value); break;
            case SockOption.RcvBuf: Sock.Rcvbuf = checked((int)o.Value); break;
            case SockOption.SndTimeoNs: Sock.SndTimeoNs = o.Value <= 0 ? Sock.MaxScheduleTimeout : o.Value; break;
            case SockOption.RcvTimeoNs: Sock.RcvTimeoNs = o.Value <= 0 ? Sock.MaxScheduleTimeout : o.Value; break;
            case SockOption.NonBlocking: Sock.NonBlocking = o.Value != 0; break;
            case SockOption.NoDelay: Sock.NoDelay = o.Value != 0; break;
            default: return new SockOptSet(Sock.Id, -Errno.EINVAL);
        }
        // A larger sndbuf may end a wait for memory (sk_stream_write_space is what the kernel calls here).
        if (_waiters.Count > 0) Self.Tell(new WriteSpace(Sock.Id));
        return new SockOptSet(Sock.Id, 0);
    }

    private object DoClose()
    {
        var peer = Sock.Peer;
        long before = Sock.PurgedBytes;
        Sock.Close();
        // Waiting sends of this socket now see SendShutdown (-EPIPE); the peer's may see the stream end.
        if (_waiters.Count > 0) Self.Tell(new WriteSpace(Sock.Id));
        if (peer is not null && _rt.SocketRefs.TryGetValue(peer.Id, out var p)) p.Tell(new WriteSpace(peer.Id));
        return new SocketClosed(Sock.Id, Sock.PurgedBytes - before);
    }
}
