using Akka.Actor;
using SockActors.Cluster.Load;
using SockActors.Model.Scenarios;

namespace SockActors.Cluster.Tests;

/// <summary>Connections between hosts on different nodes of a cluster carry the bytes of SK_MSG programs on the sending
/// host exactly as between hosts of one actor system: same return codes, same bytes, same order.</summary>
public sealed class WireAcrossNodesTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static readonly (string Name, ProgramSpec Spec)[] Programs =
    [
        ("pass", new ProgramSpec()),
        ("redirect", new ProgramSpec { Action = ScenarioAction.Redirect, RedirectKey = 1 }),
        ("redirect-apply", new ProgramSpec { Action = ScenarioAction.Redirect, RedirectKey = 1, Apply = 100 }),
        ("pass-cork", new ProgramSpec { Cork = 500 }),
    ];

    private static readonly int[] Sends = [1, 64, 300, 4096, 70_000, 10, 200_000];

    [Fact]
    public async Task Bytes_between_hosts_on_different_nodes_arrive_exactly_as_between_hosts_of_one_node()
    {
        var expected = new Dictionary<string, string>();
        using (var single = ActorSystem.Create("single", "akka.loglevel = WARNING"))
        {
            var hosts = new LocalHosts(single, Timeout);
            int h = 0;
            foreach (var (name, spec) in Programs)
                expected[name] = await WireRig.RunAsync(hosts, HostId.Of(++h), HostId.Of(++h), spec, Sends, Timeout);
            await single.Terminate().WaitAsync(Timeout);
        }

        await using var cluster = await LocalCluster.StartAsync(3);
        int next = 100;
        foreach (var (name, spec) in Programs)
        {
            // A sender and a receiver on different nodes, asked from the third.
            string sender = HostId.Of(++next);
            await cluster.Hosts(0).StartAsync(sender, Timeout);
            int senderNode = await cluster.NodeOfAsync(sender);
            string receiver;
            int receiverNode;
            do
            {
                receiver = HostId.Of(++next);
                await cluster.Hosts(0).StartAsync(receiver, Timeout);
                receiverNode = await cluster.NodeOfAsync(receiver);
            }
            while (receiverNode == senderNode);
            var third = cluster.Hosts(3 - senderNode - receiverNode);
            string actual = await WireRig.RunAsync(third, sender, receiver, spec, Sends, Timeout);
            Assert.Equal(expected[name], actual);
        }
    }
}
