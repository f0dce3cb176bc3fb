namespace SockActors.Model.Scenarios;

/// <summary>The contract's sender data: byte i of c1's stream is (i * 7 + (i >> 8)) &amp; 0xff.</summary>
public static class StreamPattern
{
    /// <summary>Byte <paramref name="i"/> of c1's stream.</summary>
    public static byte At(long i) => (byte)((i * 7 + (i >> 8)) & 0xff);

    /// <summary>Fills <paramref name="dest"/> with the stream's bytes starting at stream offset <paramref name="offset"/>.</summary>
    public static void Fill(Span<byte> dest, long offset)
    {
        for (int k = 0; k < dest.Length; k++)
            dest[k] = At(offset + k);
    }
}
