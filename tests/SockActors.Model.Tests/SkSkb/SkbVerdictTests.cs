using SockActors.Model.Maps;
using SockActors.Model.Programs;
using SockActors.Model.SkSkb;
using SockActors.Model.Tests.Support;

namespace SockActors.Model.Tests.SkSkb;

/// <summary>sk_psock_verdict_recv / sk_psock_verdict_apply / sk_psock_skb_redirect / sk_psock_backlog (skmsg.c) and the
/// attach and link rules of sock_map.c for SK_SKB programs.</summary>
public class SkbVerdictTests
{
    [Fact]
    public void A_stream_verdict_without_parser_runs_once_per_skb_and_pass_queues_on_the_socket_itself()
    {
        var verdict = SkbProgram.Pass();
        var r = new SkSkbTestRig(verdict: verdict);
        Assert.Equal(SkSkbRxMode.Verdict, r.P1.Psock!.Rx.Mode);
        var data = SkSkbTestRig.Pattern(300);
        r.Send(r.C1, data[..100]);
        r.Send(r.C1, data[100..]);
        Assert.Equal(new uint[] { 100, 200 }, verdict.Lens);
        Assert.Equal(300, r.P1.IngressBytes);
        Assert.Equal(0, r.P1.ReceiveQueueBytes);
        Assert.Equal(data, SkSkbTestRig.ReadAll(r.P1));
        Assert.Equal(0, r.P1.SkbRmem);
    }

    [Fact]
    public void An_skb_verdict_program_takes_the_same_path()
    {
        var verdict = SkbProgram.Pass();
        var r = new SkSkbTestRig(skbVerdict: verdict);
        r.Send(r.C1, SkSkbTestRig.Pattern(50));
        Assert.Single(verdict.Lens);
        Assert.Equal(50, SkSkbTestRig.ReadAll(r.P1).Length);
    }

    [Fact]
    public void Drop_frees_the_data_and_the_reader_sees_EAGAIN()
    {
        var r = new SkSkbTestRig(verdict: SkbProgram.Drop());
        Assert.Equal(64, r.Send(r.C1, SkSkbTestRig.Pattern(64)));
        Assert.Equal(-Errno.EAGAIN, r.P1.Recv(new byte[100]));
        Assert.Equal(64, r.P1.SkbDroppedBytes);
        Assert.Equal(0, r.P1.SkbRmem);
    }

    [Fact]
    public void A_parser_without_a_stream_verdict_leaves_the_receive_side_to_TCP()
    {
        var r = new SkSkbTestRig(parser: SkbProgram.Fixed(4));
        Assert.Equal(SkSkbRxMode.None, r.P1.Psock!.Rx.Mode);
        var data = SkSkbTestRig.Pattern(10);
        r.Send(r.C1, data);
        Assert.Equal(10, r.P1.ReceiveQueueBytes);
        Assert.Equal(data, SkSkbTestRig.ReadAll(r.P1));
    }

    [Fact]
    public void Attaching_a_program_of_the_wrong_type_is_EINVAL()
    {
        var m = new SockMap("m", 2);
        Assert.Equal(-Errno.EINVAL, m.Attach(SockAttachType.SkSkbStreamVerdict, DelegateProgram.Pass()));
        Assert.Equal(-Errno.EINVAL, m.Attach(SockAttachType.SkMsgVerdict, SkbProgram.Pass()));
    }

    [Fact]
    public void A_socket_whose_psock_has_a_stream_verdict_cannot_join_a_map_with_an_skb_verdict()
    {
        var r = new SkSkbTestRig(verdict: SkbProgram.Pass(), insertOthers: false);
        Assert.NotNull(r.P1.Psock!.Progs.StreamVerdict);
        var other = new SockMap("other", 2);
        Assert.Equal(0, other.Attach(SockAttachType.SkSkbVerdict, SkbProgram.Pass()));
        Assert.Equal(-Errno.EBUSY, other.Update(0, r.P1));
    }

    [Fact]
    public void Redirect_to_egress_sends_the_skb_out_of_the_target_to_its_peer()
    {
        var r = new SkSkbTestRig(verdictFor: m => new SkbProgram(ctx => (int)ctx.SkRedirectMap(m, 1, 0)));
        var data = SkSkbTestRig.Pattern(500);
        r.Send(r.C1, data);
        Assert.Equal(-Errno.EAGAIN, r.P1.Recv(new byte[10]));
        Assert.Equal(data, SkSkbTestRig.ReadAll(r.P2));
        Assert.Equal(1, r.K.PsockWorkRuns);
    }

    [Fact]
    public void Redirect_to_ingress_queues_on_the_target_ingress_msg()
    {
        var r = new SkSkbTestRig(verdictFor: m => new SkbProgram(ctx => (int)ctx.SkRedirectMap(m, 2, BpfRedirectFlags.Ingress)));
        var data = SkSkbTestRig.Pattern(500);
        r.Send(r.C1, data);
        Assert.Equal(500, r.P2.IngressBytes);
        Assert.Equal(data, SkSkbTestRig.ReadAll(r.P2));
        Assert.Equal(0, r.P2.SkbRmem);
    }

    [Fact]
    public void Redirect_to_an_empty_slot_or_with_bad_flags_is_a_drop()
    {
        var results = new List<long>();
        var r = new SkSkbTestRig(verdictFor: m => new SkbProgram(ctx =>
        {
            results.Add(ctx.SkRedirectMap(m, 3, 0));
            results.Add(ctx.SkRedirectMap(m, 1, 2));
            return (int)results[^1];
        }));
        r.Send(r.C1, SkSkbTestRig.Pattern(10));
        Assert.Equal(new long[] { SkAction.Drop, SkAction.Drop }, results);
        Assert.Equal(10, r.P1.SkbDroppedBytes);
    }

    [Fact]
    public void Redirect_to_a_socket_without_psock_drops_the_skb()
    {
        var map = new SockMap("m", 4);
        var k = new Net.SimKernel();
        var (c1, p1) = k.ConnectPair();
        var (c2, _) = k.ConnectPair();
        Assert.Equal(0, map.Attach(SockAttachType.SkSkbStreamVerdict, new SkbProgram(ctx => (int)ctx.SkRedirectMap(map, 1, 0))));
        Assert.Equal(0, map.Update(0, p1));
        Assert.Equal(0, map.Update(1, c2));
        Assert.Equal(0, map.Delete(1));
        Assert.Null(c2.Psock);
        Assert.Equal(10, new SkSkbTestRigSend(c1).Send(SkSkbTestRig.Pattern(10)));
        Assert.Equal(10, p1.SkbDroppedBytes);
    }

    [Fact]
    public void Redirect_to_a_full_egress_waits_in_the_backlog_and_the_sender_window_closes_until_the_reader_reads()
    {
        var r = new SkSkbTestRig(verdictFor: m => new SkbProgram(ctx => (int)ctx.SkRedirectMap(m, 1, 0)));
        r.C2.Sndbuf = 8192; // sock_writeable: below 4096 queued
        r.C1.NonBlocking = true;
        var data = SkSkbTestRig.Pattern(200_000);
        int sent = r.Send(r.C1, data);
        Assert.True(r.C1.HeldBytes > 0, "the sender's data waits in its write queue");
        Assert.True(r.P1.SkbRmem > 0); // the redirected skbs are still charged to p1 while they wait
        Assert.True(r.C2.SkbBacklogBytes > 0);
        var got = new List<byte>();
        int offset = sent;
        for (int round = 0; round < 2000 && got.Count < data.Length; round++)
        {
            got.AddRange(SkSkbTestRig.ReadAll(r.P2));
            r.K.AdvanceClock(SkPsockRx.JiffyNs);
            if (offset < data.Length)
            {
                int n = r.Send(r.C1, data[offset..]);
                if (n > 0) offset += n;
            }
        }
        Assert.Equal(data, got.ToArray());
        Assert.Equal(0, r.P1.SkbRmem);
    }

    [Fact]
    public void Redirect_to_ingress_of_a_socket_over_its_rcvbuf_retries_a_jiffy_later()
    {
        var r = new SkSkbTestRig(verdictFor: m => new SkbProgram(ctx => (int)ctx.SkRedirectMap(m, 2, BpfRedirectFlags.Ingress)));
        r.P2.SkRcvbuf = 100;
        r.Send(r.C1, SkSkbTestRig.Pattern(150));
        r.Send(r.C1, SkSkbTestRig.Pattern(50, 150));
        Assert.Equal(150, r.P2.IngressBytes);
        Assert.Equal(50, r.P2.SkbBacklogBytes);
        Assert.Equal(150, SkSkbTestRig.ReadAll(r.P2).Length);
        r.K.AdvanceClock(SkPsockRx.JiffyNs);
        Assert.Equal(SkSkbTestRig.Pattern(50, 150), SkSkbTestRig.ReadAll(r.P2));
    }

    [Fact]
    public void An_sk_msg_ingress_redirect_into_a_socket_with_a_stream_verdict_bypasses_the_verdict()
    {
        var k = new Net.SimKernel();
        var (c1, p1) = k.ConnectPair("c1", "p1");
        var (c2, p2) = k.ConnectPair("c2", "p2");
        var map = new SockMap("m", 4);
        var verdict = SkbProgram.Drop();
        Assert.Equal(0, map.Attach(SockAttachType.SkSkbStreamVerdict, verdict));
        Assert.Equal(0, map.Update(1, p2));
        var msgMap = new SockMap("msg", 4);
        Assert.Equal(0, msgMap.Attach(SockAttachType.SkMsgVerdict, new DelegateProgram(ctx => (int)ctx.MsgRedirectMap(map, 1, BpfRedirectFlags.Ingress))));
        Assert.Equal(0, msgMap.Update(0, c1));
        var data = SkSkbTestRig.Pattern(40);
        Assert.Equal(40, new SkSkbTestRigSend(c1).Send(data));
        Assert.Empty(verdict.Lens);
        Assert.Equal(data, SkSkbTestRig.ReadAll(p2));
    }

    [Fact]
    public void An_sk_msg_egress_redirect_reaches_the_target_peer_through_its_skb_verdict()
    {
        var k = new Net.SimKernel();
        var (c1, _) = k.ConnectPair("c1", "p1");
        var (c2, p2) = k.ConnectPair("c2", "p2");
        var map = new SockMap("m", 4);
        var verdict = SkbProgram.Drop();
        Assert.Equal(0, map.Attach(SockAttachType.SkSkbStreamVerdict, verdict));
        Assert.Equal(0, map.Update(2, p2));
        var msgMap = new SockMap("msg", 4);
        Assert.Equal(0, msgMap.Attach(SockAttachType.SkMsgVerdict, new DelegateProgram(ctx => (int)ctx.MsgRedirectMap(msgMap, 1, 0))));
        Assert.Equal(0, msgMap.Update(0, c1));
        Assert.Equal(0, msgMap.Update(1, c2));
        Assert.Equal(40, new SkSkbTestRigSend(c1).Send(SkSkbTestRig.Pattern(40)));
        Assert.Equal(new uint[] { 40 }, verdict.Lens);
        Assert.Equal(40, p2.SkbDroppedBytes);
    }

    [Fact]
    public void Close_purges_the_backlog_and_returns_the_charges()
    {
        var r = new SkSkbTestRig(verdictFor: m => new SkbProgram(ctx => (int)ctx.SkRedirectMap(m, 1, 0)));
        r.C2.Sndbuf = 8192;
        r.C1.NonBlocking = true;
        r.Send(r.C1, SkSkbTestRig.Pattern(100_000));
        Assert.True(r.C2.SkbBacklogBytes > 0);
        r.C2.Close();
        Assert.Equal(0, r.P1.SkbRmem);
        Assert.True(r.C2.SkbDroppedBytes > 0);
    }
}
