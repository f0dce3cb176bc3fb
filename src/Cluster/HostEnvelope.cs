namespace SockActors.Cluster;

/// <summary>
/// A message for the simulated host <see cref="HostId"/>, wherever the cluster placed it: the shard region routes it by
/// the id (<see cref="HostMessageExtractor"/>) and the host's kernel actor gets <see cref="Message"/> with the original
/// sender, so the reply goes straight back to the asker, across nodes. The message is any SockActors request (a socket
/// request routed by its SockId, a map or program request, Listen, Connect, ...). Serialized by
/// <see cref="HostEnvelopeSerializer"/>: the host id, then the inner message by its own Akka serializer.
/// </summary>
public sealed record HostEnvelope(string HostId, object Message);

/// <summary>A socket of a sharded host: the handle that stays valid wherever the host runs, (host, socket id). An actor
/// reference of a socket names one incarnation on one node; this names the socket.</summary>
public sealed record HostSocket(string HostId, int SockId)
{
    public override string ToString() => $"{HostId}/sk{SockId}";
}
