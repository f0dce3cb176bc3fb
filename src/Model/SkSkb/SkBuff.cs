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

    /// <summary>Appends bytes in frags (strparser adding an skb to the message's frag_list).</summary>
    internal void Append(ReadOnlySpan<byte> more)
    {
        var nb = new byte[Len + more.Length];
        Bytes.CopyTo(nb);
        more.CopyTo(nb.AsSpan(Len));
        _buf = nb;
        _data = 0;
        Len += more.Length;
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
