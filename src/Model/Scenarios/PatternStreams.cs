namespace SockActors.Model.Scenarios;

/// <summary>
/// One direction of a byte stream for tests of ordering and conservation: the contract's pattern
/// (<see cref="StreamPattern"/>) with a per-direction salt folded in, so that a byte that crossed into another stream
/// shows. <see cref="SendAllAsync"/> hands it to a blocking send call by call; <see cref="ReadAllAsync"/> reads it
/// back and fails on the first byte that is not the next one of the stream.
/// </summary>
public static class PatternStreams
{
    /// <summary>Bytes <paramref name="offset"/>.. of the stream with <paramref name="salt"/>.</summary>
    public static void Fill(Span<byte> dest, long offset, byte salt)
    {
        StreamPattern.Fill(dest, offset);
        if (salt == 0) return;
        for (int i = 0; i < dest.Length; i++) dest[i] ^= salt;
    }

    /// <summary>Sends <paramref name="total"/> bytes in calls of <paramref name="callSize"/>; a blocking send returns
    /// only what it accepted, so the stream goes on from there. Returns the bytes sent.</summary>
    public static async Task<long> SendAllAsync(Func<ReadOnlyMemory<byte>, ValueTask<int>> send, long total, int callSize, byte salt)
    {
        var buf = new byte[callSize];
        long off = 0;
        while (off < total)
        {
            int n = (int)Math.Min(callSize, total - off);
            Fill(buf.AsSpan(0, n), off, salt);
            int rc = await send(buf.AsMemory(0, n));
            if (rc <= 0) throw new InvalidOperationException($"a blocking send returned {rc} at stream offset {off}");
            off += rc;
        }
        return off;
    }

    /// <summary>Reads until <paramref name="total"/> bytes arrived, checking each against the stream. Returns the bytes read.</summary>
    public static async Task<long> ReadAllAsync(Func<Memory<byte>, ValueTask<int>> recv, long total, byte salt)
    {
        var buf = new byte[65536];
        var expected = new byte[65536];
        long off = 0;
        while (off < total)
        {
            int n = await recv(buf);
            if (n <= 0) throw new InvalidOperationException($"a blocking receive returned {n} at stream offset {off} of {total}");
            Fill(expected.AsSpan(0, n), off, salt);
            if (!buf.AsSpan(0, n).SequenceEqual(expected.AsSpan(0, n)))
                throw new InvalidOperationException($"bytes {off}..{off + n} are not the stream's next bytes");
            off += n;
        }
        return off;
    }
}
