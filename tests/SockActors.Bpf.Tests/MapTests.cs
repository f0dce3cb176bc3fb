using SockActors.Model;
using SockActors.Model.Maps;

namespace SockActors.Bpf.Tests;

/// <summary>ArrayMap and HashMap return codes (kernel/bpf/arraymap.c, hashtab.c).</summary>
public class MapTests
{
    private static byte[] K(uint k) => BitConverter.GetBytes(k);

    [Fact]
    public void ArraySemantics()
    {
        var a = new ArrayMap("a", 2, 4);
        Assert.True(a.TryLookupValue(K(1), out var v1));
        Assert.Equal(4, v1.Count);
        Assert.False(a.TryLookupValue(K(2), out _));
        Assert.Equal(0, a.UpdateValue(K(1), K(7), 0));
        Assert.Equal(7u, BitConverter.ToUInt32(v1)); // the pointer from the lookup sees the update: stable storage
        Assert.Equal(-Errno.E2BIG, a.UpdateValue(K(2), K(7), 0));
        Assert.Equal(-Errno.EEXIST, a.UpdateValue(K(0), K(7), 1));
        Assert.Equal(0, a.UpdateValue(K(0), K(7), 2));
        Assert.Equal(-Errno.EINVAL, a.UpdateValue(K(0), K(7), 3));
        Assert.Equal(-Errno.EINVAL, a.DeleteValue(K(0)));
        Assert.Throws<BpfErrnoException>(() => new ArrayMap("bad", 0, 4));
        Assert.Throws<BpfErrnoException>(() => new ArrayMap("bad", 1, 4, keySize: 8));
    }

    [Fact]
    public void HashSemantics()
    {
        var h = new HashMap("h", 2, 4, 4);
        Assert.False(h.TryLookupValue(K(1), out _));
        Assert.Equal(-Errno.ENOENT, h.UpdateValue(K(1), K(10), 2));
        Assert.Equal(0, h.UpdateValue(K(1), K(10), 1));
        Assert.Equal(-Errno.EEXIST, h.UpdateValue(K(1), K(11), 1));
        Assert.True(h.TryLookupValue(K(1), out var v));
        Assert.Equal(0, h.UpdateValue(K(1), K(12), 2));
        Assert.Equal(12u, BitConverter.ToUInt32(v));
        Assert.Equal(0, h.UpdateValue(K(2), K(20), 0));
        Assert.Equal(-Errno.E2BIG, h.UpdateValue(K(3), K(30), 0));
        Assert.Equal(0, h.UpdateValue(K(2), K(21), 0)); // existing key in a full map is fine
        Assert.Equal(0, h.DeleteValue(K(2)));
        Assert.Equal(-Errno.ENOENT, h.DeleteValue(K(2)));
        Assert.Equal(-Errno.EINVAL, h.UpdateValue(K(3), K(30), 4 | 3));
        Assert.Equal(1, h.Count);
    }
}
