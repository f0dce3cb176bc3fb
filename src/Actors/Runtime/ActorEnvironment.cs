using SockActors.Actors.Protocol;
using SockActors.Model.Msg;
using SockActors.Model.Net;

namespace SockActors.Actors.Runtime;

/// <summary>
/// The actor runtime's answer to the model's suspension points, handed to the socket actor whose turn is running: a
/// redirect becomes a <see cref="RedirectRequest"/> to the target's actor (the target's side of tcp_bpf_sendmsg_redir
/// runs there); the verdict (tcp_bpf_send_verdict) becomes a <see cref="RunVerdict"/> to the socket's verdict actor; a sleep (for memory, for data) parks the call in the socket actor and releases its socket lock; a
/// wake-up of a socket's wait queue becomes a <see cref="WakeUp"/> to that socket's actor. The model's steps decide
/// whether a call sleeps and when a sleep ends; the actors only carry it.
/// </summary>
internal sealed class ActorEnvironment(KernelRuntime runtime) : ISockEnvironment
{
    public ValueTask<RedirectOutcome> SendMsgRedirAsync(Sock target, bool ingress, RedirectSegments segments, int flags)
        => Current(null).BeginRedirect(target, ingress, segments, flags);

    public ValueTask<int> SendVerdictAsync(SendVerdictCall call) =>
        runtime.Settings.VerdictActors ? Current(call.Sk).BeginVerdict(call) : call.RunAsync();

    public ValueTask<long> WaitForMemoryAsync(Sock sk, long timeoNs)
        => sk.StreamWaitMemoryStep(timeoNs) is long r ? ValueTask.FromResult(r) : Current(sk).Sleep(forData: false, timeoNs);

    public ValueTask<long> WaitForDataAsync(Sock sk, long timeoNs)
        => sk.WaitDataStep(timeoNs) is long r ? ValueTask.FromResult(r) : Current(sk).Sleep(forData: true, timeoNs);

    public void Wake(Sock sk)
    {
        if (runtime.SocketRefs.TryGetValue(sk.Id, out var a)) a.Tell(new WakeUp(sk.Id), runtime.KernelActor);
    }

    private IModelCallHost Current(Sock? sk)
    {
        var cur = runtime.Current
                  ?? throw new InvalidOperationException("the model's send path ran outside a socket actor's turn: simulator bug");
        if (sk is not null && !ReferenceEquals(cur.Sock, sk))
            throw new InvalidOperationException($"{sk.Name} sleeps during {cur.Sock.Name}'s turn: simulator bug");
        return cur;
    }
}
