using SockActors.Model.Msg;
using SockActors.Model.Net;

namespace SockActors.Actors.Runtime;

/// <summary>
/// The actor runtime's answer to the model's two suspension points. Both are handed to the socket actor whose turn is
/// running: a redirect becomes a <see cref="Protocol.RedirectRequest"/> to the target's actor (the target's side of
/// tcp_bpf_sendmsg_redir runs there) and a wait for memory becomes a waiter that a <see cref="Protocol.WriteSpace"/>
/// or an SO_SNDTIMEO deadline on virtual time ends. The model's awaits resume when the actor completes them.
/// </summary>
internal sealed class ActorEnvironment(KernelRuntime runtime) : ISockEnvironment
{
    public ValueTask<RedirectOutcome> SendMsgRedirAsync(Sock target, bool ingress, RedirectSegments segments, int flags)
        => Current(null).BeginRedirect(target, ingress, segments, flags);

    public ValueTask<long> WaitForMemoryAsync(Sock sk, long timeoNs) => Current(sk).BeginWait(timeoNs);

    private Actors.SocketActor Current(Sock? sk)
    {
        var cur = runtime.Current
                  ?? throw new InvalidOperationException("the model's send path ran outside a socket actor's turn: simulator bug");
        if (sk is not null && !ReferenceEquals(cur.Sock, sk))
            throw new InvalidOperationException($"{sk.Name} waits for memory during {cur.Sock.Name}'s turn: simulator bug");
        return cur;
    }
}
