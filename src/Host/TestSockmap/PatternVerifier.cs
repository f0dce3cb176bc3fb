namespace SockActors.Host.TestSockmap;

/// <summary>
/// test_sockmap's msg_verify_data as a stream check: the expected byte value restarts at 0 every chunk (sendmsg: the
/// iov_count × iov_length buffer; sendpage: one iov_length block), bytes the program pushed are skipped (the kernel
/// leaves them uninitialised), bytes it popped are missing from the expected sequence (msg_verify_date_prep). One
/// program run per chunk is assumed, as in the subtests that verify.
/// </summary>
public sealed class PatternVerifier
{
    private readonly record struct Segment(bool Wild, int Source, int Length);

    private readonly Segment[] _layout;
    private int _seg;
    private int _pos;

    /// <param name="chunk">bytes per chunk as sent</param>
    /// <param name="push">(start, len) of bpf_msg_push_data, len 0 for none</param>
    /// <param name="pop">(start, len) of bpf_msg_pop_data, applied after the push, len 0 for none</param>
    /// <param name="appendAndPopToEndAllowed">the 6.13 helper fixes: push at start == size and a pop that reaches the
    /// last byte are accepted (before, both were -EINVAL: the push failure drops the run, the pop is ignored)</param>
    public PatternVerifier(int chunk, (uint Start, uint Len) push, (uint Start, uint Len) pop, bool appendAndPopToEndAllowed)
    {
        // The layout the receiver sees for one chunk: the chunk's own bytes, with a pushed hole, minus a popped range.
        var layout = new List<Segment> { new(false, 0, chunk) };
        long size = chunk;
        if (push.Len != 0 && (push.Start < size || (appendAndPopToEndAllowed && push.Start == size)))
        {
            layout = Cut(layout, push.Start, out var rest);
            layout.Add(new Segment(true, 0, (int)push.Len));
            layout.AddRange(rest);
            size += push.Len;
        }
        if (pop.Len != 0 && pop.Start < size && (pop.Start + (long)pop.Len < size || (appendAndPopToEndAllowed && pop.Start + (long)pop.Len == size)))
        {
            var head = Cut(layout, pop.Start, out var tail);
            Cut(tail, pop.Len, out var after);
            head.AddRange(after);
            layout = head;
        }
        _layout = layout.Where(s => s.Length > 0).ToArray();
        BytesPerChunk = _layout.Sum(s => (long)s.Length);
    }

    /// <summary>Bytes the receiver gets per chunk.</summary>
    public long BytesPerChunk { get; }

    /// <summary>Bytes that did not match the pattern.</summary>
    public long Errors { get; private set; }

    /// <summary>Offset in the received stream of the first mismatch, or -1.</summary>
    public long FirstErrorAt { get; private set; } = -1;

    /// <summary>What the first mismatch was.</summary>
    public string? FirstErrorDetail { get; private set; }

    private long _offset;

    public void Feed(ReadOnlySpan<byte> data)
    {
        if (_layout.Length == 0) { Errors += data.Length; return; }
        int i = 0;
        while (i < data.Length)
        {
            var s = _layout[_seg];
            int n = Math.Min(s.Length - _pos, data.Length - i);
            if (!s.Wild)
            {
                int src = s.Source + _pos;
                for (int k = 0; k < n; k++)
                {
                    if (data[i + k] != (byte)(src + k))
                    {
                        if (FirstErrorAt < 0)
                        {
                            FirstErrorAt = _offset + i + k;
                            FirstErrorDetail = $"expected {(byte)(src + k)}, got {data[i + k]}; next {Convert.ToHexString(data.Slice(i + k, Math.Min(16, data.Length - i - k)))}";
                        }
                        Errors++;
                    }
                }
            }
            i += n;
            _pos += n;
            if (_pos == s.Length)
            {
                _pos = 0;
                _seg = (_seg + 1) % _layout.Length;
            }
        }
        _offset += data.Length;
    }

    /// <summary>Splits a layout at <paramref name="at"/> bytes: returns the part before, <paramref name="rest"/> the part after.</summary>
    private static List<Segment> Cut(List<Segment> layout, long at, out List<Segment> rest)
    {
        var head = new List<Segment>();
        rest = new List<Segment>();
        long pos = 0;
        foreach (var s in layout)
        {
            if (pos + s.Length <= at) head.Add(s);
            else if (pos >= at) rest.Add(s);
            else
            {
                int left = (int)(at - pos);
                head.Add(s with { Length = left });
                rest.Add(new Segment(s.Wild, s.Wild ? 0 : s.Source + left, s.Length - left));
            }
            pos += s.Length;
        }
        return head;
    }
}
