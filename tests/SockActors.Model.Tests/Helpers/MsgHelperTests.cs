using SockActors.Model.Kernel;
using SockActors.Model.Net;
using SockActors.Model.Programs;
using SockActors.Model.Tests.Support;

namespace SockActors.Model.Tests.Helpers;

/// <summary>
/// net/core/filter.c bpf_msg_pull_data / push_data / pop_data / apply_bytes / cork_bytes, driven through real sends:
/// a program calls the helper on the message sendmsg built, records the return code, size and data window, and the
/// receiver's bytes are compared with the stream.
/// </summary>
public class MsgHelperTests
{
    private const int EINVAL = -Errno.EINVAL;

    /// <summary>What one program run observed after calling the helper.</summary>
    private sealed record Seen(long Rc, uint SizeBefore, uint SizeAfter, byte[]? Window, byte[]? ArrayBefore, byte[]? ArrayAfter);

    /// <summary>Sends <paramref name="len"/> bytes from c1 with a PASS program that calls <paramref name="helper"/> once
    /// (first run only); returns what it saw, the send's rc and the bytes p1 received.</summary>
    private static async Task<(Seen Seen, int Rc, byte[] Stream, byte[] Received, Rig Rig)> RunOnce(
        int len, Func<ISkMsgContext, long> helper, KernelProfile? profile = null, int preSend = 0)
    {
        Seen? seen = null;
        var rig = new Rig(ctx =>
        {
            if (seen is not null) return SkAction.Pass;
            uint before = ctx.Size;
            var arrBefore = ctx.Data.Array;
            long rc = helper(ctx);
            var w = ctx.Data;
            seen = new Seen(rc, before, ctx.Size, w.Array is null ? null : w.AsSpan().ToArray(), arrBefore, w.Array);
            return SkAction.Pass;
        }, profile);
        if (preSend > 0)
        {
            // a warm-up send that the helper must not see
            seen = new Seen(0, 0, 0, null, null, null);
            await rig.Send(preSend);
            seen = null;
        }
        long off = rig.Offset;
        int rc = await rig.Send(len);
        var received = rig.ReadAllAfterTimers(rig.P1);
        if (preSend > 0) received = received[preSend..];
        return (seen!, rc, Rig.Pattern(off, len), received, rig);
    }

    private static byte[] Without(byte[] b, int start, int len) => b[..start].Concat(b[(start + len)..]).ToArray();

    // ---------------------------------------------------------------- pull

    [Theory]
    [InlineData(10u, 20u, 1ul)]     // flags != 0
    [InlineData(20u, 20u, 0ul)]     // end == start
    [InlineData(30u, 20u, 0ul)]     // end < start
    [InlineData(100u, 101u, 0ul)]   // start == size
    [InlineData(150u, 160u, 0ul)]   // start > size
    [InlineData(50u, 120u, 0ul)]    // end > size (observed: pull(50, 120) on 100 bytes is -EINVAL)
    [InlineData(0u, 101u, 0ul)]     // end one past size
    public async Task Pull_data_rejects_bad_arguments_with_EINVAL_and_leaves_message_and_window_alone(uint start, uint end, ulong flags)
    {
        var (seen, rc, stream, received, _) = await RunOnce(100, ctx => ctx.MsgPullData(start, end, flags));
        Assert.Equal(EINVAL, seen.Rc);
        Assert.Equal(100u, seen.SizeAfter);
        Assert.Equal(100, seen.Window!.Length);
        Assert.Equal(100, rc);
        Assert.Equal(stream, received);
    }

    [Fact]
    public async Task Pull_data_inside_one_element_moves_the_window_without_copying()
    {
        var (seen, rc, stream, received, _) = await RunOnce(100, ctx => ctx.MsgPullData(10, 20, 0));
        Assert.Equal(0, seen.Rc);
        Assert.Equal(stream[10..20], seen.Window);
        Assert.Same(seen.ArrayBefore, seen.ArrayAfter); // same page: no copy
        Assert.Equal(100u, seen.SizeAfter);
        Assert.Equal(100, rc);
        Assert.Equal(stream, received);
    }

    [Fact]
    public async Task Pull_data_to_the_last_byte_is_allowed()
    {
        var (seen, _, stream, received, _) = await RunOnce(100, ctx => ctx.MsgPullData(90, 100, 0));
        Assert.Equal(0, seen.Rc);
        Assert.Equal(stream[90..100], seen.Window);
        Assert.Equal(stream, received);
    }

    [Fact]
    public async Task Pull_data_across_the_32KiB_fragment_boundary_linearises_into_a_new_buffer()
    {
        // A fresh socket carves 40000 bytes as one 32768-byte element and one 7232-byte element.
        var (seen, rc, stream, received, _) = await RunOnce(40000, ctx => ctx.MsgPullData(32760, 32780, 0));
        Assert.Equal(0, seen.Rc);
        Assert.Equal(20, seen.Window!.Length);                 // data_end - data == end - start
        Assert.Equal(stream[32760..32780], seen.Window);
        Assert.NotSame(seen.ArrayBefore, seen.ArrayAfter);     // copied
        Assert.Equal(40000u, seen.SizeAfter);                   // size unchanged
        Assert.Equal(40000, rc);
        Assert.Equal(stream, received);                         // bytes unchanged
    }

    [Theory]
    [InlineData(0u, 1u)]
    [InlineData(0u, 40000u)]
    [InlineData(32767u, 32769u)]
    [InlineData(39999u, 40000u)]
    public async Task Pull_data_window_length_is_end_minus_start_and_size_is_unchanged(uint start, uint end)
    {
        var (seen, _, stream, received, _) = await RunOnce(40000, ctx => ctx.MsgPullData(start, end, 0));
        Assert.Equal(0, seen.Rc);
        Assert.Equal((int)(end - start), seen.Window!.Length);
        Assert.Equal(stream[(int)start..(int)end], seen.Window);
        Assert.Equal(40000u, seen.SizeAfter);
        Assert.Equal(stream, received);
    }

    // ---------------------------------------------------------------- push

    [Fact]
    public async Task Push_data_with_flags_is_EINVAL()
    {
        var (seen, _, stream, received, _) = await RunOnce(100, ctx => ctx.MsgPushData(10, 5, 1));
        Assert.Equal(EINVAL, seen.Rc);
        Assert.Equal(100u, seen.SizeAfter);
        Assert.Equal(stream, received);
    }

    [Fact]
    public async Task Push_data_of_length_zero_returns_0_and_changes_nothing()
    {
        var (seen, _, stream, received, _) = await RunOnce(100, ctx => ctx.MsgPushData(10, 0, 0));
        Assert.Equal(0, seen.Rc);
        Assert.Equal(100u, seen.SizeAfter);
        Assert.Equal(stream, received);
    }

    [Fact]
    public async Task Push_data_past_the_end_is_EINVAL()
    {
        var (seen, _, stream, received, _) = await RunOnce(100, ctx => ctx.MsgPushData(101, 5, 0));
        Assert.Equal(EINVAL, seen.Rc);
        Assert.Equal(100u, seen.SizeAfter);
        Assert.Equal(stream, received);
    }

    [Fact]
    public async Task Push_data_at_the_end_appends_on_linux_6_18()
    {
        var (seen, rc, stream, received, _) = await RunOnce(100, ctx => ctx.MsgPushData(100, 5, 0));
        Assert.Equal(0, seen.Rc);
        Assert.Equal(105u, seen.SizeAfter);
        Assert.Equal(100, rc); // the user's count, not the pushed bytes
        Assert.Equal(105, received.Length);
        Assert.Equal(stream, received[..100]);
    }

    [Fact]
    public async Task Push_data_at_the_end_is_EINVAL_before_the_6_13_fixes()
    {
        var pre613 = KernelProfile.Linux618 with { Name = "pre-6.13", PushPopFixes613 = false };
        var (seen, _, stream, received, _) = await RunOnce(100, ctx => ctx.MsgPushData(100, 5, 0), pre613);
        Assert.Equal(EINVAL, seen.Rc);
        Assert.Equal(100u, seen.SizeAfter);
        Assert.Equal(stream, received);
    }

    [Fact]
    public async Task Push_data_inside_an_element_grows_size_and_resets_the_window_to_the_first_element()
    {
        // observed: push_data(10, 5) -> receiver gets 105 bytes, len after push 10
        var (seen, rc, stream, received, _) = await RunOnce(100, ctx =>
        {
            Assert.Equal(0, ctx.MsgPullData(50, 60, 0)); // a pulled window is discarded by the push
            return ctx.MsgPushData(10, 5, 0);
        });
        Assert.Equal(0, seen.Rc);
        Assert.Equal(105u, seen.SizeAfter);
        Assert.Equal(stream[..10], seen.Window);
        Assert.Equal(100, rc);
        Assert.Equal(105, received.Length);
        Assert.Equal(stream[..10], received[..10]);
        Assert.Equal(stream[10..], received[15..]); // the 5 pushed bytes are uninitialised
    }

    [Fact]
    public async Task Push_data_at_offset_0_puts_the_new_element_first()
    {
        var (seen, _, stream, received, _) = await RunOnce(100, ctx => ctx.MsgPushData(0, 7, 0));
        Assert.Equal(0, seen.Rc);
        Assert.Equal(107u, seen.SizeAfter);
        Assert.Equal(7, seen.Window!.Length); // first element = the pushed bytes
        Assert.Equal(stream, received[7..]);
    }

    [Fact]
    public async Task Push_data_on_a_full_ring_rebuilds_the_element_in_copy_mode()
    {
        // 17 x 32 KiB fill the ring; the first chunk of a 600000-byte send is exactly those 17 elements.
        const int full = 17 * 32768;
        var (seen, rc, stream, received, _) = await RunOnce(600000, ctx => ctx.MsgPushData(100, 10, 0));
        Assert.Equal((uint)full, seen.SizeBefore);
        Assert.Equal(0, seen.Rc);
        Assert.Equal((uint)full + 10, seen.SizeAfter);
        // No free slot: element 0 is replaced by front + gap + back in one buffer, so the window spans all of it
        // (with a free slot it would be the 100-byte front).
        Assert.Equal(32768 + 10, seen.Window!.Length);
        Assert.Equal(stream[..100], seen.Window[..100]);
        Assert.Equal(stream[100..32768], seen.Window[110..]);
        Assert.Equal(600000, rc);
        Assert.Equal(600010, received.Length);
        Assert.Equal(stream[..100], received[..100]);
        Assert.Equal(stream[100..], received[110..]);
    }

    // ---------------------------------------------------------------- pop

    [Theory]
    [InlineData(10u, 5u, 1ul)]    // flags
    [InlineData(100u, 1u, 0ul)]   // start == size
    [InlineData(120u, 1u, 0ul)]   // start > size
    [InlineData(90u, 11u, 0ul)]   // start + len > size
    [InlineData(0u, 101u, 0ul)]
    public async Task Pop_data_rejects_bad_arguments_with_EINVAL(uint start, uint len, ulong flags)
    {
        var (seen, _, stream, received, _) = await RunOnce(100, ctx => ctx.MsgPopData(start, len, flags));
        Assert.Equal(EINVAL, seen.Rc);
        Assert.Equal(100u, seen.SizeAfter);
        Assert.Equal(stream, received);
    }

    [Fact]
    public async Task Pop_data_of_length_zero_returns_0_and_changes_nothing()
    {
        var (seen, _, stream, received, _) = await RunOnce(100, ctx => ctx.MsgPopData(10, 0, 0));
        Assert.Equal(0, seen.Rc);
        Assert.Equal(100u, seen.SizeAfter);
        Assert.Equal(stream, received);
    }

    [Fact]
    public async Task Pop_data_through_the_last_byte_is_allowed_on_linux_6_18()
    {
        var (seen, rc, stream, received, _) = await RunOnce(100, ctx => ctx.MsgPopData(90, 10, 0));
        Assert.Equal(0, seen.Rc);
        Assert.Equal(90u, seen.SizeAfter);
        Assert.Equal(100, rc);
        Assert.Equal(stream[..90], received);
    }

    [Fact]
    public async Task Pop_data_through_the_last_byte_is_EINVAL_before_the_6_13_fixes()
    {
        var pre613 = KernelProfile.Linux618 with { Name = "pre-6.13", PushPopFixes613 = false };
        var (seen, _, stream, received, _) = await RunOnce(100, ctx => ctx.MsgPopData(90, 10, 0), pre613);
        Assert.Equal(EINVAL, seen.Rc);
        Assert.Equal(stream, received);
    }

    [Fact]
    public async Task Pop_data_inside_an_element_splits_it_and_resets_the_window_to_the_front_part()
    {
        var (seen, rc, stream, received, _) = await RunOnce(100, ctx => ctx.MsgPopData(10, 5, 0));
        Assert.Equal(0, seen.Rc);
        Assert.Equal(95u, seen.SizeAfter);
        Assert.Equal(stream[..10], seen.Window);
        Assert.Equal(100, rc);
        Assert.Equal(Without(stream, 10, 5), received);
    }

    [Fact]
    public async Task Pop_data_at_offset_0_trims_the_front()
    {
        var (seen, _, stream, received, _) = await RunOnce(100, ctx => ctx.MsgPopData(0, 30, 0));
        Assert.Equal(0, seen.Rc);
        Assert.Equal(70u, seen.SizeAfter);
        Assert.Equal(stream[30..], seen.Window);
        Assert.Equal(stream[30..], received);
    }

    [Theory]
    [InlineData(32760u, 20u)]     // ends inside the second element
    [InlineData(32000u, 8000u)]   // removes the rest of the first and part of the second
    [InlineData(32768u, 7232u)]   // exactly the second element
    [InlineData(0u, 32768u)]      // exactly the first element
    public async Task Pop_data_across_elements_removes_exactly_the_range(uint start, uint len)
    {
        var (seen, rc, stream, received, _) = await RunOnce(40000, ctx => ctx.MsgPopData(start, len, 0));
        Assert.Equal(0, seen.Rc);
        Assert.Equal(40000u - len, seen.SizeAfter);
        Assert.Equal(40000, rc);
        Assert.Equal(Without(stream, (int)start, (int)len), received);
    }

    [Fact]
    public async Task Pop_on_a_full_ring_splits_an_element_in_a_new_buffer()
    {
        var (seen, rc, stream, received, _) = await RunOnce(600000, ctx => ctx.MsgPopData(100, 10, 0));
        Assert.Equal(0, seen.Rc);
        Assert.Equal(17u * 32768 - 10, seen.SizeAfter);
        Assert.Equal(32768 - 10, seen.Window!.Length); // no free slot: front and back copied into one buffer
        Assert.Equal(600000, rc);
        Assert.Equal(Without(stream, 100, 10), received);
    }

    // ---------------------------------------------------------------- apply / cork

    [Theory]
    [InlineData(0u)]
    [InlineData(1u)]
    [InlineData(100u)]
    [InlineData(uint.MaxValue)]
    public async Task Apply_bytes_and_cork_bytes_always_return_0(uint bytes)
    {
        long applyRc = -1, corkRc = -1;
        var rig = new Rig(ctx =>
        {
            applyRc = ctx.MsgApplyBytes(bytes);
            corkRc = ctx.MsgCorkBytes(bytes);
            return SkAction.Pass;
        });
        await rig.Send(100);
        Assert.Equal(0, applyRc);
        Assert.Equal(0, corkRc);
    }

    [Fact]
    public async Task Helpers_called_after_a_window_was_pulled_see_the_same_size()
    {
        var (seen, _, stream, received, _) = await RunOnce(100, ctx =>
        {
            Assert.Equal(0, ctx.MsgPullData(10, 20, 0));
            Assert.Equal(0, ctx.MsgPopData(0, 5, 0));
            return ctx.MsgPushData(0, 3, 0);
        });
        Assert.Equal(0, seen.Rc);
        Assert.Equal(98u, seen.SizeAfter);
        Assert.Equal(98, received.Length);
        Assert.Equal(stream[5..], received[3..]);
    }
}
