using SockActors.Model.Net;

namespace SockActors.Model.Tests.Wire;

/// <summary>shutdown(2) (tcp_shutdown): SHUT_WR sends the FIN after what is queued, so the peer reads the bytes and then
/// end of stream, while the other direction stays open; later sends get EPIPE. The same over loopback and the wire.</summary>
public class WireShutdownTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SHUT_WR_gives_the_peer_the_queued_bytes_then_end_of_stream_and_the_other_direction_stays_open(bool remote)
    {
        var net = new SimNetwork();
        var a = net.AddHost("host-1");
        var b = net.AddHost("host-2");
        var (client, server) = remote ? net.Connect(a, b.Listen(), "c", "s") : a.Connect(a.Listen(), "c", "s");
        Assert.Equal(200_000, await client.SendMsgAsync(WireRig.Pattern(0, 200_000)));
        Assert.Equal(0, client.Shutdown(ShutdownHow.Wr));
        Assert.Equal(-Errno.EPIPE, await client.SendMsgAsync(new byte[1], MsgFlags.DontWait));

        var got = new List<byte>();
        var buf = new byte[65536];
        while (true)
        {
            net.RunUntilIdle();
            int n = server.Recv(buf);
            if (n == 0) break;
            Assert.True(n > 0, $"recv {n}");
            got.AddRange(buf.AsSpan(0, n).ToArray());
        }
        Assert.Equal(WireRig.Pattern(0, 200_000), got.ToArray());

        // The server still sends; the half-closed client reads it.
        Assert.Equal(5000, await server.SendMsgAsync(WireRig.Pattern(0, 5000)));
        net.RunUntilIdle();
        Assert.Equal(WireRig.Pattern(0, 5000), WireRig.ReadAvailable(client));
        Assert.Equal(-Errno.EINVAL, client.Shutdown(7));
    }

    [Fact]
    public async Task Closing_after_SHUT_WR_with_unread_data_still_resets_the_peer()
    {
        var rig = new WireRig();
        Assert.Equal(0, rig.Client.Shutdown(ShutdownHow.Wr));
        Assert.Equal(8, await rig.Server.SendMsgAsync(new byte[8], MsgFlags.DontWait));
        rig.Net.RunUntilIdle();
        Assert.True(rig.Client.Remote!.FinSent);
        rig.Client.Close(); // 8 bytes unread
        rig.Net.RunUntilIdle();
        Assert.Equal(-Errno.EPIPE, await rig.Server.SendMsgAsync(new byte[1], MsgFlags.DontWait)); // CLOSE_WAIT: EPIPE
        Assert.Equal(8, rig.Client.PurgedBytes);
    }
}
