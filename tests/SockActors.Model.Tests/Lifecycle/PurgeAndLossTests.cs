using SockActors.Model.Net;
using SockActors.Model.Programs;
using SockActors.Model.Tests.Support;

namespace SockActors.Model.Tests.Lifecycle;

/// <summary>
/// Data that the kernel loses (net/core/skmsg.c sk_psock_stop / __sk_psock_zap_ingress / sk_psock_cork_free,
/// net/ipv4/tcp_bpf.c tcp_bpf_sendmsg_redir): unread ingress_msg at close or when the socket leaves its last map, hanging
/// corks at close, sticky DROP, redirects to sockets that left the map.
/// </summary>
public class PurgeAndLossTests
{
    private static Rig IngressRedirectRig(uint apply = 0) => RigWith(apply, ingress: true);

    private static Rig RigWith(uint apply, bool ingress)
    {
        Rig? rig = null;
        rig = new Rig(ctx =>
        {
            if (apply != 0) ctx.MsgApplyBytes(apply);
            return (int)ctx.MsgRedirectMap(rig!.Map, 1, ingress ? BpfRedirectFlags.Ingress : 0);
        });
        return rig;
    }

    [Fact]
    public async Task Unread_ingress_msg_is_purged_when_the_target_closes()
    {
        var rig = IngressRedirectRig();
        Assert.Equal(100, await rig.Send(100));
        Assert.Equal(100, rig.P2.IngressBytes);
        rig.P2.Close();
        Assert.Equal(100, rig.P2.PurgedBytes);
        Assert.Equal(0, rig.P2.IngressBytes);
        Assert.Equal(0, rig.P2.RmemAlloc);
    }

    [Fact]
    public async Task Unread_ingress_msg_is_purged_when_the_target_leaves_its_last_map()
    {
        var rig = IngressRedirectRig();
        Assert.Equal(100, await rig.Send(100));
        Assert.Equal(0, rig.Map.Delete(1));
        Assert.Null(rig.P2.Psock);
        Assert.Equal(100, rig.P2.PurgedBytes);
        Assert.Empty(Rig.ReadAll(rig.P2)); // nothing left to read
    }

    [Fact]
    public async Task Partly_read_ingress_msg_loses_only_the_unread_rest()
    {
        var rig = IngressRedirectRig();
        Assert.Equal(100, await rig.Send(100));
        var buf = new byte[30];
        Assert.Equal(30, rig.P2.Recv(buf));
        Assert.Equal(Rig.Pattern(0, 30), buf);
        rig.P2.Close();
        Assert.Equal(70, rig.P2.PurgedBytes);
    }

    [Fact]
    public async Task Ingress_data_survives_while_the_target_stays_in_another_map()
    {
        var rig = IngressRedirectRig();
        var other = new SockActors.Model.Maps.SockMap("other", 2);
        Assert.Equal(0, other.Update(0, rig.P2));
        Assert.Equal(100, await rig.Send(100));
        Assert.Equal(0, rig.Map.Delete(1));
        Assert.Equal(0, rig.P2.PurgedBytes);
        Assert.Equal(Rig.Pattern(0, 100), Rig.ReadAll(rig.P2));
    }

    [Fact]
    public async Task A_hanging_cork_is_reported_as_sent_and_freed_at_close()
    {
        var rig = new Rig(ctx =>
        {
            ctx.MsgCorkBytes(1000);
            return SkAction.Pass;
        });
        Assert.Equal(100, await rig.Send(100));
        Assert.Equal(150, await rig.Send(150));
        Assert.Equal(250u, rig.C1.Psock!.Cork!.Size);
        Assert.Equal(1, rig.Prog!.Runs); // corked: the program waits for 1000 - 100 more bytes
        Assert.Empty(rig.ReadAllAfterTimers(rig.P1));
        rig.C1.Close();
        Assert.Equal(250, rig.C1.PurgedBytes);
        Assert.Empty(Rig.ReadAll(rig.P1));
    }

    [Fact]
    public async Task A_hanging_cork_is_freed_when_the_sender_leaves_its_last_map()
    {
        var rig = new Rig(ctx =>
        {
            ctx.MsgCorkBytes(1000);
            return SkAction.Pass;
        });
        Assert.Equal(100, await rig.Send(100));
        Assert.Equal(0, rig.Map.Delete(0));
        Assert.Equal(100, rig.C1.PurgedBytes);
        Assert.Null(rig.C1.Psock);
        Assert.Equal(10, await rig.Send(10)); // plain TCP now
        Assert.Equal(Rig.Pattern(100, 10), rig.ReadAllAfterTimers(rig.P1));
    }

    [Fact]
    public async Task A_DROP_verdict_sticks_later_sends_fail_EACCES_without_running_the_program()
    {
        int n = 0;
        var rig = new Rig(_ => n++ == 0 ? SkAction.Drop : SkAction.Pass);
        Assert.Equal(-Errno.EACCES, await rig.Send(100));
        Assert.Equal(-Errno.EACCES, await rig.Send(100));
        Assert.Equal(-Errno.EACCES, await rig.Send(5));
        Assert.Equal(1, rig.Prog!.Runs);
        Assert.Empty(rig.ReadAllAfterTimers(rig.P1));
    }

    [Fact]
    public async Task A_DROP_after_an_apply_window_ends_inside_the_chunk_returns_the_chunk_minus_apply()
    {
        // apply 30, then DROP on the re-run: sendmsg returns 70 although nothing is delivered (observed on 6.18)
        int n = 0;
        var rig = new Rig(ctx =>
        {
            ctx.MsgApplyBytes(30);
            return n++ == 0 ? SkAction.Pass : SkAction.Drop;
        });
        Assert.Equal(70, await rig.Send(100));
        Assert.Empty(Rig.ReadAll(rig.P1)); // the 30 passed bytes wait behind MSG_MORE
    }

    [Fact]
    public async Task A_redirect_to_a_socket_that_left_the_map_is_EACCES()
    {
        var rig = RigWith(0, ingress: false);
        Assert.Equal(100, await rig.Send(100));
        Assert.Equal(0, rig.Map.Delete(1));
        Assert.Equal(-Errno.EACCES, await rig.Send(100));
        Assert.Equal(100, Rig.ReadAll(rig.C2).Length);
    }

    [Fact]
    public async Task A_redirect_to_a_closed_target_is_EACCES()
    {
        var rig = RigWith(0, ingress: true);
        rig.P2.Close();
        Assert.Null(rig.Map.LookupSock(1));
        Assert.Equal(-Errno.EACCES, await rig.Send(100));
    }

    [Fact]
    public async Task A_cached_ingress_redirect_to_a_target_that_lost_its_psock_fails_EPIPE()
    {
        // apply 1000 caches REDIRECT(p2, ingress) for the next 900 bytes; p2 then leaves its only map, so its psock
        // goes while psock->sk_redir still points at it: tcp_bpf_sendmsg_redir finds no psock -> -EPIPE.
        var rig = IngressRedirectRig(apply: 1000);
        Assert.Equal(100, await rig.Send(100));
        Assert.Equal(1, rig.Prog!.Runs);
        Assert.Same(rig.P2, rig.C1.Psock!.SkRedir);
        Assert.Equal(0, rig.Map.Delete(1));
        Assert.Null(rig.P2.Psock);
        Assert.Equal(-Errno.EPIPE, await rig.Send(100));
        Assert.Equal(1, rig.Prog.Runs); // the cached verdict was used, the program did not run
        Assert.Equal(100, rig.P2.PurgedBytes); // the first 100 bytes were purged with the psock
    }

    [Fact]
    public async Task A_cached_egress_redirect_to_a_closed_target_fails_EPIPE()
    {
        var rig = RigWith(1000, ingress: false);
        Assert.Equal(100, await rig.Send(100));
        rig.P2.Close();
        Assert.Equal(-Errno.EPIPE, await rig.Send(100));
        Assert.Equal(1, rig.Prog!.Runs);
    }

    [Fact]
    public async Task A_failed_egress_redirect_of_a_corked_message_loses_the_data_and_reports_success()
    {
        // tcp_bpf_send_verdict: an error while redirecting the cork is swallowed (ret = 0) and the cork is freed.
        // The target p2 cannot take more (its send buffer is full, the send is MSG_DONTWAIT): -EAGAIN, swallowed.
        Rig? rig = null;
        rig = new Rig(ctx =>
        {
            if (ctx.Addresses.Equals(rig!.P2.Addresses)) return SkAction.Pass; // p2's own sends
            ctx.MsgCorkBytes(200);
            return (int)ctx.MsgRedirectMap(rig.Map, 1, 0);
        });
        rig.P2.Sndbuf = 1000;
        rig.C2.Rcvbuf = 500;
        Assert.Equal(3000, await rig.P2.SendMsgAsync(new byte[3000]));
        Assert.False(rig.P2.StreamMemoryFree);

        Assert.Equal(100, await rig.Send(100));                          // corked
        Assert.Equal(100, await rig.Send(100, MsgFlags.DontWait));       // flush -> redirect -> -EAGAIN swallowed
        Assert.Null(rig.C1.Psock!.Cork);
        Assert.Equal(2, rig.Prog!.Runs - 1);                              // c1's runs: the corking run and the flush
        Assert.Equal(3000, Rig.ReadAll(rig.C2).Length);                  // only p2's own bytes ever arrive
    }

    [Fact]
    public async Task A_failed_egress_redirect_of_a_plain_message_subtracts_the_freed_bytes_from_the_return()
    {
        Rig? rig = null;
        rig = new Rig(ctx =>
        {
            if (ctx.Addresses.Equals(rig!.P2.Addresses)) return SkAction.Pass;
            return (int)ctx.MsgRedirectMap(rig.Map, 1, 0);
        });
        rig.P2.Sndbuf = 1000;
        rig.C2.Rcvbuf = 500;
        Assert.Equal(3000, await rig.P2.SendMsgAsync(new byte[3000]));
        Assert.Equal(-Errno.EAGAIN, await rig.Send(100, MsgFlags.DontWait));
    }
}
