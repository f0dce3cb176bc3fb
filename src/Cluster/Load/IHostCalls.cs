using Akka.Actor;
using SockActors.Actors;
using SockActors.Actors.Protocol;

namespace SockActors.Cluster.Load;

/// <summary>Where the load sends its requests: hosts by id, sharded over a cluster (<see cref="ClusterHosts"/>) or all
/// in one actor system (<see cref="LocalHosts"/>). The same workload runs on both, message for message.</summary>
public interface IHostCalls
{
    Task<T> AskAsync<T>(string hostId, ISockActorsRequest message, TimeSpan? timeout = null, CancellationToken ct = default);
}

/// <summary>
/// Hosts of one actor system without a cluster: host-N is a kernel made by the kernel manager on first use, with the
/// kernel seed a sharded host-N gets, so the single-node run of the load is the same workload on the same machines.
/// </summary>
public sealed class LocalHosts(ActorSystem system, TimeSpan defaultTimeout) : IHostCalls
{
    private readonly Dictionary<string, Task<IActorRef>> _kernels = new(StringComparer.Ordinal);

    public async Task<T> AskAsync<T>(string hostId, ISockActorsRequest message, TimeSpan? timeout = null, CancellationToken ct = default)
    {
        var kernel = await KernelOf(hostId).ConfigureAwait(false);
        var t = timeout ?? defaultTimeout;
        object reply;
        try
        {
            reply = await kernel.Ask<object>(message, t, ct).ConfigureAwait(false);
        }
        catch (AskTimeoutException)
        {
            throw new TimeoutException($"{message.GetType().Name} to {hostId} got no reply within {t.TotalSeconds:0.###} s");
        }
        return reply switch
        {
            T r => r,
            RequestFailed f => throw new InvalidOperationException($"{hostId}: {f.Reason}"),
            _ => throw new InvalidOperationException($"{hostId}: expected {typeof(T).Name} in reply to {message.GetType().Name}, got {reply.GetType().Name}"),
        };
    }

    private Task<IActorRef> KernelOf(string hostId)
    {
        lock (_kernels)
        {
            if (!_kernels.TryGetValue(hostId, out var kernel))
                _kernels[hostId] = kernel = CreateAsync(hostId);
            return kernel;
        }
    }

    private async Task<IActorRef> CreateAsync(string hostId)
    {
        int n = HostId.Parse(hostId);
        var ext = SockActorsExtension.Get(system);
        var created = await ext.Manager.Ask<KernelCreated>(new CreateKernel("", SockActorsCluster.HostSeed(ext.Settings.Seed, n), 0, hostId), defaultTimeout).ConfigureAwait(false);
        return created.Kernel;
    }
}
