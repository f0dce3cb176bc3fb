namespace SockActors.Model.Memory;

/// <summary>
/// struct page_frag: the page a socket carves send buffers from (sk_page_frag). Carvings continue across sends, so
/// the first element of a message can start in the middle of a 32 KiB page (observed: len 32668 after a 100-byte send).
/// </summary>
public sealed class PageFrag
{
    /// <summary>SKB_FRAG_PAGE_ORDER = get_order(32768) (include/net/sock.h).</summary>
    public const int FragPageOrder = 3;

    /// <summary>page_frag.page: the current page, or null before the first refill.</summary>
    public Page? Page { get; private set; }
    /// <summary>page_frag.offset: where the next carving starts, in bytes; the sender advances it.</summary>
    public int Offset { get; set; }
    /// <summary>page_frag.size: bytes in the page.</summary>
    public int Size { get; private set; }

    /// <summary>
    /// skb_page_frag_refill (net/core/sock.c): keep the page if this frag is its only user (restart at offset 0) or
    /// if <paramref name="sz"/> bytes still fit; otherwise drop it and take a fresh 32 KiB page.
    /// </summary>
    public bool Refill(PageAllocator pages, int sz = 32)
    {
        if (Page is not null)
        {
            if (Page.RefCount == 1)
            {
                Offset = 0;
                return true;
            }
            if (Offset + sz <= Size) return true;
            Page.Put();
        }
        Offset = 0;
        Page = pages.Alloc(FragPageOrder);
        Size = Page.Size;
        return true;
    }

    /// <summary>Releases the frag's own reference (socket destruction: sk_destruct puts sk_frag.page).</summary>
    public void Release()
    {
        Page?.Put();
        Page = null;
        Offset = Size = 0;
    }
}
