namespace SockActors.Kernel;

/// <summary>How the receivers' quiet windows are timed (see QuietReader).</summary>
public enum ReadOrder
{
    /// <summary>As if p1, c2 and p2 were read one after the other (about 3 quiet times per scenario); matches the
    /// published observations.</summary>
    Sequential,

    /// <summary>All quiet windows start together (about 1 quiet time); faster, but misses data that TCP delivers late.</summary>
    Concurrent,
}
