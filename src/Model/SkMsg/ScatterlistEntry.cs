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

    /// <summary>Copies the element's bytes into <paramref name="dest"/> (at most dest.Length), see <see cref="Page.Read"/>.</summary>
    public readonly void CopyTo(Span<byte> dest)
    {
        if (Page is null) dest.Clear();
        else Page.Read(Offset, dest.Length < Length ? dest : dest[..Length]);
    }

    public override readonly string ToString() => Page is null ? "(empty)" : $"[{Page.Id}+{Offset}, {Length}]";
}
