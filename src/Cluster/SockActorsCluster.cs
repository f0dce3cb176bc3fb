using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Configuration;
using SockActors.Actors;
using SockActors.Actors.Actors;
using SockActors.Model.Kernel;
using SockActors.Model.Net;

namespace SockActors.Cluster;

/// <summary>
/// Simulated hosts sharded across the cluster: each host ("host-N") is one kernel actor, an Akka.Cluster.Sharding
/// entity made on whichever node its shard lives, and made again (fresh, as a rebooted machine) on a survivor when
/// its node is lost. Get it with <c>SockActorsCluster.Get(system)</c> on every node of an actor system whose provider
/// is cluster; it injects reference.conf (the kernel-strand dispatcher learns the sharded hosts' paths) before the
/// SockActors extension starts, and starts the region (a proxy on a node without sockactors.cluster.role).
/// </summary>
public sealed class SockActorsCluster : IExtension
{
    public SockActorsCluster(ExtendedActorSystem system)
    {
        system.Settings.InjectTopLevelFallback(DefaultConfig());
        system.Settings.InjectTopLevelFallback(ClusterSharding.DefaultConfig());
        var config = system.Settings.Config.GetConfig("sockactors.cluster");
        TypeName = config.GetString("type-name", "sockactors-host");
        var sockActors = SockActorsExtension.Get(system);
        // The SockActors extension injects its reference.conf as the newest fallback, so the hosts' strand path must
        // be in the node's own configuration (ClusterNodeConfig puts it there); without it a host's actors would run on
        // the pool one actor at a time instead of one host at a time, and the kernel would stop at its first overlap.
        string hostsPath = HostsStrandPath(TypeName);
        var keyParents = system.Settings.Config.GetValue("sockactors.dispatchers.kernel-strand.strand-key-parent");
        if (keyParents is null || !keyParents.IsArray() || !keyParents.GetStringList().Contains(hostsPath))
            throw new ConfigurationException(
                $"sockactors.dispatchers.kernel-strand.strand-key-parent must list \"{hostsPath}\" on a node with sharded hosts " +
                "(each host is a strand of its own); ClusterNodeConfig.Create writes it");
        // Serialization read its bindings when the system started: bind the envelope here when the configuration did not.
        if (system.Serialization.FindSerializerForType(typeof(HostEnvelope)) is not HostEnvelopeSerializer)
        {
            var serializer = new HostEnvelopeSerializer(system);
            system.Serialization.AddSerializer("sockactors-host-envelope", serializer);
            system.Serialization.AddSerializationMap(typeof(HostEnvelope), serializer);
        }
        if (system.Serialization.FindSerializerForType(typeof(HeapMeasured)) is not NodeMessageSerializer)
        {
            var serializer = new NodeMessageSerializer(system);
            system.Serialization.AddSerializer("sockactors-node", serializer);
            system.Serialization.AddSerializationMap(typeof(INodeMessage), serializer);
        }
        ShardCount = config.GetInt("shard-count", 30);
        if (ShardCount < 1) throw new ConfigurationException($"sockactors.cluster.shard-count must be at least 1, not {ShardCount}");
        AskTimeout = config.GetTimeSpan("ask-timeout", TimeSpan.FromSeconds(10));
        string role = config.GetString("role", "");
        var settings = sockActors.Settings;
        var catalog = sockActors.Programs;
        var sharding = ClusterSharding.Get(system);
        var extractor = new HostMessageExtractor(ShardCount);
        var cluster = Akka.Cluster.Cluster.Get(system);
        HostsHere = role.Length == 0 || cluster.SelfRoles.Contains(role);
        Region = HostsHere
            ? sharding.Start(TypeName, entityId => HostProps(entityId, settings, catalog),
                ClusterShardingSettings.Create(system).WithRole(role.Length == 0 ? null : role), extractor)
            : sharding.StartProxy(TypeName, role.Length == 0 ? null! : role, extractor);
        Hosts = new ClusterHosts(Region, AskTimeout);
        // The wire between hosts (docs/wire.md) reaches other hosts through the region, on any node.
        sockActors.HostDirectory = new ShardedHostDirectory(Region);
    }

    /// <summary>Sharding type name of the hosts (sockactors.cluster.type-name).</summary>
    public string TypeName { get; }

    public int ShardCount { get; }

    public TimeSpan AskTimeout { get; }

    /// <summary>Whether this node holds hosts (it has sockactors.cluster.role, or the role is empty).</summary>
    public bool HostsHere { get; }

    /// <summary>The shard region (or proxy): send it <see cref="HostEnvelope"/>s.</summary>
    public IActorRef Region { get; }

    /// <summary>Typed calls to sharded hosts.</summary>
    public ClusterHosts Hosts { get; }

    /// <summary>A host entity (<see cref="HostActor"/>): the kernel of host-N, with kernel id N and a random seed derived
    /// from N, so a host made again after a crash starts as the same machine does after a reboot (empty, same identity).</summary>
    private static Props HostProps(string entityId, SockActorsSettings settings, Actors.Runtime.ProgramCatalog catalog) =>
        HostActor.Props(entityId, settings, catalog);

    /// <summary>The random seed of host-<paramref name="n"/>'s kernel: derived from sockactors.seed and the host number, so
    /// every incarnation of a host, on any node, and the same host of a single-node run start alike.</summary>
    public static long HostSeed(long seed, int n) => seed * 1_000_003 + n;

    /// <summary>The strand-key-parent entry of a hosts' type name: a host entity and its sockets are one strand.</summary>
    public static string HostsStrandPath(string typeName) => $"/system/sharding/{typeName}/*";

    /// <summary>The library's embedded reference.conf.</summary>
    public static Config DefaultConfig()
    {
        using var s = typeof(SockActorsCluster).Assembly.GetManifestResourceStream("SockActors.Cluster.reference.conf")
                      ?? throw new InvalidOperationException("SockActors.Cluster.reference.conf is not embedded");
        using var r = new StreamReader(s);
        return ConfigurationFactory.ParseString(r.ReadToEnd());
    }

    public static SockActorsCluster Get(ActorSystem system) => system.WithExtension<SockActorsCluster, SockActorsClusterProvider>();
}

public sealed class SockActorsClusterProvider : ExtensionIdProvider<SockActorsCluster>
{
    public override SockActorsCluster CreateExtension(ExtendedActorSystem system) => new(system);
}
