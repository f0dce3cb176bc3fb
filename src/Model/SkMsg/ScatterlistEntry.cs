using SockActors.Model.Memory;

namespace SockActors.Model.Msg;

/// <summary>struct scatterlist as sk_msg uses it: a page, an offset into it and a length. A zeroed entry has no page
/// (page_link == 0).</summary>
public struct ScatterlistEntry
{
    public Page? Page;
    public int Offset;
    public int Length;

    public readonly bool HasPage => Page is not null;

    public readonly Span<byte> Span => Page is null ? Span<byte>.Empty : Page.Buffer.AsSpan(Offset, Length);

    public override readonly string ToString() => Page is null ? "(empty)" : $"[{Page.Id}+{Offset}, {Length}]";
}
