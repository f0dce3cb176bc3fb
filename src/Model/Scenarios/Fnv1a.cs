namespace SockActors.Model.Scenarios;

/// <summary>
/// 64-bit FNV-1a, the checksum of the conformance contract (prime 0x100000001b3). The published data was hashed with
/// offset basis 1469598103934665603 (0x14650fb0739d0383): the standard basis 14695981039346656037 with its last digit
/// lost. The README names the standard one, but every observed line (including the empty receivers' 14650fb0739d0383)
/// follows the truncated one, and the observations are the contract.
/// </summary>
public struct Fnv1a
{
    /// <summary>The contract's offset basis (the standard one with its last digit lost, see the type's summary).</summary>
    public const ulong OffsetBasis = 1469598103934665603UL;

    /// <summary>The standard FNV-1a offset basis, for users who want the textbook checksum.</summary>
    public const ulong StandardOffsetBasis = 0xcbf29ce484222325UL;
    /// <summary>The FNV 64-bit prime.</summary>
    public const ulong Prime = 0x100000001b3UL;

    private ulong _hash;
    private bool _started;

    /// <summary>The hash of the bytes appended so far (<see cref="OffsetBasis"/> for none).</summary>
    public readonly ulong Value => _started ? _hash : OffsetBasis;

    /// <summary>Hashes <paramref name="bytes"/> after those appended before (xor, then multiply by <see cref="Prime"/>, per byte).</summary>
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

    /// <summary>The contract's hash of <paramref name="bytes"/>.</summary>
    public static ulong Hash(ReadOnlySpan<byte> bytes)
    {
        var f = new Fnv1a();
        f.Append(bytes);
        return f.Value;
    }

    /// <summary>16 lower-case hex digits, as the contract writes checksums.</summary>
    public static string ToHex(ulong value) => value.ToString("x16");
}
