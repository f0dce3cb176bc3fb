using Akka.Actor;
using SockActors.Actors.Protocol;

namespace SockActors.Cluster;

/// <summary>
/// Calls to sharded hosts by id, from any node: each request travels in a <see cref="HostEnvelope"/> through the
/// shard region to the host's kernel actor, wherever it runs, and the typed reply comes straight back (the asker is a
/// temporary actor that remote nodes can reach). Every call ends: with its reply, with a <see cref="TimeoutException"/>
/// naming the host and request, or with an <see cref="InvalidOperationException"/> carrying a RequestFailed reason.
/// </summary>
public sealed class ClusterHosts(IActorRef region, TimeSpan defaultTimeout) : Load.IHostCalls
{
    /// <summary>The shard region (or proxy) the calls go through.</summary>
    public IActorRef Region => region;

    /// <summary>Places host <paramref name="hostId"/> now (its shard is allocated and the kernel made) instead of at its
    /// first message; answers when the host's kernel replied.</summary>
    public Task<KernelStats> StartAsync(string hostId, TimeSpan? timeout = null, CancellationToken ct = default)
        => AskAsync<KernelStats>(hostId, GetKernelStats.Instance, timeout, ct);

    /// <summary>Sends <paramref name="message"/> to host <paramref name="hostId"/> and returns its typed reply.</summary>
    public async Task<T> AskAsync<T>(string hostId, ISockActorsRequest message, TimeSpan? timeout = null, CancellationToken ct = default)
    {
        HostId.Parse(hostId);
        var t = timeout ?? defaultTimeout;
        object reply;
        try
        {
            reply = await region.Ask<object>(new HostEnvelope(hostId, message), t, ct).ConfigureAwait(false);
        }
        catch (AskTimeoutException)
        {
            throw new TimeoutException($"{message.GetType().Name} to {hostId} got no reply within {t.TotalSeconds:0.###} s " +
                                       "(no node holds the host's shard yet, the host's node was lost, or the call is blocked in the simulation)");
        }
        return reply switch
        {
            T r => r,
            RequestFailed f => throw new InvalidOperationException($"{hostId}: {f.Reason}"),
            _ => throw new InvalidOperationException($"{hostId}: expected {typeof(T).Name} in reply to {message.GetType().Name}, got {reply.GetType().Name}"),
        };
    }

    /// <summary>Sends without waiting for a reply (the reply, if any, goes to <paramref name="replyTo"/>).</summary>
    public void Tell(string hostId, ISockActorsRequest message, IActorRef replyTo) => region.Tell(new HostEnvelope(hostId, message), replyTo);

    /// <summary>A connected pair on one host (connect + accept), as (host, socket id) handles.</summary>
    public async Task<(HostSocket Client, HostSocket Server)> ConnectPairAsync(string hostId, string? clientName = null, string? serverName = null,
        TimeSpan? timeout = null, CancellationToken ct = default)
    {
        var c = await AskAsync<Connected>(hostId, new Connect(0, clientName, serverName), timeout, ct).ConfigureAwait(false);
        return (new HostSocket(hostId, c.ClientId), new HostSocket(hostId, c.ServerId));
    }

    /// <summary>sendmsg(2) on a socket of a sharded host: bytes accepted or -errno.</summary>
    public async Task<long> SendMsgAsync(HostSocket sock, byte[] data, int flags = 0, TimeSpan? timeout = null, CancellationToken ct = default)
        => (await AskAsync<SendResult>(sock.HostId, new SendMsg(sock.SockId, data, flags), timeout, ct).ConfigureAwait(false)).Rc;

    /// <summary>recvmsg(2), non-blocking unless <paramref name="blocking"/>.</summary>
    public Task<RecvResult> RecvAsync(HostSocket sock, int maxBytes, bool blocking = false, TimeSpan? timeout = null, CancellationToken ct = default)
        => AskAsync<RecvResult>(sock.HostId, new Recv(sock.SockId, maxBytes, false, blocking), timeout, ct);

    /// <summary>close(2); the bytes the socket lost.</summary>
    public async Task<long> CloseAsync(HostSocket sock, TimeSpan? timeout = null, CancellationToken ct = default)
        => (await AskAsync<SocketClosed>(sock.HostId, new Close(sock.SockId), timeout, ct).ConfigureAwait(false)).PurgedBytes;

    public Task<SockStats> SockStatsAsync(HostSocket sock, TimeSpan? timeout = null, CancellationToken ct = default)
        => AskAsync<SockStats>(sock.HostId, new GetSockStats(sock.SockId), timeout, ct);
}
