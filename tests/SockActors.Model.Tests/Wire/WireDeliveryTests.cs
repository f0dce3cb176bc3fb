using SockActors.Model.Net;

namespace SockActors.Model.Tests.Wire;

/// <summary>
/// A connection between two hosts in the sequential engine (SimNetwork): bytes travel as segments under the receiver's
/// window and arrive byte-exact, in order, once; a reader that does not read makes a blocking sender park in
/// sk_stream_wait_memory until it reads; close gives end of stream; links change timing, not bytes.
/// </summary>
public class WireDeliveryTests
{
    [Fact]
    public void The_handshake_connects_a_socket_of_one_host_to_a_listener_of_another()
    {
        var rig = new WireRig();
        Assert.Equal(SockState.Established, rig.Client.State);
        Assert.Equal(SockState.Established, rig.Server.State);
        Assert.Equal(new TcpWireEndpoint("host-2", rig.Server.Id), rig.Client.Remote!.Peer);
        Assert.Equal(new TcpWireEndpoint("host-1", rig.Client.Id), rig.Server.Remote!.Peer);
        Assert.Null(rig.Client.Peer);
        Assert.Equal(rig.Server.Rcvbuf, rig.Client.Remote.UsableWindow);
    }

    [Fact]
    public async Task A_megabyte_stream_arrives_byte_exact_and_in_order_with_a_blocking_sender_and_reader()
    {
        var rig = new WireRig();
        const int total = 3 * 1024 * 1024 + 12345;
        var sender = rig.Net.Start(async () =>
        {
            long n = await WireRig.SendAll(rig.Client, total, 100_000);
            rig.Client.Close();
            return n;
        });
        var reader = rig.Net.Start(() => WireRig.ReadToEnd(rig.Server, 50_000));
        rig.Net.Run();
        Assert.Equal(total, await sender);
        Assert.Equal(WireRig.Pattern(0, total), await reader);
        Assert.Equal(0, rig.Server.Remote!.DuplicateBytes);
        Assert.Equal(0, rig.Server.Remote.WindowOverrunBytes);
        Assert.True(rig.Server.Remote.MaxReceiveQueued <= rig.Server.Rcvbuf);
    }

    [Fact]
    public async Task Both_directions_carry_their_own_streams_at_once()
    {
        var rig = new WireRig();
        const int total = 1_000_000;
        var ab = rig.Net.Start(async () => { long n = await WireRig.SendAll(rig.Client, total, 70_000); return n; });
        var ba = rig.Net.Start(async () => { long n = await WireRig.SendAll(rig.Server, total, 30_000); return n; });
        var atB = rig.Net.Start(async () => await ReadExactly(rig.Server, total));
        var atA = rig.Net.Start(async () => await ReadExactly(rig.Client, total));
        rig.Net.Run();
        Assert.Equal(WireRig.Pattern(0, total), await atB);
        Assert.Equal(WireRig.Pattern(0, total), await atA);
        Assert.Equal(total, await ab);
        Assert.Equal(total, await ba);
    }

    private static async Task<byte[]> ReadExactly(Sock sk, int total)
    {
        var all = new List<byte>();
        var buf = new byte[40_000];
        while (all.Count < total)
        {
            int n = await sk.RecvMsgAsync(buf);
            if (n <= 0) throw new InvalidOperationException($"recv returned {n}");
            all.AddRange(buf.AsSpan(0, n).ToArray());
        }
        return all.ToArray();
    }

    [Fact]
    public async Task A_reader_that_does_not_read_parks_a_blocking_sender_until_it_reads_and_the_window_is_never_exceeded()
    {
        var rig = new WireRig();
        rig.Client.Sndbuf = 100_000;
        const int total = 600_000;
        var sender = rig.Net.Start(() => WireRig.SendAll(rig.Client, total, total));
        rig.Net.RunUntilIdle();
        // The receiver's window is full, the sender's write queue and flight fill its send buffer: it sleeps.
        Assert.False(sender.IsCompleted);
        Assert.Equal(rig.Server.Rcvbuf, rig.Server.ReceiveQueueBytes);
        Assert.Equal(0, rig.Client.Remote!.UsableWindow);
        Assert.True(rig.Client.NoSpace);
        Assert.Equal(1, rig.Client.Sleepers);
        Assert.True(rig.Client.WmemQueued >= rig.Client.Sndbuf);

        var got = new List<byte>();
        var buf = new byte[20_000];
        while (got.Count < total)
        {
            int n = rig.Server.Recv(buf);
            if (n > 0) got.AddRange(buf.AsSpan(0, n).ToArray());
            else if (!rig.Net.Step()) Assert.Fail($"stalled at {got.Count} bytes");
            Assert.True(rig.Server.ReceiveQueueBytes <= rig.Server.Rcvbuf);
        }
        rig.Net.Run();
        Assert.Equal(total, await sender);
        Assert.Equal(WireRig.Pattern(0, total), got.ToArray());
        Assert.Equal(0, rig.Server.Remote!.WindowOverrunBytes);
        Assert.Equal(0, rig.Client.WmemQueued);
    }

    [Fact]
    public async Task A_non_blocking_sender_gets_EAGAIN_once_window_and_send_buffer_are_full()
    {
        var rig = new WireRig();
        rig.Client.Sndbuf = 10_000;
        long accepted = 0;
        int rc, sends = 0;
        while ((rc = await rig.Client.SendMsgAsync(WireRig.Pattern(accepted, 50_000), MsgFlags.DontWait)) > 0)
        {
            accepted += rc;
            rig.Net.RunUntilIdle(); // the ACKs come back
            Assert.True(++sends < 100);
        }
        Assert.Equal(-Errno.EAGAIN, rc);
        Assert.Equal(rig.Server.Rcvbuf, rig.Server.ReceiveQueueBytes);
        Assert.Equal(0, rig.Client.Remote!.UsableWindow);
        Assert.True(rig.Client.HeldBytes >= rig.Client.Sndbuf);
        Assert.Equal(accepted, rig.Server.ReceiveQueueBytes + rig.Client.HeldBytes);
    }

    [Fact]
    public async Task Close_sends_what_is_queued_then_FIN_and_the_reader_gets_end_of_stream_after_the_bytes()
    {
        var rig = new WireRig();
        Assert.Equal(300_000, await rig.Client.SendMsgAsync(WireRig.Pattern(0, 300_000), MsgFlags.DontWait));
        rig.Client.Close();
        Assert.Equal(0, rig.Client.PurgedBytes);
        var got = new List<byte>();
        var buf = new byte[65536];
        while (true)
        {
            rig.Net.RunUntilIdle();
            int n = rig.Server.Recv(buf);
            if (n == 0) break;
            Assert.True(n > 0, $"recv {n}");
            got.AddRange(buf.AsSpan(0, n).ToArray());
        }
        Assert.Equal(WireRig.Pattern(0, 300_000), got.ToArray());
        Assert.True(rig.Server.Remote!.FinReceived);
        Assert.True(rig.Client.Remote!.FinSent);
    }

    [Fact]
    public async Task A_MSG_MORE_tail_waits_for_the_probe_timer_or_the_next_ACK_as_on_loopback()
    {
        var rig = new WireRig();
        Assert.Equal(100, await rig.Client.SendMsgAsync(WireRig.Pattern(0, 100), MsgFlags.More));
        rig.Net.RunUntilIdle();
        Assert.Equal(0, rig.Server.ReceiveQueueBytes);
        rig.Net.RunUntil(rig.Net.NowNs + Sock.TcpRtoMinNs);
        rig.Net.RunUntilIdle();
        Assert.Equal(WireRig.Pattern(0, 100), WireRig.ReadAvailable(rig.Server));
    }

    [Fact]
    public async Task Latency_and_bandwidth_change_when_bytes_arrive_but_not_which_bytes()
    {
        const int total = 2_000_000;
        async Task<(byte[] Bytes, long Ns)> Transfer(TcpLink link)
        {
            var rig = new WireRig(link);
            var sender = rig.Net.Start(async () =>
            {
                long n = await WireRig.SendAll(rig.Client, total, 64_000);
                rig.Client.Close();
                return n;
            });
            var reader = rig.Net.Start(() => WireRig.ReadToEnd(rig.Server));
            rig.Net.Run();
            Assert.Equal(total, await sender);
            return (await reader, rig.Net.NowNs);
        }
        var instant = await Transfer(TcpLink.Instant);
        var slow = await Transfer(new TcpLink(LatencyNs: 5_000_000, BytesPerSecond: 100_000_000));
        var far = await Transfer(new TcpLink(LatencyNs: 50_000_000));
        Assert.Equal(instant.Bytes, slow.Bytes);
        Assert.Equal(instant.Bytes, far.Bytes);
        Assert.Equal(WireRig.Pattern(0, total), instant.Bytes);
        Assert.Equal(0, instant.Ns);
        // 2 MB at 100 MB/s is at least 20 ms on the wire.
        Assert.True(slow.Ns >= 20_000_000, $"{slow.Ns}");
        // Each window's worth waits a round trip of 100 ms.
        Assert.True(far.Ns >= 2 * 50_000_000, $"{far.Ns}");
    }

    [Fact]
    public void A_link_delivers_at_latency_plus_the_bytes_queued_ahead_over_the_bandwidth()
    {
        var clock = new TcpLinkClock(new TcpLink(LatencyNs: 1000, BytesPerSecond: 1_000_000_000));
        Assert.Equal(100 + 1000, clock.Schedule(0, 100));
        Assert.Equal(300 + 1000, clock.Schedule(0, 200)); // behind the first 100 bytes
        Assert.Equal(10_000 + 50 + 1000, clock.Schedule(10_000, 50)); // the link was idle again
    }
}
