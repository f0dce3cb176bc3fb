using Akka.Cluster.Sharding;

namespace SockActors.Cluster;

/// <summary>
/// Routes <see cref="HostEnvelope"/>s: the entity id is the host id, the shard is a hash of it over
/// sockactors.cluster.shard-count shards, and the entity gets the inner message (sharding's own StartEntity is
/// handled by the base class).
/// </summary>
public sealed class HostMessageExtractor(int shardCount) : HashCodeMessageExtractor(shardCount)
{
    public override string? EntityId(object message) => message is HostEnvelope e ? e.HostId : null;

    public override object? EntityMessage(object message) => message is HostEnvelope e ? e.Message : message;
}
