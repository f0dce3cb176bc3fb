using Akka.Actor;
using SockActors.Actors.Protocol;
using SockActors.Actors.Runtime;
using SockActors.Model.Msg;
using SockActors.Model.Net;

namespace SockActors.Actors.Actors;

// The socket's side of its verdict actor. The send path (tcp_bpf_sendmsg, run here under the socket lock) reaches
// tcp_bpf_send_verdict and hands it to the child "verdict" with the lock still held on the call's behalf; the verdict
// actor runs the program and acts on the outcome, and asks this actor for what belongs to the socket: releasing the
// lock around a redirect and taking it back (release_sock / lock_sock), and sleeping on the socket's wait queue. When
// the verdict is done the send resumes here, lock held, with its result.
public sealed partial class SocketActor
{
    private IActorRef? _verdict;
    private readonly Dictionary<long, Resumable<int>> _verdicts = new();
    private readonly Stack<Resumable<int>> _verdictPool = new();

    /// <summary>Correlation ids of redirects sent for the verdict actor, whose replies are forwarded to it.</summary>
    private readonly HashSet<long> _verdictRedirects = new();

    /// <summary>A verdict actor that throws is a simulator bug: escalated (the kernel stops, as for the socket's own
    /// faults), never restarted with its suspended verdicts lost.</summary>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Escalate);

    Sock IModelCallHost.Sock => Sock;

    ValueTask<RedirectOutcome> IModelCallHost.BeginRedirect(Sock target, bool ingress, RedirectSegments segments, int flags) =>
        BeginRedirect(target, ingress, segments, flags);

    ValueTask<long> IModelCallHost.Sleep(bool forData, long timeoNs) => Sleep(forData, timeoNs);

    /// <summary>Called by the model (through <see cref="ActorEnvironment"/>) during this actor's turn: the verdict of
    /// <paramref name="call"/> goes to the verdict actor (created at the psock's first verdict); the lock stays held.</summary>
    ValueTask<int> IModelCallHost.BeginVerdict(SendVerdictCall call)
    {
        _verdict ??= Context.ActorOf(VerdictActor.Props(_rt, Sock), "verdict");
        long id = _rt.NextId();
        var r = Resumable<int>.Rent(_verdictPool);
        _verdicts.Add(id, r);
        _rt.VerdictCalls.Add(id, call);
        _verdict.Tell(new RunVerdict(Sock.Id, id), Self);
        return r.Task;
    }

    /// <summary>The verdict is done, the lock still held: the send resumes (in this turn) with its result.</summary>
    private void OnVerdictDone(VerdictDone d)
    {
        if (!_verdicts.Remove(d.CallId, out var r))
            throw new InvalidOperationException($"{Describe()}: verdict {d.CallId} answers no pending verdict");
        r.Complete(d.Ret);
    }

    private void OnVerdictFailed(VerdictFailed f)
    {
        if (!_verdicts.Remove(f.CallId, out var r))
            throw new InvalidOperationException($"{Describe()}: verdict {f.CallId} failed but none is pending", f.Error);
        r.Fail(f.Error);
    }

    /// <summary>The verdict redirects: release_sock and the hand-off to the target, as for a redirect of this actor's own.</summary>
    private void OnVerdictRedirect(VerdictRedirect v)
    {
        _verdictRedirects.Add(v.CorrelationId);
        SendRedirect(v.CorrelationId, v.TargetId, v.Ingress, v.Segments, v.Flags);
    }

    /// <summary>The target answered the verdict's redirect: lock_sock (now, or when its turn comes), then the reply
    /// goes on to the verdict actor, the lock held on its behalf.</summary>
    private void OnVerdictRedirectReply(RedirectReply reply)
    {
        if (!_verdictRedirects.Remove(reply.CorrelationId))
            throw new InvalidOperationException($"{Describe()}: redirect reply {reply.CorrelationId} answers no pending redirect");
        if (!_lock.TryEnter("redirect reply"))
        {
            _lock.Acquire("redirect reply", () => _verdict!.Tell(reply, Self));
            return;
        }
        try
        {
            _verdict!.Tell(reply, Self);
        }
        finally
        {
            _lock.Leave();
        }
    }

    /// <summary>The verdict sleeps on this socket's wait queue; <see cref="Recheck"/> answers it by message.</summary>
    private void OnVerdictSleep(VerdictSleep v)
    {
        var w = new Sleeper { Id = _rt.NextId(), ForData = v.ForData, VerdictCorrelation = v.CorrelationId };
        Park(w, v.TimeoNs);
    }
}
