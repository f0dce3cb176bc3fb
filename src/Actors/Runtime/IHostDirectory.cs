using System.Collections.Concurrent;
using Akka.Actor;
using SockActors.Actors.Protocol;

namespace SockActors.Actors.Runtime;

/// <summary>
/// Where the kernels of simulated hosts are: delivers a message to the kernel of host <see cref="IHostMessage.HostId"/>,
/// from inside a kernel (called on the kernel's strand; implementations must be thread-safe, as kernels run in
/// parallel). In one process the kernel manager registers every kernel it creates (<see cref="LocalHostDirectory"/>);
/// in a cluster an implementation can hand the message to an Akka.Cluster.Sharding region whose entity id is the
/// message's HostId: every message carries its destination, and replies go to IActorRefs, so nothing else is needed.
/// </summary>
public interface IHostDirectory
{
    /// <summary>Sends <paramref name="message"/> to the kernel of its host, with <paramref name="sender"/> as the sender.
    /// False when the host is known to be unreachable (the wire then answers the sending socket as the kernel answers
    /// an unreachable peer: a RST); true when the message was handed on (delivery itself is not confirmed).</summary>
    bool Tell(IHostMessage message, IActorRef sender);
}

/// <summary>
/// The in-process <see cref="IHostDirectory"/>: host id -> kernel actor. The kernel manager registers the kernels it
/// creates (and forgets those that stop); <see cref="Register"/> adds others, e.g. kernels of another actor system
/// reached over Akka.Remote.
/// </summary>
public sealed class LocalHostDirectory : IHostDirectory
{
    private readonly ConcurrentDictionary<string, IActorRef> _hosts = new(StringComparer.Ordinal);

    /// <summary>Makes host <paramref name="hostId"/> reachable at <paramref name="kernel"/> (replacing an earlier entry).</summary>
    public void Register(string hostId, IActorRef kernel) => _hosts[hostId] = kernel;

    /// <summary>Forgets <paramref name="hostId"/> if it is still registered at <paramref name="kernel"/>.</summary>
    public void Unregister(string hostId, IActorRef kernel) => _hosts.TryRemove(new KeyValuePair<string, IActorRef>(hostId, kernel));

    /// <summary>The kernel actor of <paramref name="hostId"/>, or null.</summary>
    public IActorRef? Find(string hostId) => _hosts.GetValueOrDefault(hostId);

    /// <summary>The registered host ids.</summary>
    public IReadOnlyCollection<string> Hosts => _hosts.Keys.ToArray();

    /// <inheritdoc/>
    public bool Tell(IHostMessage message, IActorRef sender)
    {
        if (!_hosts.TryGetValue(message.HostId, out var kernel)) return false;
        kernel.Tell(message, sender);
        return true;
    }
}
