using SockActors.Model.Programs;
using SockActors.Model.SkSkb;
using SockActors.Model.Tests.Support;

namespace SockActors.Model.Tests.SkSkb;

/// <summary>net/strparser/strparser.c __strp_recv with skmsg.c's callbacks: how parser results frame the stream.</summary>
public class StreamParserTests
{
    [Fact]
    public void A_fixed_length_parser_cuts_messages_across_sends_and_the_verdict_sees_the_head_skb()
    {
        var verdict = SkbProgram.Pass();
        var r = new SkSkbTestRig(SkbProgram.Fixed(10), verdict);
        Assert.Equal(SkSkbRxMode.StreamParser, r.P1.Psock!.Rx.Mode);
        var data = SkSkbTestRig.Pattern(30);
        Assert.Equal(25, r.Send(r.C1, data[..25]));
        Assert.Equal(5, r.Send(r.C1, data[25..]));
        // Two messages inside the first 25-byte skb (the head is the whole skb both times), the third across both skbs.
        Assert.Equal(new uint[] { 25, 25, 30 }, verdict.Lens);
        Assert.Equal(data, SkSkbTestRig.ReadAll(r.P1));
        Assert.Equal(3, r.P1.Psock!.Rx.Strp!.Messages);
    }

    [Fact]
    public void A_parser_returning_0_is_asked_again_when_more_data_arrives()
    {
        var parser = new SkbProgram(ctx => ctx.Len < 8 ? 0 : 8);
        var verdict = SkbProgram.Pass();
        var r = new SkSkbTestRig(parser, verdict);
        var data = SkSkbTestRig.Pattern(8);
        r.Send(r.C1, data[..3]);
        r.Send(r.C1, data[3..6]);
        Assert.Empty(verdict.Lens);
        Assert.Equal(-Errno.EAGAIN, r.P1.Recv(new byte[16]));
        r.Send(r.C1, data[6..]);
        Assert.Equal(new uint[] { 3, 6, 8 }, parser.Lens);
        Assert.Equal(new uint[] { 8 }, verdict.Lens);
        Assert.Equal(data, SkSkbTestRig.ReadAll(r.P1));
    }

    [Fact]
    public void A_parser_returning_more_than_is_queued_waits_for_that_length()
    {
        var parser = SkbProgram.Fixed(100);
        var verdict = SkbProgram.Pass();
        var r = new SkSkbTestRig(parser, verdict);
        var data = SkSkbTestRig.Pattern(100);
        r.Send(r.C1, data[..30]);
        Assert.Empty(verdict.Lens);
        Assert.Equal(30, r.P1.Psock!.Rx.Strp!.AccumulatedBytes);
        r.Send(r.C1, data[30..]);
        Assert.Single(parser.Lens); // the length is known: the parser is not asked again
        Assert.Equal(new uint[] { 100 }, verdict.Lens);
        Assert.Equal(data, SkSkbTestRig.ReadAll(r.P1));
    }

    [Fact]
    public void A_negative_parser_result_stops_the_parser_sets_the_socket_error_and_leaves_data_queued()
    {
        var verdict = SkbProgram.Pass();
        var r = new SkSkbTestRig(new SkbProgram(_ => -Errno.EPERM), verdict);
        r.Send(r.C1, SkSkbTestRig.Pattern(20));
        Assert.True(r.P1.Psock!.Rx.Strp!.Stopped);
        Assert.Equal(Errno.EPERM, r.P1.Err);
        Assert.Equal(20, r.P1.ReceiveQueueBytes);
        // tcp_bpf_recvmsg_parser: skbs left in the receive queue make the read -EAGAIN.
        Assert.Equal(-Errno.EAGAIN, r.P1.Recv(new byte[64]));
        r.Send(r.C1, SkSkbTestRig.Pattern(5));
        Assert.Equal(25, r.P1.ReceiveQueueBytes);
        Assert.Empty(verdict.Lens);
    }

    [Fact]
    public void A_length_inside_the_bytes_already_accumulated_is_EPROTO()
    {
        int calls = 0;
        var r = new SkSkbTestRig(new SkbProgram(_ => calls++ == 0 ? 0 : 3), SkbProgram.Pass());
        r.Send(r.C1, SkSkbTestRig.Pattern(5));
        r.Send(r.C1, SkSkbTestRig.Pattern(5));
        Assert.Equal(Errno.EPROTO, r.P1.Err);
        Assert.True(r.P1.Psock!.Rx.Strp!.Stopped);
    }

    [Fact]
    public void A_length_above_sk_rcvbuf_is_EMSGSIZE()
    {
        var r = new SkSkbTestRig(SkbProgram.Fixed(200_000), SkbProgram.Pass());
        r.Send(r.C1, SkSkbTestRig.Pattern(10));
        Assert.Equal(Errno.EMSGSIZE, r.P1.Err);
    }

    [Fact]
    public void Bytes_after_a_message_in_the_same_skb_start_the_next_message_at_their_offset()
    {
        var offsets = new List<byte>();
        // The verdict reads the first byte of the head skb: for the second message it is still the skb's first byte.
        var verdict = new SkbProgram(ctx =>
        {
            var b = new byte[1];
            Assert.Equal(0, ctx.SkbLoadBytes(0, b));
            offsets.Add(b[0]);
            return SkAction.Pass;
        });
        var r = new SkSkbTestRig(SkbProgram.Fixed(4), verdict);
        var data = SkSkbTestRig.Pattern(8);
        r.Send(r.C1, data);
        Assert.Equal(new[] { data[0], data[0] }, offsets);
        Assert.Equal(data, SkSkbTestRig.ReadAll(r.P1));
    }
}
