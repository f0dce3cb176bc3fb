using System.Collections.Concurrent;
using Akka.Actor;
using SockActors.Actors.Protocol;
using SockActors.Actors.Runtime;

namespace SockActors.Cluster;

/// <summary>
/// The wire's <see cref="IHostDirectory"/> of a cluster node: a segment, ACK, FIN, RST or SYN for host-N goes in a
/// <see cref="HostEnvelope"/> to the shard region, which hands it to host-N's kernel on whichever node holds it (and
/// makes the host, fresh, when no node does: a packet for a socket the fresh host does not have is answered with a
/// RST, as a rebooted machine answers).
/// </summary>
/// <remarks>
/// Packets are batched per (sending kernel, destination host): the first packet of an empty outbox queues a flush on
/// the thread pool, and the packets a kernel sends until the flush runs (a SendMsgBatch of 256 small sends is 256
/// segments) travel as one <see cref="HostMessageBatch"/>, one message across nodes instead of hundreds, as a NIC
/// sends a burst in one interrupt. Order is kept: an outbox is flushed under its lock, and Akka.Remote keeps the
/// messages of one region to another in order while both nodes live. Nothing waits for a batch to fill: a lone packet
/// leaves as soon as a pool thread runs the flush.
/// </remarks>
public sealed class ShardedHostDirectory(IActorRef region) : IHostDirectory
{
    private readonly ConcurrentDictionary<(IActorRef Sender, string HostId), Outbox> _outboxes = new();

    public bool Tell(IHostMessage message, IActorRef sender)
    {
        if (!HostId.TryParse(message.HostId, out _)) return false; // not a host the cluster can place: the sender gets a RST
        var box = _outboxes.GetOrAdd((sender, message.HostId), key => new Outbox(region, key.HostId, key.Sender));
        box.Add(message);
        return true;
    }

    private sealed class Outbox(IActorRef region, string hostId, IActorRef sender) : IThreadPoolWorkItem
    {
        private List<object> _pending = new();
        private bool _scheduled;

        public void Add(IHostMessage message)
        {
            lock (this)
            {
                _pending.Add(message);
                if (_scheduled) return;
                _scheduled = true;
            }
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }

        public void Execute()
        {
            lock (this)
            {
                var batch = _pending;
                _pending = new List<object>(batch.Count);
                _scheduled = false;
                region.Tell(new HostEnvelope(hostId, batch.Count == 1 ? batch[0] : new HostMessageBatch(batch)), sender);
            }
        }
    }
}
