namespace SockActors.Model.Memory;

/// <summary>
/// A page (or compound page of 2^order pages) with a reference count, as struct page is used by skmsg.c: every
/// scatterlist element, socket buffer segment and page frag that points into it holds one reference
/// (get_page/put_page). The buffer is not cleared between uses, as alloc_pages does not zero: bytes the kernel leaves
/// uninitialised (pushed data) keep whatever an earlier user wrote.
/// </summary>
public sealed class Page
{
    /// <summary>PAGE_SIZE: 4096 bytes; a page of order n is PageSize &lt;&lt; n bytes.</summary>
    public const int PageSize = 4096;

    private readonly PageAllocator _owner;

    internal Page(PageAllocator owner, int order, long id)
    {
        _owner = owner;
        Order = order;
        Buffer = new byte[PageSize << order];
        Id = id;
    }

    /// <summary>The page's bytes (not cleared between uses, as alloc_pages does not zero).</summary>
    public byte[] Buffer { get; }
    /// <summary>The page's order: it spans 2^Order pages.</summary>
    public int Order { get; }
    /// <summary>Bytes in the page (PageSize &lt;&lt; Order).</summary>
    public int Size => Buffer.Length;
    /// <summary>The allocation's number in its allocator (new on every allocation, also of a recycled page), for traces.</summary>
    public long Id { get; internal set; }
    private int _refCount;

    /// <summary>page_ref_count. Atomic, because the actor runtime lets sockets on different threads share pages
    /// (a redirected element stays in the sender's page, as in the kernel).</summary>
    public int RefCount { get => Volatile.Read(ref _refCount); internal set => Volatile.Write(ref _refCount, value); }

    /// <summary>get_page</summary>
    public void Get() => Interlocked.Increment(ref _refCount);

    /// <summary>put_page: the last reference returns the page to its allocator.</summary>
    public void Put()
    {
        int now = Interlocked.Decrement(ref _refCount);
        if (now < 0) throw new InvalidOperationException($"put_page on free page {Id}: simulator bug");
        if (now == 0) _owner.Free(this);
    }

    /// <summary>
    /// Copies bytes out of the page starting at <paramref name="offset"/>. A range that runs past the page (the kernel's
    /// push_data computes a split element's offset as offset + start, not offset + start - element offset, so such
    /// ranges exist) reads zeros where the kernel would read neighbouring memory: the content is undefined either way.
    /// </summary>
    public void Read(int offset, Span<byte> dest)
    {
        int avail = Math.Clamp(Buffer.Length - offset, 0, dest.Length);
        if (offset < 0) avail = 0;
        if (avail > 0) Buffer.AsSpan(offset, avail).CopyTo(dest);
        if (avail < dest.Length) dest[avail..].Clear();
    }

    /// <summary>
    /// page_copy_sane (lib/iov_iter.c): copy_page_to_iter refuses a range that does not lie inside the (compound)
    /// page and copies nothing, so a reader stops at such an element with a short read or -EFAULT.
    /// </summary>
    public bool CopySane(int offset, int n) => offset >= 0 && n >= 0 && (long)offset + n <= Buffer.Length;

    /// <summary>Copies bytes into the page; bytes that would land past its end are dropped (see <see cref="Read"/>).</summary>
    public void Write(int offset, ReadOnlySpan<byte> src)
    {
        if (offset < 0 || offset >= Buffer.Length) return;
        int n = Math.Min(src.Length, Buffer.Length - offset);
        src[..n].CopyTo(Buffer.AsSpan(offset, n));
    }

    /// <summary>"page#id(order n, refs r)".</summary>
    public override string ToString() => $"page#{Id}(order {Order}, refs {RefCount})";
}

/// <summary>
/// alloc_pages for the simulation: pooled buffers per order, so a steady stream of sends allocates nothing once warm.
/// Pages come back with one reference (the caller's).
/// </summary>
public sealed class PageAllocator
{
    private readonly Stack<Page>[] _free = Enumerable.Range(0, 11).Select(_ => new Stack<Page>()).ToArray();
    private long _nextId;

    /// <summary>Bytes currently allocated (pages with references), for leak checks and memory limits.</summary>
    public long BytesInUse { get; private set; }

    /// <summary>get_order(size): the smallest order whose pages hold <paramref name="size"/> bytes.</summary>
    public static int GetOrder(long size)
    {
        int order = 0;
        long cap = Page.PageSize;
        while (cap < size) { cap <<= 1; order++; }
        return order;
    }

    private readonly Lock _lock = new();

    /// <summary>alloc_pages(order): a page of 2^<paramref name="order"/> pages with one reference (a freed page of that
    /// order is reused, its bytes as they were); counted in BytesInUse until its last reference is put. Throws
    /// <see cref="ArgumentOutOfRangeException"/> for an order the allocator does not have.</summary>
    public Page Alloc(int order)
    {
        if (order < 0 || order >= _free.Length) throw new ArgumentOutOfRangeException(nameof(order), order, "page order out of range");
        Page page;
        lock (_lock)
        {
            page = _free[order].Count > 0 ? _free[order].Pop() : new Page(this, order, 0);
            page.Id = ++_nextId;
            BytesInUse += page.Size;
        }
        page.RefCount = 1;
        return page;
    }

    internal void Free(Page page)
    {
        lock (_lock)
        {
            BytesInUse -= page.Size;
            _free[page.Order].Push(page);
        }
    }
}
