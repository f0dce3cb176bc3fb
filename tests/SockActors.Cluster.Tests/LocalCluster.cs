using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Configuration;
using SockActors.Cluster;

namespace SockActors.Cluster.Tests;

/// <summary>
/// A cluster of <c>n</c> actor systems in this process, on 127.0.0.1 with free ports: the first joins itself, the
/// others join it; ready when every member is Up and the shard coordinator knows every node's region (so new hosts are
/// placed on all nodes). Every wait has a timeout; disposing terminates all systems.
/// </summary>
internal sealed class LocalCluster : IAsyncDisposable
{
    private static readonly TimeSpan FormTimeout = TimeSpan.FromSeconds(30);

    private LocalCluster(ActorSystem[] nodes) => Nodes = nodes;

    public ActorSystem[] Nodes { get; }

    public ClusterHosts Hosts(int node) => SockActorsCluster.Get(Nodes[node]).Hosts;

    public static async Task<LocalCluster> StartAsync(int n, string extraConfig = "")
    {
        var nodes = new List<ActorSystem>();
        try
        {
            for (int i = 0; i < n; i++)
            {
                var config = ConfigurationFactory.ParseString(extraConfig).WithFallback(ClusterNodeConfig.Create("127.0.0.1", 0, []));
                var system = ActorSystem.Create("sockactors", config);
                nodes.Add(system);
                SockActorsCluster.Get(system);
            }
            var seed = Akka.Cluster.Cluster.Get(nodes[0]).SelfAddress;
            foreach (var s in nodes) Akka.Cluster.Cluster.Get(s).Join(seed);
            var cluster = new LocalCluster(nodes.ToArray());
            await cluster.WaitFormedAsync(n);
            return cluster;
        }
        catch
        {
            await Task.WhenAll(nodes.Select(s => s.Terminate().WaitAsync(TimeSpan.FromSeconds(10))));
            throw;
        }
    }

    private async Task WaitFormedAsync(int n)
    {
        using var cts = new CancellationTokenSource(FormTimeout);
        while (true)
        {
            cts.Token.ThrowIfCancellationRequested();
            bool up = Nodes.All(s => Akka.Cluster.Cluster.Get(s).State.Members.Count(m => m.Status == Akka.Cluster.MemberStatus.Up) == n);
            if (up)
            {
                try
                {
                    var regions = await SockActorsCluster.Get(Nodes[0]).Region.Ask<CurrentRegions>(GetCurrentRegions.Instance, TimeSpan.FromSeconds(2), cts.Token);
                    if (regions.Regions.Count == n) return;
                }
                catch (AskTimeoutException)
                {
                    // The coordinator is not up yet.
                }
            }
            await Task.Delay(100, cts.Token);
        }
    }

    /// <summary>The node (index) whose region holds <paramref name="hostId"/> now.</summary>
    public async Task<int> NodeOfAsync(string hostId)
    {
        for (int i = 0; i < Nodes.Length; i++)
        {
            var state = await SockActorsCluster.Get(Nodes[i]).Region.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, TimeSpan.FromSeconds(5));
            if (state.Shards.Any(s => s.EntityIds.Contains(hostId))) return i;
        }
        return -1;
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(Nodes.Select(async s =>
        {
            try
            {
                await s.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (TimeoutException)
            {
                // A node that does not stop in time is left to the process's end; the test has its result.
            }
        }));
    }
}
