using Akka.Actor;
using Akka.Configuration;
using SockActors.Actors.Client;
using SockActors.Actors.Protocol;
using SockActors.Actors.Serialization;
using SockActors.Model;
using SockActors.Model.Scenarios;

namespace SockActors.Actors.Tests;

/// <summary>
/// The wire across actor systems: two ActorSystems joined by Akka.Remote on 127.0.0.1, a simulated host in each. The
/// handshake, segments, ACKs and the RST travel between the systems through the MessagePack serializer (the wire
/// messages are ISockActorsMessage), the replies go to remote IActorRefs, and the bytes arrive byte-exact and in order.
/// </summary>
public sealed class WireRemoteTests : IAsyncLifetime
{
    private const string RemoteConfig = """
        akka.actor.provider = remote
        akka.remote.dot-netty.tcp.port = 0
        akka.remote.dot-netty.tcp.hostname = 127.0.0.1
        akka.loglevel = WARNING
        akka.log-dead-letters = off
        """;

    private ActorSystem _a = null!;
    private ActorSystem _b = null!;

    public Task InitializeAsync()
    {
        var config = ConfigurationFactory.ParseString(RemoteConfig).WithFallback(SockActorsExtension.DefaultConfig());
        _a = ActorSystem.Create("wire-a", config);
        _b = ActorSystem.Create("wire-b", config);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Task.WhenAll(_a.Terminate(), _b.Terminate());
    }

    /// <summary>Makes <paramref name="host"/> of <paramref name="owner"/> reachable from <paramref name="other"/> by its host id.</summary>
    private static async Task ExposeAsync(ActorSystem owner, SimulatedHost host, ActorSystem other)
    {
        var address = ((ExtendedActorSystem)owner).Provider.DefaultAddress;
        var remote = await other.ActorSelection(host.Kernel.Path.ToStringWithAddress(address)).ResolveOne(TimeSpan.FromSeconds(10));
        SockActorsExtension.Get(other).LocalHosts.Register(host.HostId, remote);
    }

    private static byte[] Pattern(long offset, int n)
    {
        var b = new byte[n];
        StreamPattern.Fill(b, offset);
        return b;
    }

    private static async Task<byte[]> ReadAsync(SimulatedHost host, SocketHandle sock, int total)
    {
        var got = new List<byte>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (got.Count < total)
        {
            var r = await host.RecvAsync(sock, 65536, blocking: true);
            Assert.True(r.Rc > 0, $"recv {r.Rc} after {got.Count} bytes");
            got.AddRange(r.Data);
            Assert.True(DateTime.UtcNow < deadline, $"only {got.Count} of {total} bytes within 60 s");
        }
        return got.ToArray();
    }

    [Fact]
    public async Task Bytes_cross_actor_systems_over_Akka_Remote_byte_exact_in_both_directions_and_a_reset_crosses_too()
    {
        Assert.IsType<SockActorsSerializer>(_a.Serialization.FindSerializerForType(typeof(TcpSegment)));
        var hostA = await SimulatedHost.CreateAsync(_a, hostId: "host-a");
        var hostB = await SimulatedHost.CreateAsync(_b, hostId: "host-b");
        await ExposeAsync(_a, hostA, _b);
        await ExposeAsync(_b, hostB, _a);
        var listener = await hostB.ListenAsync("srv", 9000);
        var (client, server) = await hostA.ConnectRemoteAsync("host-b", listener, "c", "s");
        Assert.True(server.Actor.Path.Address.HasGlobalScope, "the server socket's actor is remote for host-a");

        const int total = 2 * 1024 * 1024 + 321;
        var send = hostA.SendMsgAsync(client, Pattern(0, total));
        var back = hostB.SendMsgAsync(server, Pattern(0, 300_000));
        Assert.Equal(Pattern(0, total), await ReadAsync(hostB, server, total));
        Assert.Equal(Pattern(0, 300_000), await ReadAsync(hostA, client, 300_000));
        Assert.Equal(total, await send);
        Assert.Equal(300_000, await back);

        // host-b closes with 10 unread bytes: the RST crosses back and host-a's next send reports it.
        Assert.Equal(10, await hostA.SendMsgAsync(client, new byte[10]));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await hostB.SockStatsAsync(server)).ReceiveQueueBytes < 10) Assert.True(DateTime.UtcNow < deadline, "the 10 bytes did not arrive");
        Assert.Equal(10, await hostB.CloseAsync(server));
        long rc;
        do
        {
            rc = await hostA.SendMsgAsync(client, new byte[1]);
            Assert.True(DateTime.UtcNow < deadline, "no RST arrived");
        } while (rc == 1);
        Assert.Equal(-Errno.ECONNRESET, rc);
        Assert.Equal(-Errno.EPIPE, await hostA.SendMsgAsync(client, new byte[1]));
    }
}
