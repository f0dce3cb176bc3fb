using SockActors.Model.Programs;
using SockActors.Model.SkSkb;
using SockActors.Model.Tests.Support;

namespace SockActors.Model.Tests.SkSkb;

/// <summary>The sk_skb helpers of net/core/filter.c on received skbs.</summary>
public class SkbHelperTests
{
    private static SkBuff Skb(int n) => new(SkSkbTestRig.Pattern(n));

    [Fact]
    public void Load_bytes_past_the_end_zeroes_the_buffer_and_is_EFAULT()
    {
        var skb = Skb(10);
        var to = new byte[] { 9, 9, 9, 9 };
        Assert.Equal(-Errno.EFAULT, SkbHelpers.LoadBytes(skb, 8, to));
        Assert.Equal(new byte[4], to);
        Assert.Equal(0, SkbHelpers.LoadBytes(skb, 6, to));
        Assert.Equal(SkSkbTestRig.Pattern(10)[6..], to);
    }

    [Fact]
    public void Received_data_is_not_linear_until_pulled_and_pulling_past_the_end_is_ENOMEM()
    {
        var skb = Skb(10);
        Assert.Equal(0, skb.HeadLen);
        Assert.Equal(0, SkbHelpers.PullData(skb, 0)); // len 0 pulls skb_headlen: nothing
        Assert.Equal(0, skb.HeadLen);
        Assert.Equal(0, SkbHelpers.PullData(skb, 6));
        Assert.Equal(6, skb.HeadLen);
        Assert.Equal(-Errno.ENOMEM, SkbHelpers.PullData(skb, 11));
    }

    [Fact]
    public void Change_tail_grows_with_zeros_trims_and_refuses_flags_or_lengths_above_the_limit()
    {
        var skb = Skb(4);
        Assert.Equal(0, SkbHelpers.ChangeTail(skb, 6, 0));
        Assert.Equal(new byte[] { 3, 10, 17, 24, 0, 0 }, skb.Bytes.ToArray());
        Assert.Equal(0, SkbHelpers.ChangeTail(skb, 2, 0));
        Assert.Equal(2, skb.Len);
        Assert.Equal(-Errno.EINVAL, SkbHelpers.ChangeTail(skb, 3, 1));
        Assert.Equal(-Errno.EINVAL, SkbHelpers.ChangeTail(skb, SkbHelpers.BpfSkbMaxLen + 1, 0));
    }

    [Fact]
    public void Change_head_pushes_zeroed_linear_bytes()
    {
        var skb = Skb(3);
        Assert.Equal(0, SkbHelpers.ChangeHead(skb, 2, 0));
        Assert.Equal(new byte[] { 0, 0, 3, 10, 17 }, skb.Bytes.ToArray());
        Assert.Equal(2, skb.HeadLen);
        Assert.Equal(-Errno.EINVAL, SkbHelpers.ChangeHead(skb, 1, 1));
    }

    [Fact]
    public void Adjust_room_allows_only_mode_0_and_at_most_0xfff_bytes()
    {
        var skb = Skb(8);
        Assert.Equal(-Errno.EINVAL, SkbHelpers.AdjustRoom(skb, 4, 1, 0));
        Assert.Equal(-Errno.EINVAL, SkbHelpers.AdjustRoom(skb, 4, 0, 1));
        Assert.Equal(-Errno.EFAULT, SkbHelpers.AdjustRoom(skb, 0x1000, 0, 0));
        Assert.Equal(-Errno.ENOMEM, SkbHelpers.AdjustRoom(skb, -9, 0, 0));
        Assert.Equal(0, SkbHelpers.AdjustRoom(skb, -3, 0, 0));
        Assert.Equal(SkSkbTestRig.Pattern(8)[3..], skb.Bytes.ToArray());
        Assert.Equal(0, SkbHelpers.AdjustRoom(skb, 2, 0, 0));
        Assert.Equal(7, skb.Len);
    }

    [Fact]
    public void A_verdict_that_changes_the_skb_delivers_the_changed_bytes()
    {
        var verdict = new SkbProgram(ctx =>
        {
            Assert.Equal(0, ctx.SkbChangeTail(ctx.Len + 2, 0));
            Assert.Equal(0, ctx.SkbPullData(2));
            var window = ctx.Data;
            window[0] = 0xAA; // direct packet write after the pull
            return SkAction.Pass;
        });
        var r = new SkSkbTestRig(verdict: verdict);
        r.Send(r.C1, SkSkbTestRig.Pattern(4));
        var expected = SkSkbTestRig.Pattern(4).Concat(new byte[2]).ToArray();
        expected[0] = 0xAA;
        Assert.Equal(expected, SkSkbTestRig.ReadAll(r.P1));
    }

    [Fact]
    public void Growing_a_strparser_message_at_the_head_shifts_its_window_as_in_the_kernel()
    {
        // sk_skb_adjust_room does not move stm->offset/full_len: the message window keeps its place relative to the
        // new data start, so the pushed zeros come in and the message's last bytes fall out.
        var verdict = new SkbProgram(ctx => ctx.SkbAdjustRoom(2, 0, 0) == 0 ? SkAction.Pass : SkAction.Drop);
        var r = new SkSkbTestRig(SkbProgram.Fixed(4), verdict);
        var data = SkSkbTestRig.Pattern(4);
        r.Send(r.C1, data);
        Assert.Equal(new byte[] { 0, 0, data[0], data[1] }, SkSkbTestRig.ReadAll(r.P1));
    }
}
