using Akka.Actor;
using SockActors.Actors.Protocol;
using SockActors.Model.Msg;
using SockActors.Model.Net;

namespace SockActors.Actors.Actors;

// The redirect, both sides. Sender: the model's verdict released the socket lock (release_sock before
// tcp_bpf_sendmsg_redir) and awaits the target's outcome; this actor sends the page ranges to the target's actor and,
// once the reply is there and the lock is its again (lock_sock), resumes the model. Target: takes its own lock and runs
// the model's tcp_bpf_sendmsg_redir on its socket (which may itself sleep for buffer space) and answers.
public sealed partial class SocketActor
{
    private readonly Dictionary<long, Resumable<RedirectOutcome>> _redirects = new();
    private readonly Stack<Resumable<RedirectOutcome>> _redirectPool = new();

    /// <summary>Called by the model (through <see cref="Runtime.ActorEnvironment"/>) during this actor's turn.</summary>
    internal ValueTask<RedirectOutcome> BeginRedirect(Sock target, bool ingress, RedirectSegments segments, int flags)
    {
        long id = _rt.NextId();
        var r = Resumable<RedirectOutcome>.Rent(_redirectPool);
        _redirects.Add(id, r);
        SendRedirect(id, target.Id, ingress, segments, flags);
        return r.Task;
    }

    /// <summary>release_sock, then the ranges go to the target's actor; its reply comes back with <paramref name="id"/>.</summary>
    private void SendRedirect(long id, int targetId, bool ingress, RedirectSegments segments, int flags)
    {
        if (!_rt.SocketRefs.TryGetValue(targetId, out var targetRef))
            throw new InvalidOperationException($"redirect target socket {targetId} has no actor in kernel {_rt.KernelId}");
        targetRef.Tell(new RedirectRequest(id, targetId, ingress, segments, flags), Self);
        _lock.Release();
    }

    private void OnRedirectReply(RedirectReply reply)
    {
        if (!_redirects.Remove(reply.CorrelationId, out var r))
        {
            OnVerdictRedirectReply(reply);
            return;
        }
        var outcome = new RedirectOutcome(reply.Ret, reply.Sent);
        if (!_lock.TryEnter("redirect reply"))
        {
            _lock.Acquire("redirect reply", () => r.Complete(outcome));
            return;
        }
        try
        {
            r.Complete(outcome);
        }
        finally
        {
            _lock.Leave();
        }
    }

    private void OnRedirectRequest(RedirectRequest req, IActorRef replyTo)
    {
        if (!_lock.TryEnter("redirect in"))
        {
            _lock.Acquire("redirect in", () => RunRedirect(req, replyTo));
            return;
        }
        try
        {
            RunRedirect(req, replyTo);
        }
        finally
        {
            _lock.Leave();
        }
    }

    private void RunRedirect(RedirectRequest req, IActorRef replyTo)
    {
        ValueTask<RedirectOutcome> pending;
        try
        {
            pending = TcpBpf.SendMsgRedirAsync(Sock, req.Ingress, req.Segments, req.Flags);
        }
        catch (Exception e)
        {
            Fault(req, replyTo, e);
            return;
        }
        if (pending.IsCompletedSuccessfully)
        {
            var o = pending.Result;
            replyTo.Tell(new RedirectReply(req.CorrelationId, o.Ret, o.Sent), Self);
            _lock.Release();
        }
        else
        {
            _ = AwaitRedirect(pending, req, replyTo);
        }
    }

    private async Task AwaitRedirect(ValueTask<RedirectOutcome> pending, RedirectRequest req, IActorRef replyTo)
    {
        try
        {
            var o = await pending;
            replyTo.Tell(new RedirectReply(req.CorrelationId, o.Ret, o.Sent), Self);
            _lock.Release();
        }
        catch (Exception e)
        {
            Fault(req, replyTo, e);
        }
    }
}
