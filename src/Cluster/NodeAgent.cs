using Akka.Actor;
using Akka.Serialization;
using MessagePack;

namespace SockActors.Cluster;

/// <summary>Marker of the messages between a load driver and the node agents (bound to <see cref="NodeMessageSerializer"/>).</summary>
public interface INodeMessage;

/// <summary>Asks a node for its managed heap after a full collection. Reply: <see cref="HeapMeasured"/>.</summary>
[MessagePackObject]
public sealed record MeasureHeap : INodeMessage
{
    public static MeasureHeap Instance { get; } = new();
}

/// <summary>A node's managed heap in bytes after a full, compacting collection.</summary>
[MessagePackObject]
public sealed record HeapMeasured([property: Key(0)] long HeapBytes) : INodeMessage;

/// <summary>
/// /user/sockactors-node on every node that holds hosts: answers questions about the node itself that no host can
/// answer (its heap, for the load's bytes per idle socket). Measuring forces a full collection, so it is asked only
/// between the phases of a run.
/// </summary>
public sealed class NodeAgent : ReceiveActor
{
    public const string Name = "sockactors-node";

    public NodeAgent()
    {
        Receive<MeasureHeap>(_ =>
        {
            System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            Sender.Tell(new HeapMeasured(GC.GetTotalMemory(false)));
        });
    }

}

public static class NodeAgents
{
    /// <summary>Starts the agent of this node at /user/sockactors-node.</summary>
    public static IActorRef Start(ActorSystem system) => system.ActorOf(Props.Create<NodeAgent>(), NodeAgent.Name);
}

/// <summary>MessagePack for <see cref="INodeMessage"/>s; the manifest is the type's name.</summary>
public sealed class NodeMessageSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int SerializerId = 7333;

    private static readonly Dictionary<string, Type> Types = new()
    {
        [nameof(MeasureHeap)] = typeof(MeasureHeap),
        [nameof(HeapMeasured)] = typeof(HeapMeasured),
    };

    public override int Identifier => SerializerId;

    public override string Manifest(object o) => o.GetType().Name;

    public override byte[] ToBinary(object obj) => obj is MeasureHeap ? [] : MessagePackSerializer.Serialize(obj.GetType(), obj);

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (manifest == nameof(MeasureHeap)) return MeasureHeap.Instance;
        return Types.TryGetValue(manifest, out var type)
            ? MessagePackSerializer.Deserialize(type, bytes, MessagePackSerializerOptions.Standard.WithSecurity(MessagePackSecurity.UntrustedData))!
            : throw new System.Runtime.Serialization.SerializationException($"{nameof(NodeMessageSerializer)}: unknown manifest '{manifest}'");
    }
}
