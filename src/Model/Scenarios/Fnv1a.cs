namespace SockActors.Model.Scenarios;

/// <summary>64-bit FNV-1a, the checksum of the conformance contract (offset basis 0xcbf29ce484222325, prime 0x100000001b3).</summary>
public struct Fnv1a
{
    public const ulong OffsetBasis = 0xcbf29ce484222325UL;
    public const ulong Prime = 0x100000001b3UL;

    private ulong _hash;
    private bool _started;

    public readonly ulong Value => _started ? _hash : OffsetBasis;

    public void Append(ReadOnlySpan<byte> bytes)
    {
        var h = _started ? _hash : OffsetBasis;
        foreach (var b in bytes)
        {
            h ^= b;
            h *= Prime;
        }
        _hash = h;
        _started = true;
    }

    public static ulong Hash(ReadOnlySpan<byte> bytes)
    {
        var f = new Fnv1a();
        f.Append(bytes);
        return f.Value;
    }

    public static string ToHex(ulong value) => value.ToString("x16");
}
