using SockActors.Model.Memory;
using SockActors.Model.Net;

namespace SockActors.Model.SkSkb;

/// <summary>
/// A received struct sk_buff as the SK_SKB path sees it: its bytes (skb->data .. skb->data + len), how many of them
/// are linear (skb_headlen; loopback TCP data sits in page frags, so 0 until pulled), the strparser message it carries
/// (struct strp_msg: offset and full_len in skb->cb) and the bpf redirect state of skb->cb (skb_bpf_redirect_*).
/// The bytes are a private copy: the model's receive queue hands them over by value.
/// </summary>
public sealed class SkBuff
{
    private byte[] _buf;
    private int _data;

    /// <summary>An skb holding a copy of <paramref name="bytes"/>, all linear.</summary>
    public SkBuff(ReadOnlySpan<byte> bytes)
    {
        _buf = bytes.ToArray();
        _data = 0;
        Len = bytes.Length;
    }

    /// <summary>
    /// The page ranges behind the skb's bytes, in order, each holding a page reference: the received skb's frags, and
    /// for a strparser head the frags of each skb on its frag_list. The references keep the sender's page-frag pages
    /// from being reused while the kernel's skb (or the ingress message made from it) still points at them.
    /// </summary>
    private readonly List<Segment> _pages = new();

    /// <summary>Takes references on the pages behind the first <paramref name="length"/> bytes of <paramref name="queue"/>.</summary>
    internal void HoldPages(SegmentQueue queue, int length)
    {
        foreach (var seg in queue.PeekSegments(length))
        {
            seg.Page.Get();
            _pages.Add(seg);
        }
    }

    /// <summary>skb_clone / the frag_list link: takes its own references on <paramref name="other"/>'s pages.</summary>
    internal void HoldPagesOf(SkBuff other)
    {
        foreach (var seg in other._pages)
        {
            seg.Page.Get();
            _pages.Add(seg);
        }
    }

    /// <summary>kfree_skb / consume_skb: the page references go.</summary>
    internal void ReleasePages()
    {
        foreach (var seg in _pages) seg.Page.Put();
        _pages.Clear();
    }

    /// <summary>
    /// The frags of [off, off + len) as skb_splice_from_iter made them: a page range per 4 KiB page (the sender's
    /// 32 KiB page-frag pages are compound pages, spliced page by page), ranges continuing one another in the same
    /// 4 KiB page merged (skb_can_coalesce). Where the skb holds no pages (built from bytes, or reshaped by a helper)
    /// it is one piece.
    /// </summary>
    internal List<int> FragPieces(int off, int len)
    {
        var pieces = new List<int>();
        int known = 0;
        foreach (var seg in _pages) known += seg.Length;
        if (known != Len || HeadLen != 0)
        {
            if (len > 0) pieces.Add(len);
            return pieces;
        }
        int pos = 0, end = off + len;
        Page? lastPage = null;
        int lastEnd = -1;
        foreach (var seg in _pages)
        {
            for (int at = 0; at < seg.Length;)
            {
                int pageOff = seg.Offset + at;
                int n = Math.Min(seg.Length - at, Page.PageSize - pageOff % Page.PageSize);
                int from = Math.Max(pos + at, off), to = Math.Min(pos + at + n, end);
                if (to > from)
                {
                    int fromPageOff = pageOff + (from - pos - at);
                    bool merge = pieces.Count > 0 && ReferenceEquals(lastPage, seg.Page) && lastEnd == fromPageOff &&
                                 fromPageOff % Page.PageSize != 0;
                    if (merge) pieces[^1] += to - from;
                    else pieces.Add(to - from);
                    lastPage = seg.Page;
                    lastEnd = fromPageOff + (to - from);
                }
                at += n;
            }
            pos += seg.Length;
        }
        return pieces;
    }

    /// <summary>skb->len</summary>
    public int Len { get; private set; }

    /// <summary>skb_headlen: bytes from data that programs can address directly.</summary>
    public int HeadLen { get; set; }

    /// <summary>The bytes from skb->data.</summary>
    public Span<byte> Bytes => _buf.AsSpan(_data, Len);

    /// <summary>skb->sk: the socket whose receive memory the skb is charged to (skb_set_owner_r), null for none.</summary>
    public Sock? Sk { get; internal set; }

    /// <summary>Bytes charged to <see cref="Sk"/>'s receive memory (the skb's truesize, counted as its length).</summary>
    internal int Charged { get; set; }

    /// <summary>The linear window [data, data + headlen) the program addresses directly.</summary>
    internal ArraySegment<byte> Linear => new(_buf, _data, HeadLen);

    /// <summary>Appends an skb in frags (strparser adding it to the message's frag_list), with its pages.</summary>
    internal void Append(SkBuff more)
    {
        var nb = new byte[Len + more.Len];
        Bytes.CopyTo(nb);
        more.Bytes.CopyTo(nb.AsSpan(Len));
        _buf = nb;
        _data = 0;
        Len += more.Len;
        HoldPagesOf(more);
    }

    /// <summary>skb_clone: the same bytes and its own references on the same pages.</summary>
    internal SkBuff Clone()
    {
        var c = new SkBuff(Bytes) { HeadLen = HeadLen };
        c.HoldPagesOf(this);
        return c;
    }

    /// <summary>skb_bpf_set_strparser and struct strp_msg: the message is [Offset, Offset + FullLen) of the skb.</summary>
    public bool Strparser { get; set; }
    /// <summary>strp_msg.offset: where the message starts in the skb.</summary>
    public int StrpOffset { get; set; }
    /// <summary>strp_msg.full_len: the message's length, in bytes, as the parser program returned it.</summary>
    public int StrpFullLen { get; set; }

    /// <summary>skb_bpf_redirect_fetch / skb_bpf_ingress (the redirect target and BPF_F_INGRESS in skb->_sk_redir).</summary>
    public Sock? SkRedir { get; set; }
    /// <summary>BPF_F_INGRESS of the redirect: deliver to the target's receive queue rather than send from it.</summary>
    public bool Ingress { get; set; }

    /// <summary>__sk_buff.tc_index and priority (writable by SK_SKB programs).</summary>
    public uint TcIndex { get; set; }
    /// <summary>__sk_buff.priority (skb->priority).</summary>
    public uint Priority { get; set; }

    /// <summary>skb_bpf_redirect_clear</summary>
    public void RedirectClear()
    {
        SkRedir = null;
        Ingress = false;
    }

    /// <summary>__skb_push with zeroed bytes (bpf_skb_change_head, bpf_skb_adjust_room growing): the new bytes are linear.</summary>
    internal void PushZeroed(int n)
    {
        var nb = new byte[n + Len];
        Bytes.CopyTo(nb.AsSpan(n));
        _buf = nb;
        _data = 0;
        Len += n;
        HeadLen += n;
    }

    /// <summary>__skb_pull: drop <paramref name="n"/> bytes from the front (they must be linear: pskb_may_pull first).</summary>
    internal void Pull(int n)
    {
        _data += n;
        Len -= n;
        HeadLen = Math.Max(0, HeadLen - n);
    }

    /// <summary>Grow with zeros or trim at the tail (__bpf_skb_change_tail).</summary>
    internal void SetLength(int newLen)
    {
        if (newLen > Len)
        {
            var nb = new byte[newLen];
            Bytes.CopyTo(nb);
            _buf = nb;
            _data = 0;
        }
        Len = newLen;
        HeadLen = Math.Min(HeadLen, newLen);
    }

    /// <summary>pskb_may_pull: the first <paramref name="n"/> bytes become linear; false when the skb is shorter.</summary>
    internal bool MayPull(int n)
    {
        if (n > Len) return false;
        if (n > HeadLen) HeadLen = n;
        return true;
    }
}
