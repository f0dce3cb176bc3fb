using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using SockActors.Cluster;
using SockActors.Cluster.Load;

namespace SockActors.Host.Load;

/// <summary>Where `load` runs: node processes it starts, or a cluster it joins.</summary>
public sealed record LoadCluster(int Nodes, string? Join, string Hostname, int Port, double? KillNodeAt, TimeSpan FormTimeout);

/// <summary>
/// One `sockactors load` run: the driver joins the cluster as a member without hosts (it starts the node processes
/// first when asked to, with itself as their seed), waits until every node's shard region is known, runs the
/// workload through the shard region proxy and, with --kill-node-at, kills the last node process mid-run. Node
/// processes are stopped (or killed) whatever happens.
/// </summary>
public static class LoadRun
{
    public static LoadResult RunCluster(LoadCluster where, LoadOptions options, Action<LoadProgress>? progress, CancellationToken ct)
    {
        var seeds = where.Join is { } join ? [join] : Array.Empty<string>();
        // The driver's own actor system logs nothing: what the run has to say is its figures and its one-line errors.
        var system = ClusterNodes.StartSystem(where.Hostname, where.Port, seeds, ClusterNodes.DriverRole, "akka.loglevel = OFF\nakka.stdout-loglevel = OFF");
        var nodes = new List<NodeProcess>();
        try
        {
            var cluster = Akka.Cluster.Cluster.Get(system);
            string self = cluster.SelfAddress.ToString();
            int expected;
            if (where.Join is null)
            {
                cluster.Join(cluster.SelfAddress);
                // Started side by side (each waits for its own address line); all are stopped below if one fails.
                var starting = Enumerable.Range(1, where.Nodes)
                    .Select(i => Task.Run(() => ClusterNodes.StartProcess(i, where.Hostname, self, where.FormTimeout), ct)).ToArray();
                try
                {
                    Task.WaitAll(starting, ct);
                }
                catch (AggregateException e)
                {
                    foreach (var t in starting.Where(t => t.IsCompletedSuccessfully)) nodes.Add(t.Result);
                    throw e.InnerExceptions.OfType<HostException>().FirstOrDefault() ?? e.InnerExceptions[0];
                }
                nodes.AddRange(starting.Select(t => t.Result));
                expected = where.Nodes;
            }
            else expected = 0;
            int formed = WaitFormed(system, expected, where, ct);
            var hosts = SockActorsCluster.Get(system).Hosts;
            Timer? killer = null;
            var driver = new LoadDriver(hosts, options, c => MeasureHeapAsync(system, c), p =>
            {
                progress?.Invoke(p);
                if (where.KillNodeAt is { } at && killer is null && p.Phase == "traffic")
                {
                    // The youngest node with hosts: the oldest holds the shard coordinator, whose handover would be
                    // measured instead of the hosts' restart.
                    var youngest = cluster.State.Members.Where(m => m.HasRole(ClusterNodes.HostsRole) && m.Status == MemberStatus.Up)
                        .Aggregate((a, b) => a.IsOlderThan(b) ? b : a);
                    var victim = nodes.FirstOrDefault(n => n.Address == youngest.Address.ToString()) ?? nodes[^1];
                    killer = new Timer(_ => victim.Kill(), null, TimeSpan.FromSeconds(at), Timeout.InfiniteTimeSpan);
                }
            })
            {
                Placement = (ids, c) => PlacementAsync(system, ids, c),
            };
            try
            {
                return driver.RunAsync(formed, ct).GetAwaiter().GetResult();
            }
            finally
            {
                killer?.Dispose();
            }
        }
        finally
        {
            // The driver leaves first, then the nodes stop together (their standard input ends), killed if they linger.
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
            Task.WaitAll(nodes.Select(n => Task.Run(() => n.Stop(TimeSpan.FromSeconds(5)))).ToArray(), TimeSpan.FromSeconds(10));
            foreach (var n in nodes) n.Dispose();
        }
    }

    /// <summary>The same workload on one node: every host a kernel of one actor system in this process.</summary>
    public static LoadResult RunSingleNode(LoadOptions options, Action<LoadProgress>? progress, CancellationToken ct)
    {
        var system = ActorSystem.Create("sockactors-single", "akka.loglevel = OFF\nakka.stdout-loglevel = OFF");
        try
        {
            var driver = new LoadDriver(new LocalHosts(system, options.CallTimeout), options, _ => Task.FromResult(MeasureHeapHere()), progress);
            return driver.RunAsync(1, ct).GetAwaiter().GetResult();
        }
        finally
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>Waits until the cluster has its host nodes (all <paramref name="expected"/>, or at least one when joining)
    /// and the shard coordinator knows their regions; a one-line error after the timeout.</summary>
    private static int WaitFormed(ActorSystem system, int expected, LoadCluster where, CancellationToken ct)
    {
        var cluster = Akka.Cluster.Cluster.Get(system);
        var region = SockActorsCluster.Get(system).Region;
        var clock = Stopwatch.StartNew();
        int up = 0, regions = 0;
        while (clock.Elapsed < where.FormTimeout)
        {
            ct.ThrowIfCancellationRequested();
            up = cluster.State.Members.Count(m => m.Status == MemberStatus.Up && m.HasRole(ClusterNodes.HostsRole));
            bool selfUp = cluster.State.Members.Any(m => m.Address == cluster.SelfAddress && m.Status == MemberStatus.Up);
            if (selfUp && up > 0 && (expected == 0 || up == expected))
            {
                try
                {
                    regions = region.Ask<CurrentRegions>(GetCurrentRegions.Instance, TimeSpan.FromSeconds(2)).GetAwaiter().GetResult().Regions.Count;
                    if (regions >= up) return up;
                }
                catch (AskTimeoutException)
                {
                    // The coordinator is not up yet.
                }
            }
            Thread.Sleep(100);
        }
        if (where.Join is { } join && up == 0)
            throw new HostException($"--join {join}: no node with hosts answered within {where.FormTimeout.TotalSeconds:0} s");
        throw new HostException($"the cluster did not form within {where.FormTimeout.TotalSeconds:0} s ({up} of {(expected == 0 ? "some" : expected.ToString())} nodes up, {regions} shard regions)");
    }

    /// <summary>Which node holds each host now: the coordinator's shards per region (ClusterShardingStats), and each
    /// host's shard by the extractor's hash.</summary>
    private static async Task<IReadOnlyDictionary<string, string>> PlacementAsync(ActorSystem system, IReadOnlyCollection<string> hostIds, CancellationToken ct)
    {
        var ext = SockActorsCluster.Get(system);
        var stats = await ext.Region.Ask<ClusterShardingStats>(new GetClusterShardingStats(TimeSpan.FromSeconds(5)), TimeSpan.FromSeconds(10), ct);
        var nodeOfShard = new Dictionary<string, string>();
        foreach (var (address, region) in stats.Regions)
            foreach (var shard in region.Stats.Keys) nodeOfShard[shard] = address.ToString();
        var extractor = new HostMessageExtractor(ext.ShardCount);
        var result = new Dictionary<string, string>();
        foreach (var id in hostIds)
            if (nodeOfShard.TryGetValue(extractor.ShardId(id, null)!, out var node)) result[id] = node;
        return result;
    }

    /// <summary>The heap of every node with hosts, summed (each after a full collection).</summary>
    private static async Task<long> MeasureHeapAsync(ActorSystem system, CancellationToken ct)
    {
        var members = Akka.Cluster.Cluster.Get(system).State.Members.Where(m => m.Status == MemberStatus.Up && m.HasRole(ClusterNodes.HostsRole)).ToList();
        var heaps = await Task.WhenAll(members.Select(m =>
            system.ActorSelection(new RootActorPath(m.Address) / "user" / NodeAgent.Name).Ask<HeapMeasured>(MeasureHeap.Instance, TimeSpan.FromSeconds(30), ct)));
        return heaps.Sum(h => h.HeapBytes);
    }

    private static long MeasureHeapHere()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(false);
    }
}
