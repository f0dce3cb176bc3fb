using SockActors.Model.Msg;
using SockActors.Model.Net;
using SockActors.Model.Programs;
using SockActors.Model.Tests.Support;

namespace SockActors.Model.Tests.SendFile;

/// <summary>
/// sendfile on 6.18 (splice: at most 16 page-cache pages per sendmsg(MSG_SPLICE_PAGES), MSG_MORE while more follows)
/// and page-frag continuation across sends (skb_page_frag_refill; observed len 32668 after a 100-byte send).
/// </summary>
public class SendfileChunkingTests
{
    /// <summary>Wraps the sequential engine and records the flags of each redirect (the path that carries the
    /// sendmsg flags to an observable place).</summary>
    private sealed class FlagSpy(ISockEnvironment inner) : ISockEnvironment
    {
        public List<(int Flags, uint Bytes)> Redirects { get; } = new();

        public ValueTask<RedirectOutcome> SendMsgRedirAsync(Sock target, bool ingress, RedirectSegments segments, int flags)
        {
            Redirects.Add((flags, (uint)segments.Segments.Sum(s => s.Length)));
            return inner.SendMsgRedirAsync(target, ingress, segments, flags);
        }

        public ValueTask<long> WaitForMemoryAsync(Sock sk, long timeoNs) => inner.WaitForMemoryAsync(sk, timeoNs);

        public ValueTask<long> WaitForDataAsync(Sock sk, long timeoNs) => inner.WaitForDataAsync(sk, timeoNs);

        public void Wake(Sock sk) => inner.Wake(sk);
    }

    private static async Task<(List<uint> Sizes, List<int> Lens, Rig Rig)> Sendfile(long offset, int count)
    {
        var lens = new List<int>();
        var rig = new Rig(ctx => { lens.Add(ctx.Data.Count); return SkAction.Pass; });
        if (offset > 0)
        {
            // advance the stream without sending: a file read from 'offset'
            var file = Rig.Pattern(0, (int)(offset + count));
            Assert.Equal(count, await rig.C1.SendFileAsync(file, offset, count));
            var got = rig.ReadAllAfterTimers(rig.P1);
            Assert.Equal(file[(int)offset..], got);
        }
        else
        {
            Assert.Equal(count, await rig.SendFile(count));
            Assert.Equal(Rig.Pattern(0, count), rig.ReadAllAfterTimers(rig.P1));
        }
        return (rig.Prog!.Sizes, lens, rig);
    }

    [Theory]
    [InlineData(40000L, 70000, new uint[] { 62400, 7600 })]          // observed on 6.18
    [InlineData(0L, 200000, new uint[] { 65536, 65536, 65536, 3392 })]
    [InlineData(4095L, 70000, new uint[] { 61441, 8559 })]
    [InlineData(4096L, 65536, new uint[] { 65536 })]
    [InlineData(100L, 50, new uint[] { 50 })]
    public async Task Sendfile_is_cut_into_chunks_of_at_most_16_page_cache_pages_from_the_file_offset(long offset, int count, uint[] expected)
    {
        var (sizes, _, _) = await Sendfile(offset, count);
        Assert.Equal(expected, sizes);
    }

    [Fact]
    public async Task Sendfile_chunks_carry_MSG_MORE_except_the_last()
    {
        Rig? rig = null;
        rig = new Rig(ctx => (int)ctx.MsgRedirectMap(rig!.Map, 1, 0));
        var spy = new FlagSpy(rig.K.Environment);
        rig.K.Environment = spy;
        Assert.Equal(200000, await rig.SendFile(200000));
        Assert.Equal(4, spy.Redirects.Count);
        Assert.All(spy.Redirects.Take(3), r => Assert.NotEqual(0, r.Flags & MsgFlags.More));
        Assert.Equal(0, spy.Redirects[3].Flags & MsgFlags.More);
        Assert.All(spy.Redirects, r => Assert.NotEqual(0, r.Flags & MsgFlags.SplicePages));
        Assert.Equal(Rig.Pattern(0, 200000), Rig.ReadAll(rig.C2));
    }

    [Fact]
    public async Task A_sendmsg_has_no_MSG_MORE_unless_the_caller_sets_it()
    {
        Rig? rig = null;
        rig = new Rig(ctx => (int)ctx.MsgRedirectMap(rig!.Map, 1, 0));
        var spy = new FlagSpy(rig.K.Environment);
        rig.K.Environment = spy;
        Assert.Equal(1000, await rig.Send(1000));
        Assert.Equal(1000, await rig.Send(1000, MsgFlags.More));
        Assert.Equal(0, spy.Redirects[0].Flags & MsgFlags.More);
        Assert.NotEqual(0, spy.Redirects[1].Flags & MsgFlags.More);
    }

    [Fact]
    public async Task A_MSG_MORE_chunk_whose_successor_is_dropped_waits_for_the_probe_timer()
    {
        // The first 62400-byte chunk is pushed with MSG_MORE and stays in c1's write queue; the second is dropped.
        int n = 0;
        var rig = new Rig(_ => n++ == 0 ? SkAction.Pass : SkAction.Drop);
        var file = Rig.Pattern(0, 110000);
        Assert.Equal(62400, await rig.C1.SendFileAsync(file, 40000, 70000));
        Assert.Empty(Rig.ReadAll(rig.P1));
        Assert.Equal(62400, rig.C1.HeldBytes);
        rig.K.AdvanceClock(Sock.TcpRtoMinNs);
        Assert.Equal(file[40000..102400], Rig.ReadAll(rig.P1));
    }

    [Fact]
    public async Task The_first_send_on_a_fresh_socket_sees_one_full_32KiB_fragment()
    {
        var lens = new List<int>();
        var rig = new Rig(ctx => { lens.Add(ctx.Data.Count); return SkAction.Pass; });
        Assert.Equal(40000, await rig.Send(40000));
        Assert.Equal(new[] { 32768 }, lens);
    }

    [Fact]
    public async Task Page_fragments_continue_across_sends_so_the_window_after_a_100_byte_send_is_32668()
    {
        var lens = new List<int>();
        var rig = new Rig(ctx => { lens.Add(ctx.Data.Count); return SkAction.Pass; });
        Assert.Equal(100, await rig.Send(100));
        Assert.Equal(40000, await rig.Send(40000));
        Assert.Equal(new[] { 100, 32668 }, lens);
        Assert.Equal(new uint[] { 100, 40000 }, rig.Prog!.Sizes);
        Assert.Equal(Rig.Pattern(0, 40100), rig.ReadAllAfterTimers(rig.P1));
    }

    [Fact]
    public async Task Sendfile_data_is_carved_from_the_same_page_fragment_as_sendmsg()
    {
        var lens = new List<int>();
        var rig = new Rig(ctx => { lens.Add(ctx.Data.Count); return SkAction.Pass; });
        Assert.Equal(100, await rig.Send(100));
        Assert.Equal(40000, await rig.SendFile(40000));
        Assert.Equal(new[] { 100, 32668 }, lens);
    }
}
