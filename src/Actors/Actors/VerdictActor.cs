using Akka.Actor;
using SockActors.Actors.Protocol;
using SockActors.Actors.Runtime;
using SockActors.Model.Msg;
using SockActors.Model.Net;

namespace SockActors.Actors.Actors;

/// <summary>
/// The verdict of one psock (the child "verdict" of its socket's actor): the psock's verdict state (cached verdict,
/// apply and cork windows, cork message, redirect target) is touched by the model's tcp_bpf_send_verdict, which runs
/// here, in this actor's turns, with the socket lock held by the parent on the sending call's behalf. It runs the
/// program (its run is published as a <see cref="ProgramRunEvent"/>) and routes the outcome: pass to the socket's own
/// TCP path, redirect to the target socket actor's egress or ingress, drop. What belongs to the socket goes through
/// the parent: releasing and retaking the lock around a redirect (<see cref="VerdictRedirect"/>) and sleeping on the
/// socket's wait queue (<see cref="VerdictSleep"/>). The rules are the model's; this actor only carries them.
/// </summary>
public sealed class VerdictActor : UntypedActor, IModelCallHost
{
    private readonly KernelRuntime _rt;
    private readonly Dictionary<long, Resumable<RedirectOutcome>> _redirects = new();
    private readonly Stack<Resumable<RedirectOutcome>> _redirectPool = new();
    private readonly Dictionary<long, Resumable<long>> _sleeps = new();
    private readonly Stack<Resumable<long>> _sleepPool = new();

    private VerdictActor(KernelRuntime rt, Sock sock)
    {
        _rt = rt;
        Sock = sock;
    }

    internal static Props Props(KernelRuntime rt, Sock sock) =>
        FuncProducer<VerdictActor>.Props(() => new VerdictActor(rt, sock), rt.Settings.KernelDispatcher);

    /// <summary>The socket whose psock this actor judges.</summary>
    public Sock Sock { get; }

    /// <summary>Runs one verdict step (or resumes a suspended one) in the kernel's turn, as the socket actor's child.</summary>
    protected override void OnReceive(object message)
    {
        using var turn = _rt.EnterCallHostTurn(Sock.Name, this);
        switch (message)
        {
            case RunVerdict r:
                Run(r.CallId);
                break;
            case RedirectReply r:
                Resume(_redirects, r.CorrelationId, new RedirectOutcome(r.Ret, r.Sent));
                break;
            case VerdictWoken w:
                Resume(_sleeps, w.CorrelationId, w.Result);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    /// <summary>tcp_bpf_send_verdict for the call the parent handed over; the result goes back to the parent.</summary>
    private void Run(long callId)
    {
        if (!_rt.VerdictCalls.Remove(callId, out var call))
            throw new InvalidOperationException($"verdict of {Sock.Name}: call {callId} was not handed over");
        ValueTask<int> pending;
        try
        {
            pending = call.RunAsync();
        }
        catch (Exception e)
        {
            Context.Parent.Tell(new VerdictFailed(callId, e), Self);
            return;
        }
        if (pending.IsCompleted)
        {
            // Done without suspending, or failed (a runaway report): answered now. (Only a pending one may get a
            // continuation: a completed one's would be queued to the thread pool, outside this actor's turns.)
            Answer(Context.Parent, Self, callId, pending);
            return;
        }
        // Suspended (a redirect or a sleep): answered when it completes, which happens inside one of this actor's turns.
        var w = _awaiterPool.Count > 0 ? _awaiterPool.Pop() : new VerdictAwaiter(this);
        w.Start(pending, callId);
    }

    private readonly Stack<VerdictAwaiter> _awaiterPool = new();

    /// <summary>Sends the parent the outcome of a suspended verdict; pooled, so that a verdict that redirects costs no
    /// Task and no async state machine of its own.</summary>
    private sealed class VerdictAwaiter
    {
        private readonly VerdictActor _owner;
        private readonly IActorRef _self;
        private readonly IActorRef _parent;
        private readonly Action _onDone;
        private ValueTask<int> _pending;
        private long _callId;

        public VerdictAwaiter(VerdictActor owner)
        {
            _owner = owner;
            _self = owner.Self;
            _parent = Context.Parent;
            _onDone = Done;
        }

        public void Start(ValueTask<int> pending, long callId)
        {
            _pending = pending;
            _callId = callId;
            pending.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_onDone);
        }

        private void Done()
        {
            var pending = _pending;
            long callId = _callId;
            _pending = default;
            _owner._awaiterPool.Push(this);
            Answer(_parent, _self, callId, pending);
        }
    }

    private static void Answer(IActorRef parent, IActorRef self, long callId, ValueTask<int> done)
    {
        int ret;
        try
        {
            ret = done.GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            parent.Tell(new VerdictFailed(callId, e), self);
            return;
        }
        parent.Tell(new VerdictDone(callId, ret), self);
    }

    private static void Resume<T>(Dictionary<long, Resumable<T>> pending, long id, T value)
    {
        if (!pending.Remove(id, out var r)) throw new InvalidOperationException($"no suspended verdict step {id}");
        r.Complete(value);
    }

    /// <summary>Called by the model during this actor's turn: the parent releases the lock and hands the ranges over.</summary>
    ValueTask<RedirectOutcome> IModelCallHost.BeginRedirect(Sock target, bool ingress, RedirectSegments segments, int flags)
    {
        long id = _rt.NextId();
        var r = Resumable<RedirectOutcome>.Rent(_redirectPool);
        _redirects.Add(id, r);
        Context.Parent.Tell(new VerdictRedirect(id, target.Id, ingress, segments, flags), Self);
        return r.Task;
    }

    /// <summary>Called by the model during this actor's turn: the verdict sleeps on the socket's wait queue.</summary>
    ValueTask<long> IModelCallHost.Sleep(bool forData, long timeoNs)
    {
        long id = _rt.NextId();
        var r = Resumable<long>.Rent(_sleepPool);
        _sleeps.Add(id, r);
        Context.Parent.Tell(new VerdictSleep(id, forData, timeoNs), Self);
        return r.Task;
    }

    ValueTask<int> IModelCallHost.BeginVerdict(SendVerdictCall call) =>
        throw new InvalidOperationException($"verdict of {Sock.Name}: a verdict inside a verdict: simulator bug");
}
