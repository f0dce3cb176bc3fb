namespace SockActors.Model.Memory;

/// <summary>A byte range in a page that a socket queue holds a reference on (an skb frag, simplified).</summary>
/// <param name="Page">The page the bytes are in.</param>
/// <param name="Offset">Where they start in the page, in bytes.</param>
/// <param name="Length">How many bytes.</param>
/// <param name="EndMark">The scatterlist element it came from had its end mark (sg_is_last).</param>
public readonly record struct Segment(Page Page, int Offset, int Length, bool EndMark = false);

/// <summary>
/// A FIFO of page segments: a TCP write queue or receive queue. Each segment holds one page reference, released when
/// its last byte is consumed or the queue is purged, so page frags are reused exactly when the kernel would
/// (skb_page_frag_refill reuses a page whose only reference is the frag's own).
/// </summary>
public sealed class SegmentQueue
{
    // Made by the first enqueue: an idle socket's write and receive queues stay empty (issue 9, heap per idle socket).
    // Reads of a never-used queue see the shared empty one, which nothing enqueues into.
    private Queue<Segment>? _queue;
    private static readonly Queue<Segment> NoSegments = new();
    private Queue<Segment> Segments => _queue ?? NoSegments;
    private int _headConsumed;

    /// <summary>Bytes queued (not yet consumed).</summary>
    public long Bytes { get; private set; }
    /// <summary>No bytes queued.</summary>
    public bool IsEmpty => Bytes == 0;
    /// <summary>Segments queued (the head one may be partly consumed).</summary>
    public int Count => Segments.Count;

    /// <summary>Queues a range and takes a reference on its page.</summary>
    public void Enqueue(Page page, int offset, int length)
    {
        if (length <= 0) return;
        page.Get();
        (_queue ??= new Queue<Segment>()).Enqueue(new Segment(page, offset, length));
        Bytes += length;
    }

    /// <summary>Copies up to dest.Length bytes out, consuming them and releasing fully read segments.</summary>
    public int Read(Span<byte> dest) => Consume(dest.Length, dest);

    /// <summary>Consumes up to <paramref name="max"/> bytes; copies them into <paramref name="dest"/> when it is not empty.</summary>
    public int Consume(int max, Span<byte> dest)
    {
        int done = 0;
        while (done < max && Segments.Count > 0)
        {
            var s = Segments.Peek();
            int avail = s.Length - _headConsumed;
            int n = Math.Min(avail, max - done);
            if (!dest.IsEmpty) s.Page.Read(s.Offset + _headConsumed, dest.Slice(done, n));
            done += n;
            _headConsumed += n;
            if (_headConsumed == s.Length)
            {
                Segments.Dequeue();
                _headConsumed = 0;
                s.Page.Put();
            }
        }
        Bytes -= done;
        return done;
    }

    /// <summary>Copies up to dest.Length bytes from the front without consuming them.</summary>
    public int Peek(Span<byte> dest)
    {
        int done = 0, skip = _headConsumed;
        foreach (var s in Segments)
        {
            if (done == dest.Length) break;
            int n = Math.Min(s.Length - skip, dest.Length - done);
            s.Page.Read(s.Offset + skip, dest.Slice(done, n));
            done += n;
            skip = 0;
        }
        return done;
    }

    /// <summary>The segments holding the first <paramref name="max"/> bytes, without consuming them or taking references.</summary>
    public List<Segment> PeekSegments(int max)
    {
        var list = new List<Segment>();
        int done = 0, skip = _headConsumed;
        foreach (var s in Segments)
        {
            if (done == max) break;
            int n = Math.Min(s.Length - skip, max - done);
            list.Add(new Segment(s.Page, s.Offset + skip, n));
            done += n;
            skip = 0;
        }
        return list;
    }

    /// <summary>Moves up to <paramref name="max"/> bytes to <paramref name="target"/>, keeping segment boundaries and page references.</summary>
    public long MoveTo(SegmentQueue target, long max)
    {
        long moved = 0;
        while (moved < max && Segments.Count > 0)
        {
            var s = Segments.Peek();
            int avail = s.Length - _headConsumed;
            int n = (int)Math.Min(avail, max - moved);
            target.Enqueue(s.Page, s.Offset + _headConsumed, n);
            moved += n;
            _headConsumed += n;
            if (_headConsumed == s.Length)
            {
                Segments.Dequeue();
                _headConsumed = 0;
                s.Page.Put();
            }
        }
        Bytes -= moved;
        return moved;
    }

    /// <summary>Drops everything, releasing the page references; returns the bytes dropped.</summary>
    public long Purge()
    {
        long dropped = Bytes;
        while (Segments.Count > 0) Segments.Dequeue().Page.Put();
        _headConsumed = 0;
        Bytes = 0;
        return dropped;
    }
}
