using Akka.TestKit.Xunit2;
using SockActors.Actors.Client;
using SockActors.Model;
using SockActors.Model.Net;
using SockActors.Model.Scenarios;
using Xunit.Abstractions;

namespace SockActors.Actors.Tests;

/// <summary>
/// Connections between simulated hosts in the actor runtime (docs/wire.md): two kernels of one actor system, the wire
/// messages going through the MessagePack serializer (serialize-messages is on). Bytes arrive byte-exact and in
/// order; a reader that does not read parks a blocking sender; SK_MSG programs on the sending host give the bytes the
/// sequential model gives; RST gives the kernel's errors; a connect to nothing is refused.
/// </summary>
public sealed class WireTests : TestKit
{
    public WireTests(ITestOutputHelper output) : base(TestConfig.Create(), output: output) { }

    private static byte[] Pattern(long offset, int n)
    {
        var b = new byte[n];
        StreamPattern.Fill(b, offset);
        return b;
    }

    private async Task<(SimulatedHost A, SimulatedHost B, SocketHandle Client, SocketHandle Server)> ConnectedAsync()
    {
        var a = await SimulatedHost.CreateAsync(Sys);
        var b = await SimulatedHost.CreateAsync(Sys);
        var listener = await b.ListenAsync("srv", 8080);
        var (client, server) = await a.ConnectRemoteAsync(b.HostId, 8080, "c", "s");
        return (a, b, client, server);
    }

    /// <summary>Reads from <paramref name="sock"/> on <paramref name="host"/> until <paramref name="total"/> bytes or end of stream.</summary>
    private static async Task<byte[]> ReadAsync(SimulatedHost host, SocketHandle sock, long total, int chunk = 60_000)
    {
        var got = new List<byte>();
        int idle = 0;
        while (got.Count < total)
        {
            var r = await host.RecvAsync(sock, chunk);
            if (r.Rc > 0)
            {
                got.AddRange(r.Data);
                idle = 0;
            }
            else if (r.Rc == 0) break;
            else
            {
                Assert.Equal(-Errno.EAGAIN, r.Rc);
                Assert.True(++idle < 2000, $"no progress at {got.Count} of {total} bytes");
                await Task.Delay(1);
            }
        }
        return got.ToArray();
    }

    [Fact]
    public async Task A_socket_connects_to_a_listener_of_another_host_and_both_ends_are_established()
    {
        var (a, b, client, server) = await ConnectedAsync();
        Assert.NotEqual(a.HostId, b.HostId);
        Assert.Equal("host-1", a.HostId);
        var cs = await a.SockStatsAsync(client);
        var ss = await b.SockStatsAsync(server);
        Assert.Equal("c", cs.Name);
        Assert.Equal("s", ss.Name);
        Assert.Equal(0, cs.WmemQueued);
    }

    [Fact]
    public async Task Megabytes_arrive_byte_exact_and_in_order_across_hosts()
    {
        var (a, b, client, server) = await ConnectedAsync();
        const int total = 3 * 1024 * 1024 + 777;
        var send = a.SendMsgAsync(client, Pattern(0, total));
        var got = await ReadAsync(b, server, total);
        Assert.Equal(total, await send);
        Assert.Equal(Pattern(0, total), got);
    }

    [Fact]
    public async Task A_reader_that_does_not_read_parks_a_blocking_sender_until_it_reads_and_the_window_holds()
    {
        var (a, b, client, server) = await ConnectedAsync();
        Assert.Equal(0, await a.SetSockOptAsync(client, SockOption.SndBuf, 50_000));
        const int total = 800_000;
        var send = a.SendMsgAsync(client, Pattern(0, total));
        var cs = await a.SockStatsAsync(client);
        var ss = await b.SockStatsAsync(server);
        Assert.False(send.IsCompleted);
        Assert.Equal(1, cs.WaitingSends);
        Assert.Equal(ss.Rcvbuf, ss.ReceiveQueueBytes);
        Assert.True(cs.WmemQueued >= cs.Sndbuf, $"{cs.WmemQueued} < {cs.Sndbuf}");

        var got = new List<byte>();
        while (got.Count < total)
        {
            var r = await b.RecvAsync(server, 10_000);
            Assert.True(r.Rc > 0, $"recv {r.Rc} at {got.Count}");
            got.AddRange(r.Data);
            Assert.True((await b.SockStatsAsync(server)).ReceiveQueueBytes <= ss.Rcvbuf);
        }
        Assert.Equal(total, await send);
        Assert.Equal(Pattern(0, total), got.ToArray());
    }

    [Fact]
    public async Task Close_gives_the_far_reader_the_bytes_then_end_of_stream()
    {
        var (a, b, client, server) = await ConnectedAsync();
        Assert.Equal(200_000, await a.SendMsgAsync(client, Pattern(0, 200_000)));
        Assert.Equal(0, await a.CloseAsync(client));
        Assert.Equal(Pattern(0, 200_000), await ReadAsync(b, server, long.MaxValue));
        Assert.Equal(0, (await b.RecvAsync(server, 10)).Rc);
    }

    [Fact]
    public async Task Closing_with_unread_data_resets_the_peer_whose_sends_get_ECONNRESET_then_EPIPE()
    {
        var (a, b, client, server) = await ConnectedAsync();
        Assert.Equal(10, await a.SendMsgAsync(client, new byte[10]));
        Assert.Equal(10, await b.CloseAsync(server));
        Assert.Equal(-Errno.ECONNRESET, await a.SendMsgAsync(client, new byte[5]));
        Assert.Equal(-Errno.EPIPE, await a.SendMsgAsync(client, new byte[5]));
        var r = await a.RecvAsync(client, 10);
        Assert.Equal(0, r.Rc);
    }

    [Fact]
    public async Task Connecting_to_a_port_where_nothing_listens_or_to_an_unknown_host_is_refused()
    {
        var a = await SimulatedHost.CreateAsync(Sys);
        var b = await SimulatedHost.CreateAsync(Sys);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => a.ConnectRemoteAsync(b.HostId, 9999));
        Assert.Contains("ECONNREFUSED", e.Message);
        e = await Assert.ThrowsAsync<InvalidOperationException>(() => a.ConnectRemoteAsync("host-404", 80));
        Assert.Contains("ECONNREFUSED", e.Message);
    }

    /// <summary>
    /// Host-1: sender s (sockmap key 0, with the contract's scenario program) and target t (key 1), both connected to
    /// listeners of host-2. The program redirects to t's egress with apply and cork windows: the bytes that reach t's
    /// peer on host-2 equal what the sequential model gives for the same sends over SimNetwork.
    /// </summary>
    [Theory]
    [InlineData(ScenarioAction.Pass, 0u, 0u)]
    [InlineData(ScenarioAction.Redirect, 0u, 0u)]
    [InlineData(ScenarioAction.Redirect, 3000u, 0u)]
    [InlineData(ScenarioAction.Redirect, 0u, 10_000u)]
    [InlineData(ScenarioAction.Pass, 0u, 4096u)]
    public async Task SK_MSG_programs_on_the_sending_host_give_the_model_s_bytes_at_the_far_end(ScenarioAction action, uint apply, uint cork)
    {
        var spec = new ProgramSpec { Action = action, Apply = apply, Cork = cork };
        int[] sends = [1, 100, 5000, 70_000, 300, 4096, 200_000, 17];

        // The sequential model over SimNetwork.
        var net = new SimNetwork();
        var ka = net.AddHost("host-1");
        var kb = net.AddHost("host-2");
        var (ms, msPeer) = net.Connect(ka, kb.Listen("l1"), "s", "s-peer");
        var (mt, mtPeer) = net.Connect(ka, kb.Listen("l2"), "t", "t-peer");
        var mprog = new ScenarioProgram();
        mprog.Configure(spec);
        Assert.Equal(0, mprog.Map.Attach(Model.Maps.SockAttachType.SkMsgVerdict, mprog));
        Assert.Equal(0, mprog.Map.Update(0, ms));
        Assert.Equal(0, mprog.Map.Update(1, mt));
        long offset = 0;
        foreach (int len in sends)
        {
            int rc = await ms.SendMsgAsync(Pattern(offset, len));
            offset += rc;
            net.RunUntilIdle();
        }
        var expectS = Drain(msPeer, net);
        var expectT = Drain(mtPeer, net);

        // The actors.
        var a = await SimulatedHost.CreateAsync(Sys);
        var b = await SimulatedHost.CreateAsync(Sys);
        await b.ListenAsync("l1", 7001);
        await b.ListenAsync("l2", 7002);
        var (s, sPeer) = await a.ConnectRemoteAsync(b.HostId, 7001, "s", "s-peer");
        var (t, tPeer) = await a.ConnectRemoteAsync(b.HostId, 7002, "t", "t-peer");
        var prog = new ScenarioProgram();
        prog.Configure(spec);
        var (ph, maps) = await a.LoadProgramAsync(prog, prog.Map);
        Assert.Equal(0, await a.AttachAsync(maps[0], ph));
        Assert.Equal(0, await a.MapUpdateAsync(maps[0], 0, s));
        Assert.Equal(0, await a.MapUpdateAsync(maps[0], 1, t));
        offset = 0;
        foreach (int len in sends) offset += await a.SendMsgAsync(s, Pattern(offset, len));
        var gotS = await ReadAsync(b, sPeer, expectS.Length);
        var gotT = await ReadAsync(b, tPeer, expectT.Length);
        Assert.True(expectS.Length + expectT.Length > 0);
        Assert.Equal(expectS, gotS);
        Assert.Equal(expectT, gotT);
        Assert.Equal(-Errno.EAGAIN, (await b.RecvAsync(sPeer, 10)).Rc);
        Assert.Equal(-Errno.EAGAIN, (await b.RecvAsync(tPeer, 10)).Rc);
    }

    private static byte[] Drain(Sock sk, SimNetwork net)
    {
        var got = new List<byte>();
        var buf = new byte[65536];
        while (true)
        {
            int n = sk.Recv(buf);
            if (n > 0) got.AddRange(buf.AsSpan(0, n).ToArray());
            else if (!net.Step()) return got.ToArray();
        }
    }
}

/// <summary>Link latency and bandwidth in the actor runtime: the hand-off waits on the actor system's scheduler (here
/// TestKit's TestScheduler, virtual time): timing changes, the bytes do not.</summary>
public sealed class WireLinkTests : TestKit
{
    private const string SchedulerConfig = """
        akka.scheduler.implementation = "Akka.TestKit.TestScheduler, Akka.TestKit"
        sockactors.wire.latency = 5ms
        """;

    public WireLinkTests(ITestOutputHelper output) : base(TestConfig.Create(SchedulerConfig), output: output) { }

    [Fact]
    public async Task A_segment_arrives_only_after_the_link_latency_and_its_bytes_are_unchanged()
    {
        var scheduler = (Akka.TestKit.TestScheduler)Sys.Scheduler;
        var a = await SimulatedHost.CreateAsync(Sys);
        var b = await SimulatedHost.CreateAsync(Sys);
        await b.ListenAsync("srv", 80);
        var connect = a.ConnectRemoteAsync(b.HostId, 80, "c", "s");
        scheduler.Advance(TimeSpan.FromMilliseconds(5)); // the SYN
        scheduler.Advance(TimeSpan.FromMilliseconds(5)); // the SYN-ACK
        var (client, server) = await connect;

        var data = new byte[3000];
        StreamPattern.Fill(data, 0);
        Assert.Equal(3000, await a.SendMsgAsync(client, data));
        Assert.Equal(0, (await b.SockStatsAsync(server)).ReceiveQueueBytes);
        scheduler.Advance(TimeSpan.FromMilliseconds(4));
        Assert.Equal(0, (await b.SockStatsAsync(server)).ReceiveQueueBytes);
        scheduler.Advance(TimeSpan.FromMilliseconds(1));
        var r = await b.RecvAsync(server, 10_000);
        Assert.Equal(data, r.Data);
        // The ACK is on its way back: until it lands, the bytes count as in flight at the sender.
        Assert.Equal(3000, (await a.SockStatsAsync(client)).WmemQueued);
        scheduler.Advance(TimeSpan.FromMilliseconds(5));
        Assert.Equal(0, (await a.SockStatsAsync(client)).WmemQueued);
    }

    [Fact]
    public async Task Bandwidth_spreads_the_segments_of_a_send_over_virtual_time()
    {
        var scheduler = (Akka.TestKit.TestScheduler)Sys.Scheduler;
        var ext = SockActorsExtension.Get(Sys);
        var a = await SimulatedHost.CreateAsync(Sys);
        var b = await SimulatedHost.CreateAsync(Sys);
        ext.Links.SetBoth(a.HostId, b.HostId, new TcpLink(LatencyNs: 0, BytesPerSecond: 65_483_000)); // one full segment per ms
        await b.ListenAsync("srv", 80);
        var (client, server) = await a.ConnectRemoteAsync(b.HostId, 80, "c", "s");
        Assert.Equal(0, await b.SetSockOptAsync(server, SockOption.RcvBuf, 1_000_000)); // window 1 MB (rcvbuf / 2 of 2 MB)
        var data = new byte[3 * 65_483];
        StreamPattern.Fill(data, 0);
        Assert.Equal(data.Length, await a.SendMsgAsync(client, data));
        var got = new List<byte>();
        for (int ms = 1; ms <= 10 && got.Count < data.Length; ms++)
        {
            scheduler.Advance(TimeSpan.FromMilliseconds(1));
            var r = await b.RecvAsync(server, 1_000_000);
            if (r.Rc > 0) got.AddRange(r.Data);
            Assert.True(got.Count <= ms * 65_483, $"{got.Count} bytes after {ms} ms");
        }
        Assert.Equal(data, got.ToArray());
    }
}

/// <summary>A host that goes away (its kernel actor stops) and shutdown(2) across hosts.</summary>
public sealed class WireLifecycleTests : TestKit
{
    public WireLifecycleTests(ITestOutputHelper output) : base(TestConfig.Create(), output: output) { }

    [Fact]
    public async Task When_the_peer_s_host_is_gone_the_next_segment_is_answered_with_a_RST_and_the_sender_gets_ECONNRESET()
    {
        var a = await SimulatedHost.CreateAsync(Sys);
        var b = await SimulatedHost.CreateAsync(Sys);
        await b.ListenAsync("srv", 80);
        var (client, _) = await a.ConnectRemoteAsync(b.HostId, 80, "c", "s");
        var hosts = SockActorsExtension.Get(Sys).LocalHosts;
        Assert.NotNull(hosts.Find(b.HostId));
        Sys.Stop(b.Kernel);
        await AwaitConditionAsync(() => Task.FromResult(hosts.Find(b.HostId) is null), TimeSpan.FromSeconds(10));
        Assert.Equal(5, await a.SendMsgAsync(client, new byte[5])); // accepted: the sender does not know yet
        Assert.Equal(-Errno.ECONNRESET, await a.SendMsgAsync(client, new byte[5]));
        Assert.Equal(-Errno.EPIPE, await a.SendMsgAsync(client, new byte[5]));
    }

    [Fact]
    public async Task SHUT_WR_gives_the_far_reader_end_of_stream_after_the_bytes_and_the_other_direction_stays_open()
    {
        var a = await SimulatedHost.CreateAsync(Sys);
        var b = await SimulatedHost.CreateAsync(Sys);
        await b.ListenAsync("srv", 80);
        var (client, server) = await a.ConnectRemoteAsync(b.HostId, 80, "c", "s");
        var data = new byte[150_000];
        StreamPattern.Fill(data, 0);
        Assert.Equal(data.Length, await a.SendMsgAsync(client, data));
        Assert.Equal(0, await a.ShutdownAsync(client, ShutdownHow.Wr));
        var got = new List<byte>();
        while (true)
        {
            var r = await b.RecvAsync(server, 65536, blocking: true);
            if (r.Rc == 0) break;
            Assert.True(r.Rc > 0, $"recv {r.Rc}");
            got.AddRange(r.Data);
        }
        Assert.Equal(data, got.ToArray());
        Assert.Equal(3, await b.SendMsgAsync(server, new byte[] { 1, 2, 3 }));
        Assert.Equal(new byte[] { 1, 2, 3 }, (await a.RecvAsync(client, 10)).Data);
        Assert.Equal(-Errno.EPIPE, await a.SendMsgAsync(client, new byte[1]));
    }
}

/// <summary>sockactors.wire: the default link of pairs of hosts without their own.</summary>
public sealed class WireSettingsTests
{
    [Fact]
    public void Latency_and_bandwidth_come_from_sockactors_wire_and_negative_values_are_refused()
    {
        var s = SockActorsSettings.Create(Akka.Configuration.ConfigurationFactory.ParseString("sockactors.wire { latency = 2ms, bandwidth = 1000000 }"));
        Assert.Equal(new TcpLink(2_000_000, 1_000_000), s.WireLink);
        Assert.Equal(TcpLink.Instant, SockActorsSettings.Create(Akka.Configuration.ConfigurationFactory.Empty).WireLink);
        var e = Assert.Throws<Akka.Configuration.ConfigurationException>(() =>
            SockActorsSettings.Create(Akka.Configuration.ConfigurationFactory.ParseString("sockactors.wire.bandwidth = -5")));
        Assert.Contains("sockactors.wire.bandwidth", e.Message);
    }
}
