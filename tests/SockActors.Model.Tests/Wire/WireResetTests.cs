using SockActors.Model.Net;

namespace SockActors.Model.Tests.Wire;

/// <summary>
/// RST between hosts (tcp_reset, net/ipv4/tcp_input.c): the socket gets sk_err ECONNRESET, or EPIPE when the peer's FIN
/// had arrived (CLOSE_WAIT); the next call reports it once, later sends get EPIPE and reads end of stream. Queued bytes
/// stay readable before the error. Closing with unread data sends the RST (tcp_close's data_was_unread), and data sent
/// to a socket that is gone is answered with one.
/// </summary>
public class WireResetTests
{
    [Fact]
    public async Task Closing_with_unread_data_resets_the_peer_whose_send_gets_ECONNRESET_then_EPIPE()
    {
        var rig = new WireRig();
        Assert.Equal(10, await rig.Client.SendMsgAsync(new byte[10], MsgFlags.DontWait));
        rig.Net.RunUntilIdle();
        rig.Server.Close(); // 10 bytes unread: RST, not FIN
        rig.Net.RunUntilIdle();
        Assert.Equal(Errno.ECONNRESET, rig.Client.Err);
        Assert.Equal(SockState.Close, rig.Client.State);
        Assert.Equal(-Errno.ECONNRESET, await rig.Client.SendMsgAsync(new byte[5], MsgFlags.DontWait));
        Assert.Equal(-Errno.EPIPE, await rig.Client.SendMsgAsync(new byte[5], MsgFlags.DontWait));
        Assert.Equal(10, rig.Server.PurgedBytes);
    }

    [Fact]
    public async Task A_reset_reader_reads_the_queued_bytes_then_ECONNRESET_once_then_end_of_stream()
    {
        var rig = new WireRig();
        Assert.Equal(7, await rig.Server.SendMsgAsync(WireRig.Pattern(0, 7), MsgFlags.DontWait));
        Assert.Equal(3, await rig.Client.SendMsgAsync(new byte[3], MsgFlags.DontWait));
        rig.Net.RunUntilIdle();
        rig.Server.Close(); // the client's 3 bytes are unread there
        rig.Net.RunUntilIdle();
        var buf = new byte[100];
        Assert.Equal(7, rig.Client.Recv(buf));
        Assert.Equal(-Errno.ECONNRESET, rig.Client.Recv(buf));
        Assert.Equal(0, rig.Client.Recv(buf));
    }

    [Fact]
    public async Task A_reset_in_CLOSE_WAIT_is_EPIPE()
    {
        var rig = new WireRig();
        rig.Client.Close(); // FIN: the server is in CLOSE_WAIT
        rig.Net.RunUntilIdle();
        Assert.True(rig.Server.RcvShutdown);
        // The server sends to the closed client: the client answers the data with a RST.
        Assert.Equal(4, await rig.Server.SendMsgAsync(new byte[4], MsgFlags.DontWait));
        rig.Net.RunUntilIdle();
        Assert.Equal(Errno.EPIPE, rig.Server.Err);
        Assert.Equal(-Errno.EPIPE, await rig.Server.SendMsgAsync(new byte[4], MsgFlags.DontWait));
        Assert.Equal(0, rig.Server.Recv(new byte[10]));
    }

    [Fact]
    public async Task A_blocked_sender_wakes_when_the_peer_resets_and_returns_what_it_had_copied()
    {
        var rig = new WireRig();
        rig.Client.Sndbuf = 50_000;
        var sender = rig.Net.Start(() => rig.Client.SendMsgAsync(WireRig.Pattern(0, 500_000)).AsTask());
        rig.Net.RunUntilIdle();
        Assert.False(sender.IsCompleted);
        Assert.Equal(1, rig.Client.Sleepers);
        rig.Server.Close(); // unread data: RST
        rig.Net.Run();
        int rc = await sender;
        Assert.True(rc > 0 && rc < 500_000, $"{rc}");
        Assert.Equal(0, rig.Client.Sleepers);
        Assert.Equal(-Errno.ECONNRESET, await rig.Client.SendMsgAsync(new byte[1], MsgFlags.DontWait));
    }

    [Fact]
    public async Task A_crashed_host_loses_its_sockets_and_its_peers_get_ECONNRESET_on_their_next_segment()
    {
        var rig = new WireRig();
        Assert.Equal(5, await rig.Server.SendMsgAsync(WireRig.Pattern(0, 5), MsgFlags.DontWait));
        rig.Net.RunUntilIdle();
        var fresh = rig.Net.CrashHost("host-2");
        Assert.Equal(0, fresh.WireSocketCount);
        Assert.Equal(3, await rig.Client.SendMsgAsync(new byte[3], MsgFlags.DontWait));
        rig.Net.RunUntilIdle();
        var buf = new byte[10];
        Assert.Equal(5, rig.Client.Recv(buf));
        Assert.Equal(-Errno.ECONNRESET, rig.Client.Recv(buf));
        Assert.Equal(-Errno.EPIPE, await rig.Client.SendMsgAsync(new byte[3], MsgFlags.DontWait));
        Assert.Equal(0, rig.A.WireSocketCount);
    }
}
