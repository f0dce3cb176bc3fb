using Akka.Actor;
using Akka.Event;
using SockActors.Actors;
using SockActors.Actors.Actors;
using SockActors.Actors.Runtime;
using SockActors.Model.Kernel;
using SockActors.Model.Net;

namespace SockActors.Cluster;

/// <summary>
/// The sharding entity of one simulated host (/system/sharding/sockactors-host/&lt;shard&gt;/host-N): it owns the host's
/// kernel actor (its child "kernel") and hands it every message with the original sender, unpacking the batches of
/// packets that <see cref="ShardedHostDirectory"/> sends (each packet in order). It runs on the host's strand, like
/// the kernel. A kernel stopped by a simulator fault stops the host; sharding makes it again, empty, at its next
/// message, as a machine reboots.
/// </summary>
public sealed class HostActor : UntypedActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IActorRef _kernel;

    public HostActor(string hostId, SockActorsSettings settings, ProgramCatalog catalog)
    {
        int n = HostId.Parse(hostId);
        // Socket ids start at a multiple of 2^20 (SimKernel.SockIdBase) that names this incarnation: an incarnation's
        // handles and packets are not taken for another's. The base is derived from the node's address and how many
        // times this node has made this host (no unseeded randomness); two incarnations share one with a chance of 1 in
        // 2,047. It changes no byte, return code or order, only which numbers name the sockets.
        var kernel = new SimKernel(KernelProfile.Parse(settings.Profile), SockActorsCluster.HostSeed(settings.Seed, n))
        {
            SockIdBase = IncarnationBase(((ExtendedActorSystem)Context.System).Provider.DefaultAddress.ToString(), hostId),
        };
        _kernel = Context.ActorOf(KernelActor.Props(n, kernel, settings, settings.InterleavingSeed, catalog), "kernel");
        Context.Watch(_kernel);
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> Incarnations = new();

    /// <summary>The socket id base of the next incarnation of <paramref name="hostId"/> on the node at
    /// <paramref name="nodeAddress"/>: FNV-1a of (address, host, this node's count of its incarnations), as a multiple of
    /// 2^20 from 2^20 to 2047 * 2^20.</summary>
    internal static int IncarnationBase(string nodeAddress, string hostId)
    {
        int count = Incarnations.AddOrUpdate(nodeAddress + "|" + hostId, 1, (_, c) => c + 1);
        ulong h = Model.Scenarios.Fnv1a.Hash(System.Text.Encoding.UTF8.GetBytes($"{nodeAddress}|{hostId}|{count}"));
        return (int)(h % 2047 + 1) << 20;
    }

    /// <summary>Props of host <paramref name="hostId"/> on the kernel dispatcher (a strand per host).</summary>
    public static Props Props(string hostId, SockActorsSettings settings, ProgramCatalog catalog) =>
        Akka.Actor.Props.Create<HostActor>(hostId, settings, catalog).WithDispatcher(settings.KernelDispatcher);

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(e =>
    {
        _log.Error(e, "host stopped after a simulator fault: {0}", e.Message);
        return Directive.Stop;
    });

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case HostMessageBatch batch:
                foreach (var m in batch.Messages) _kernel.Tell(m, Sender);
                break;
            case Terminated t when t.ActorRef.Equals(_kernel):
                Context.Stop(Self);
                break;
            default:
                _kernel.Forward(message);
                break;
        }
    }
}

/// <summary>Packets for one host from one sender, in the order they were sent: one message across nodes instead of
/// one per packet (see <see cref="ShardedHostDirectory"/>).</summary>
public sealed record HostMessageBatch(IReadOnlyList<object> Messages);
