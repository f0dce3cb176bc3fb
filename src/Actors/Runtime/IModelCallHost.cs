using SockActors.Model.Msg;
using SockActors.Model.Net;

namespace SockActors.Actors.Runtime;

/// <summary>
/// The actor whose turn is running the model's code for a socket (its socket actor, or its verdict actor): where
/// <see cref="ActorEnvironment"/> sends the model's suspension points. Each turns them into messages and resumes the
/// model inside one of its own turns.
/// </summary>
internal interface IModelCallHost
{
    /// <summary>The socket whose code runs.</summary>
    Sock Sock { get; }

    /// <summary>tcp_bpf_sendmsg_redir: the sender's lock is released and the target's side runs in its actor.</summary>
    ValueTask<RedirectOutcome> BeginRedirect(Sock target, bool ingress, RedirectSegments segments, int flags);

    /// <summary>A sleep on the socket's wait queue (the model's step said so); the lock is released meanwhile.</summary>
    ValueTask<long> Sleep(bool forData, long timeoNs);

    /// <summary>tcp_bpf_send_verdict, run by the socket's verdict actor.</summary>
    ValueTask<int> BeginVerdict(SendVerdictCall call);
}
