using SockActors.Model.Memory;

namespace SockActors.Model.Msg;

/// <summary>struct scatterlist as sk_msg uses it: a page, an offset into it and a length. A zeroed entry has no page
/// (page_link == 0).</summary>
public struct ScatterlistEntry
{
    /// <summary>sg_page: the page the element points into, or null for an empty slot.</summary>
    public Page? Page;
    /// <summary>sg.offset: where the element's bytes start in <see cref="Page"/>.</summary>
    public int Offset;
    /// <summary>sg.length: the element's bytes.</summary>
    public int Length;

    /// <summary>SG_END in page_link: sg_is_last. sg_set_page keeps it, a struct copy carries it, page_link = 0 and
    /// memset clear it. sk_msg_recvmsg stops at a marked element and drops the rest of that message; the messages
    /// bpf_tcp_ingress queues carry no mark (TcpBpf.BpfTcpIngress), so there only an skb's last element has one.</summary>
    public bool EndMark;

    /// <summary>sg_set_page: a new page, offset and length; the end mark of the slot stays.</summary>
    public void SetPage(Page? page, int length, int offset)
    {
        Page = page;
        Length = length;
        Offset = offset;
    }

    /// <summary>The slot holds a page (page_link != 0).</summary>
    public readonly bool HasPage => Page is not null;

    /// <summary>Copies the element's bytes into <paramref name="dest"/> (at most dest.Length), see <see cref="Page.Read"/>.</summary>
    public readonly void CopyTo(Span<byte> dest)
    {
        if (Page is null) dest.Clear();
        else Page.Read(Offset, dest.Length < Length ? dest : dest[..Length]);
    }

    /// <summary>"[page id+offset, length]", or "(empty)".</summary>
    public override readonly string ToString() => Page is null ? "(empty)" : $"[{Page.Id}+{Offset}, {Length}]";
}
