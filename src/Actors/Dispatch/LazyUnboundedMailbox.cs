using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;

namespace SockActors.Actors.Dispatch;

/// <summary>
/// The socket actors' mailbox: Akka's unbounded mailbox, except that its queue is made on the first message. A
/// ConcurrentQueue starts with a 32-slot segment (about 0.9 KB) at construction; most sockets of a large simulation
/// are idle and never receive a user message, so each of them would carry that segment for nothing (issue 9: heap per
/// idle socket). Order and thread-safety are the ConcurrentQueue's; the only addition is its lazy creation.
/// </summary>
public sealed class LazyUnboundedMailbox : MailboxType, IProducesMessageQueue<LazyUnboundedMessageQueue>
{
    /// <summary>Made by Akka from the mailbox's configuration section.</summary>
    /// <param name="settings">The actor system's settings.</param>
    /// <param name="config">The mailbox's section (mailbox-type only).</param>
    public LazyUnboundedMailbox(Settings settings, Config config) : base(settings, config) { }

    /// <inheritdoc />
    public override IMessageQueue Create(IActorRef owner, ActorSystem system) => new LazyUnboundedMessageQueue();
}

/// <summary>An unbounded FIFO whose ConcurrentQueue is created by the first enqueue (see <see cref="LazyUnboundedMailbox"/>).</summary>
public sealed class LazyUnboundedMessageQueue : IMessageQueue, IUnboundedMessageQueueSemantics
{
    private ConcurrentQueue<Envelope>? _queue;

    private ConcurrentQueue<Envelope> Queue
    {
        get
        {
            var q = Volatile.Read(ref _queue);
            if (q is not null) return q;
            Interlocked.CompareExchange(ref _queue, new ConcurrentQueue<Envelope>(), null);
            return _queue!;
        }
    }

    /// <inheritdoc />
    public bool HasMessages => Volatile.Read(ref _queue) is { IsEmpty: false };

    /// <inheritdoc />
    public int Count => Volatile.Read(ref _queue)?.Count ?? 0;

    /// <inheritdoc />
    public void Enqueue(IActorRef receiver, Envelope envelope) => Queue.Enqueue(envelope);

    /// <inheritdoc />
    public bool TryDequeue(out Envelope envelope)
    {
        var q = Volatile.Read(ref _queue);
        if (q is not null) return q.TryDequeue(out envelope);
        envelope = default;
        return false;
    }

    /// <inheritdoc />
    public void CleanUp(IActorRef owner, IMessageQueue deadletters)
    {
        while (TryDequeue(out var msg)) deadletters.Enqueue(owner, msg);
    }
}
