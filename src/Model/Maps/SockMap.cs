namespace SockActors.Model.Maps;

/// <summary>
/// BPF_MAP_TYPE_SOCKMAP (net/core/sock_map.c): an array of socket slots. Creation follows sock_map_alloc:
/// max_entries 0, key_size != 4 or value_size not 4/8 is -EINVAL.
/// </summary>
public sealed partial class SockMap : BpfMap
{
    public SockMap(string name, uint maxEntries, uint keySize = 4, uint valueSize = 4, uint flags = 0)
        : base(name, BpfMapType.SockMap, keySize, valueSize, maxEntries, flags)
    {
        // sock_map_alloc
        if (maxEntries == 0 || keySize != 4 || (valueSize != 4 && valueSize != 8))
            throw new BpfErrnoException(Errno.EINVAL, $"sockmap '{name}': max_entries must be > 0, key_size 4, value_size 4 or 8");
        Init();
    }

    partial void Init();
}
