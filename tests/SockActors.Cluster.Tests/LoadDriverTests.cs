using Akka.Actor;
using SockActors.Cluster.Load;

namespace SockActors.Cluster.Tests;

/// <summary>The load's sidecar workload, on one node and on a sharded cluster: it sends, and every accepted byte is
/// found again (delivered, corked or purged at close), and the checked streams arrive exactly as sent.</summary>
public sealed class LoadDriverTests
{
    private static readonly LoadOptions Small = new() { Hosts = 4, Sockets = 64, Duration = TimeSpan.FromSeconds(1), Batch = 16 };

    [Fact]
    public async Task The_sidecar_workload_on_one_node_accounts_for_every_accepted_byte()
    {
        using var system = ActorSystem.Create("load", "akka.loglevel = WARNING");
        try
        {
            var result = await new LoadDriver(new LocalHosts(system, TimeSpan.FromSeconds(10)), Small).RunAsync(1, CancellationToken.None)
                .WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(result.Sends > 0);
            Assert.True(result.Delivered > 0);
            Assert.True(result.CrossHostSends > 0, "proxies send to the next host's proxy over the wire");
            Assert.True(result.Purged > 0, "even hosts close their egress reader unread at the end");
            Assert.Equal(0, result.Mismatches);
            Assert.True(result.Conserved, $"accepted {result.Accepted} = delivered {result.Delivered} + corked {result.Corked} + purged {result.Purged}?");
        }
        finally
        {
            await system.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public async Task The_sidecar_workload_on_three_nodes_accounts_for_every_accepted_byte()
    {
        await using var cluster = await LocalCluster.StartAsync(3);
        var result = await new LoadDriver(cluster.Hosts(0), Small).RunAsync(3, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(result.Sends > 0);
        Assert.True(result.CrossHostSends > 0, "proxies send to the next host's proxy over the wire");
        Assert.Equal(0, result.Mismatches);
        Assert.True(result.Conserved, $"accepted {result.Accepted} = delivered {result.Delivered} + corked {result.Corked} + purged {result.Purged}?");
    }
}
