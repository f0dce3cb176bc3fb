using Akka.Actor;
using SockActors.Actors.Protocol;
using SockActors.Actors.Runtime;

namespace SockActors.Cluster;

/// <summary>
/// The wire's <see cref="IHostDirectory"/> of a cluster node: a segment, ACK, FIN, RST or SYN for host-N goes in a
/// <see cref="HostEnvelope"/> to the shard region, which hands it to host-N's kernel on whichever node holds it (and
/// makes the host, fresh, when no node does: a packet for a socket the fresh host does not have is answered with a
/// RST, as a rebooted machine answers). Akka.Remote keeps the messages of one region to another in order, so the
/// segments of a connection arrive in the order they were sent while both nodes live.
/// </summary>
public sealed class ShardedHostDirectory(IActorRef region) : IHostDirectory
{
    public bool Tell(IHostMessage message, IActorRef sender)
    {
        if (!HostId.TryParse(message.HostId, out _)) return false; // not a host the cluster can place: the sender gets a RST
        region.Tell(new HostEnvelope(message.HostId, message), sender);
        return true;
    }
}
