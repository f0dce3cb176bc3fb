using Akka.Actor;
using Akka.Configuration;
using SockActors.Actors;
using SockActors.Actors.Client;
using SockActors.Actors.Protocol;

namespace SockActors.Cluster.Tests;

/// <summary>Three actor systems on 127.0.0.1 in this process form a cluster; hosts are sharding entities placed on all
/// of them, reached by id from any node.</summary>
public sealed class ShardedHostTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Requests_from_any_node_reach_hosts_on_every_node_and_the_replies_come_back()
    {
        await using var cluster = await LocalCluster.StartAsync(3);
        const int hosts = 9;
        var pairs = new (HostSocket Client, HostSocket Server)[hosts];
        for (int h = 1; h <= hosts; h++) pairs[h - 1] = await cluster.Hosts(h % 3).ConnectPairAsync(HostId.Of(h), timeout: Timeout);

        var placed = new HashSet<int>();
        for (int h = 1; h <= hosts; h++) placed.Add(await cluster.NodeOfAsync(HostId.Of(h)));
        Assert.Equal([0, 1, 2], placed.Order());

        for (int h = 1; h <= hosts; h++)
        {
            var (client, server) = pairs[h - 1];
            var data = System.Text.Encoding.ASCII.GetBytes($"hello {client.HostId}");
            Assert.Equal(data.Length, await cluster.Hosts((h + 1) % 3).SendMsgAsync(client, data, timeout: Timeout));
            var r = await cluster.Hosts((h + 2) % 3).RecvAsync(server, 100, timeout: Timeout);
            Assert.Equal(data, r.Data);
        }
    }

    [Fact]
    public async Task Sk_msg_programs_on_hosts_of_other_nodes_give_the_results_of_a_single_node_kernel()
    {
        var expected = new Dictionary<string, string>();
        using (var single = ActorSystem.Create("single", "akka.loglevel = WARNING"))
        {
            foreach (var (name, spec) in SkMsgRig.Programs)
            {
                var host = await SimulatedHost.CreateAsync(single);
                expected[name] = await SkMsgRig.RunAsync(m => host.Ask<object>(m, Timeout), spec, SkMsgRig.Sends);
            }
            await single.Terminate().WaitAsync(Timeout);
        }

        await using var cluster = await LocalCluster.StartAsync(3);
        int h = 20;
        foreach (var (name, spec) in SkMsgRig.Programs)
        {
            string host = HostId.Of(++h);
            await cluster.Hosts(0).StartAsync(host, Timeout);
            int node = await cluster.NodeOfAsync(host);
            // Asked from a node that does not hold the host: every request and reply crosses nodes.
            var hosts = cluster.Hosts((node + 1) % 3);
            string actual = await SkMsgRig.RunAsync(m => hosts.AskAsync<object>(host, m, Timeout), spec, SkMsgRig.Sends);
            Assert.Equal(expected[name], actual);
        }
    }

    [Fact]
    public void A_host_envelope_round_trips_through_its_serializer_with_the_inner_message_in_its_own_format()
    {
        using var system = ActorSystem.Create("envelope", ConfigurationFactory.ParseString("akka.loglevel = WARNING").WithFallback(SockActorsCluster.DefaultConfig()));
        SockActorsExtension.Get(system);
        var envelope = new HostEnvelope("host-3", new SendMsg(7, [1, 2, 3], 0, 4));
        var serializer = system.Serialization.FindSerializerFor(envelope);
        Assert.IsType<HostEnvelopeSerializer>(serializer);
        var bytes = serializer.ToBinary(envelope);
        var back = (HostEnvelope)system.Serialization.Deserialize(bytes, serializer.Identifier, Akka.Serialization.Serialization.ManifestFor(serializer, envelope));
        Assert.Equal("host-3", back.HostId);
        var inner = Assert.IsType<SendMsg>(back.Message);
        Assert.Equal((7, 0, 4), (inner.SockId, inner.Flags, inner.Thread));
        Assert.Equal([1, 2, 3], inner.Data);
    }

    [Fact]
    public void A_batch_of_packets_round_trips_through_the_envelope_serializer_in_order()
    {
        using var system = ActorSystem.Create("batch", ConfigurationFactory.ParseString("akka.loglevel = WARNING").WithFallback(SockActorsCluster.DefaultConfig()));
        SockActorsExtension.Get(system);
        var packets = new object[]
        {
            new TcpSegment("host-2", 5, "host-1", 7, 0, [1, 2, 3]),
            new TcpAck("host-2", 5, "host-1", 7, 3, 65536),
            new TcpSegment("host-2", 5, "host-1", 7, 3, [4, 5]),
            new TcpFin("host-2", 5, "host-1", 7, 5),
        };
        var envelope = new HostEnvelope("host-2", new HostMessageBatch(packets));
        var serializer = system.Serialization.FindSerializerFor(envelope);
        var back = (HostEnvelope)system.Serialization.Deserialize(serializer.ToBinary(envelope), serializer.Identifier,
            Akka.Serialization.Serialization.ManifestFor(serializer, envelope));
        Assert.Equal("host-2", back.HostId);
        var batch = Assert.IsType<HostMessageBatch>(back.Message);
        Assert.Equal(packets.Select(p => p.GetType()), batch.Messages.Select(m => m.GetType()));
        Assert.Equal([1, 2, 3], ((TcpSegment)batch.Messages[0]).Data);
        Assert.Equal(3, ((TcpSegment)batch.Messages[2]).Seq);
        Assert.Equal(5, ((TcpFin)batch.Messages[3]).Seq);
    }

    [Fact]
    public async Task A_node_whose_kernel_strands_do_not_list_the_sharded_hosts_is_refused()
    {
        var config = ConfigurationFactory.ParseString("sockactors.dispatchers.kernel-strand.strand-key-parent = \"/system/sockactors\"")
            .WithFallback(ClusterNodeConfig.Create("127.0.0.1", 0, []));
        var system = ActorSystem.Create("refused", config);
        try
        {
            var e = Assert.Throws<ConfigurationException>(() => SockActorsCluster.Get(system));
            Assert.Contains("/system/sharding/sockactors-host/*", e.Message);
        }
        finally
        {
            await system.Terminate().WaitAsync(Timeout);
        }
    }

    [Theory]
    [InlineData("host-1", 1)]
    [InlineData("host-17", 17)]
    public void A_host_id_names_its_kernel_number(string id, int n)
    {
        Assert.Equal(n, HostId.Parse(id));
        Assert.Equal(id, HostId.Of(n));
    }

    [Theory]
    [InlineData("host-0")]
    [InlineData("host-")]
    [InlineData("kernel-3")]
    [InlineData("host--1")]
    public void Anything_but_host_N_is_not_a_host_id(string id) => Assert.False(HostId.TryParse(id, out _));
}
