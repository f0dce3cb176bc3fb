using SockActors.Model.Net;
using SockActors.Model.Programs;
using SockActors.Model.Tests.Support;

namespace SockActors.Model.Tests.Blocking;

/// <summary>
/// Senders whose peer does not read (net/core/stream.c sk_stream_wait_memory, tcp_bpf_sendmsg's wait_for_memory,
/// tcp_bpf_push failing): non-blocking gets -EAGAIN or a short count, SO_SNDTIMEO times out on the virtual clock,
/// blocking without a timeout is a deadlock in the sequential engine; egress redirect waits on the target's buffer.
/// </summary>
public class SendBlockingTests
{
    /// <summary>c1 PASS program, c1 sndbuf 2000, p1 rcvbuf 1000: one send fills c1's write queue.</summary>
    private static Rig PassRigWithSmallBuffers(Func<ISkMsgContext, int>? program = null)
    {
        var rig = new Rig(program ?? (_ => SkAction.Pass));
        rig.C1.Sndbuf = 2000;
        rig.P1.Rcvbuf = 1000;
        return rig;
    }

    /// <summary>Bytes c1 really handed to TCP: what p1 holds plus what c1's write queue holds.</summary>
    private static long Queued(Rig rig) => rig.P1.ReceiveQueueBytes + rig.C1.HeldBytes;

    [Fact]
    public async Task A_send_that_starts_with_buffer_space_is_accepted_whole_even_past_sndbuf()
    {
        var rig = PassRigWithSmallBuffers();
        Assert.Equal(10000, await rig.Send(10000, MsgFlags.DontWait));
        Assert.Equal(1000, rig.P1.ReceiveQueueBytes);
        Assert.Equal(9000, rig.C1.WmemQueued);
        Assert.False(rig.C1.StreamMemoryFree);
    }

    [Fact]
    public async Task Non_blocking_send_with_MSG_DONTWAIT_on_a_full_sndbuf_is_EAGAIN_and_the_program_does_not_run()
    {
        var rig = PassRigWithSmallBuffers();
        await rig.Send(10000, MsgFlags.DontWait);
        long now = rig.K.NowNs;
        Assert.Equal(-Errno.EAGAIN, await rig.Send(100, MsgFlags.DontWait));
        Assert.Equal(1, rig.Prog!.Runs);
        Assert.Equal(now, rig.K.NowNs);
        Assert.Equal(10000, Queued(rig));
    }

    [Fact]
    public async Task O_NONBLOCK_socket_behaves_like_MSG_DONTWAIT()
    {
        var rig = PassRigWithSmallBuffers();
        rig.C1.NonBlocking = true;
        Assert.Equal(10000, await rig.Send(10000));
        Assert.Equal(-Errno.EAGAIN, await rig.Send(100));
    }

    [Fact]
    public async Task Non_blocking_send_returns_a_short_count_equal_to_the_bytes_really_queued()
    {
        // 200000 bytes in one chunk of 32 KiB elements: tcp_bpf_push hands the first element to tcp_sendmsg_locked,
        // which queues it; the second finds the sndbuf full and fails with -EAGAIN; the unsent rest of the chunk is
        // freed and subtracted from copied.
        var rig = PassRigWithSmallBuffers();
        int rc = await rig.Send(200000, MsgFlags.DontWait);
        Assert.True(rc > 0 && rc < 200000, $"rc {rc}");
        Assert.Equal(32768, rc);
        Assert.Equal(rc, Queued(rig));
        Assert.Null(rig.C1.Psock!.Cork);
        // what arrives is exactly the first rc bytes of the stream
        var got = new List<byte>(Rig.ReadAll(rig.P1));
        Assert.Equal(Rig.Pattern(0, got.Count), got.ToArray());
    }

    [Fact]
    public async Task Blocking_send_with_SO_SNDTIMEO_fails_EAGAIN_after_the_timeout_on_the_virtual_clock()
    {
        var rig = PassRigWithSmallBuffers();
        rig.C1.SndTimeoNs = 1_500_000_000;
        Assert.Equal(10000, await rig.Send(10000));
        long before = rig.K.NowNs;
        Assert.Equal(-Errno.EAGAIN, await rig.Send(100));
        Assert.Equal(before + 1_500_000_000, rig.K.NowNs);
    }

    [Fact]
    public async Task Blocking_send_with_SO_SNDTIMEO_returns_the_partial_count_after_the_timeout()
    {
        var rig = PassRigWithSmallBuffers();
        rig.C1.SndTimeoNs = 1_000_000_000;
        long before = rig.K.NowNs;
        int rc = await rig.Send(200000);
        Assert.Equal(32768, rc); // the first element went out before the buffer filled
        Assert.Equal(before + 1_000_000_000, rig.K.NowNs);
        Assert.Equal(rc, Queued(rig));
    }

    [Fact]
    public async Task Blocking_send_without_a_timeout_is_a_simulation_deadlock_with_a_clear_message()
    {
        var rig = PassRigWithSmallBuffers();
        Assert.Equal(10000, await rig.Send(10000));
        var e = await Assert.ThrowsAsync<SimulationDeadlockException>(() => rig.Send(100));
        Assert.Contains("c1", e.Message);
        Assert.Contains("SO_SNDTIMEO", e.Message);
        Assert.Contains("sndbuf 2000", e.Message);
    }

    [Fact]
    public async Task Reading_on_the_peer_frees_the_sender_and_the_next_send_succeeds()
    {
        var rig = PassRigWithSmallBuffers();
        Assert.Equal(10000, await rig.Send(10000, MsgFlags.DontWait));
        var got = new List<byte>();
        while (got.Count < 10000)
        {
            var chunk = Rig.ReadAll(rig.P1);
            Assert.NotEmpty(chunk);
            got.AddRange(chunk);
        }
        Assert.True(rig.C1.StreamMemoryFree);
        Assert.Equal(100, await rig.Send(100, MsgFlags.DontWait));
        got.AddRange(rig.ReadAllAfterTimers(rig.P1));
        Assert.Equal(Rig.Pattern(0, 10100), got.ToArray());
    }

    [Fact]
    public async Task Plain_tcp_sendmsg_without_a_psock_blocks_the_same_way()
    {
        var rig = new Rig(null, insert: false);
        rig.C1.Sndbuf = 2000;
        rig.P1.Rcvbuf = 1000;
        Assert.Equal(10000, await rig.Send(10000, MsgFlags.DontWait));
        Assert.Equal(-Errno.EAGAIN, await rig.Send(10, MsgFlags.DontWait));
        await Assert.ThrowsAsync<SimulationDeadlockException>(() => rig.Send(10));
    }

    // ------------------------------------------------------------ redirect

    /// <summary>c1 redirects egress to p2 (out of p2's connection to c2); p2 sndbuf 1000, c2 rcvbuf 500.</summary>
    private static Rig EgressRig()
    {
        Rig? rig = null;
        rig = new Rig(ctx => (int)ctx.MsgRedirectMap(rig!.Map, 1, 0));
        rig.P2.Sndbuf = 1000;
        rig.C2.Rcvbuf = 500;
        return rig;
    }

    [Fact]
    public async Task Egress_redirect_blocks_on_the_targets_buffer_not_the_senders()
    {
        var rig = EgressRig();
        rig.C1.Sndbuf = 1; // irrelevant for an egress redirect: c1 queues nothing itself
        Assert.Equal(5000, await rig.Send(5000, MsgFlags.DontWait));
        Assert.Equal(0, rig.C1.WmemQueued);
        Assert.Equal(500, rig.C2.ReceiveQueueBytes);
        Assert.Equal(4500, rig.P2.WmemQueued);
        Assert.Equal(-Errno.EAGAIN, await rig.Send(100, MsgFlags.DontWait));
    }

    [Fact]
    public async Task Egress_redirect_waits_with_the_targets_SO_SNDTIMEO()
    {
        var rig = EgressRig();
        rig.C1.SndTimeoNs = 5_000_000_000;
        rig.P2.SndTimeoNs = 300_000_000;
        Assert.Equal(5000, await rig.Send(5000));
        long before = rig.K.NowNs;
        Assert.Equal(-Errno.EAGAIN, await rig.Send(100));
        Assert.Equal(before + 300_000_000, rig.K.NowNs);
    }

    [Fact]
    public async Task Egress_redirect_with_the_senders_MSG_DONTWAIT_does_not_wait_on_a_target_with_a_timeout()
    {
        var rig = EgressRig();
        rig.P2.SndTimeoNs = 300_000_000;
        Assert.Equal(5000, await rig.Send(5000));
        long before = rig.K.NowNs;
        Assert.Equal(-Errno.EAGAIN, await rig.Send(100, MsgFlags.DontWait));
        Assert.Equal(before, rig.K.NowNs);
    }

    [Fact]
    public async Task Egress_redirect_to_a_blocking_target_without_timeout_is_a_simulation_deadlock()
    {
        var rig = EgressRig();
        Assert.Equal(5000, await rig.Send(5000));
        var e = await Assert.ThrowsAsync<SimulationDeadlockException>(() => rig.Send(100));
        Assert.Contains("p2", e.Message);
    }

    [Fact]
    public async Task Egress_redirect_partial_count_is_the_bytes_the_target_really_queued()
    {
        var rig = EgressRig();
        int rc = await rig.Send(200000, MsgFlags.DontWait);
        Assert.Equal(rc, rig.C2.ReceiveQueueBytes + rig.P2.HeldBytes);
        Assert.True(rc > 0 && rc < 200000, $"rc {rc}");
    }

    [Fact]
    public async Task Ingress_redirect_ignores_the_targets_rcvbuf()
    {
        Rig? rig = null;
        rig = new Rig(ctx => (int)ctx.MsgRedirectMap(rig!.Map, 1, BpfRedirectFlags.Ingress));
        rig.P2.Rcvbuf = 100;
        Assert.Equal(50000, await rig.Send(50000, MsgFlags.DontWait));
        Assert.Equal(50000, await rig.Send(50000, MsgFlags.DontWait));
        Assert.Equal(100000, rig.P2.IngressBytes);
    }

    [Fact]
    public async Task Ingress_redirect_beyond_the_targets_receive_memory_limit_is_ENOMEM()
    {
        Rig? rig = null;
        rig = new Rig(ctx => (int)ctx.MsgRedirectMap(rig!.Map, 1, BpfRedirectFlags.Ingress));
        rig.P2.RmemLimit = 1000;
        Assert.Equal(800, await rig.Send(800));
        Assert.Equal(-Errno.ENOMEM, await rig.Send(800));
        Assert.Equal(800, rig.P2.IngressBytes);
    }
}
