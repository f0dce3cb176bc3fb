namespace SockActors.Model.Maps;

/// <summary>
/// A BPF map as programs see it. Data maps (array, hash) keep their values in stable byte arrays so a program may
/// hold a pointer into a value (bpf_map_lookup_elem returns one); socket maps hold sockets and are reached by the
/// redirect helpers and the sockmap API instead.
/// </summary>
public abstract class BpfMap
{
    /// <summary>A map of <paramref name="type"/> with the attributes of bpf_attr (map_create); subclasses check them as the
    /// kernel's map_alloc_check does.</summary>
    protected BpfMap(string name, BpfMapType type, uint keySize, uint valueSize, uint maxEntries, uint flags)
    {
        Name = name;
        Type = type;
        KeySize = keySize;
        ValueSize = valueSize;
        MaxEntries = maxEntries;
        Flags = flags;
    }

    /// <summary>The map's name (bpf_attr.map_name, or the ELF map's name).</summary>
    public string Name { get; }
    /// <summary>bpf_attr.map_type.</summary>
    public BpfMapType Type { get; }
    /// <summary>bpf_attr.key_size, in bytes.</summary>
    public uint KeySize { get; }
    /// <summary>bpf_attr.value_size, in bytes.</summary>
    public uint ValueSize { get; }
    /// <summary>bpf_attr.max_entries.</summary>
    public uint MaxEntries { get; }
    /// <summary>bpf_attr.map_flags (BPF_F_*).</summary>
    public uint Flags { get; }

    /// <summary>bpf_map_lookup_elem from a program: the value's storage, or false (NULL). Socket maps return false.</summary>
    public virtual bool TryLookupValue(ReadOnlySpan<byte> key, out ArraySegment<byte> value)
    {
        value = default;
        return false;
    }

    /// <summary>bpf_map_update_elem from a program or user space, for data maps: 0 or -errno.</summary>
    public virtual long UpdateValue(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags) => -Errno.EOPNOTSUPP;

    /// <summary>bpf_map_delete_elem for data maps: 0 or -errno.</summary>
    public virtual long DeleteValue(ReadOnlySpan<byte> key) => -Errno.EOPNOTSUPP;

    /// <summary>One line: type, name, key and value sizes, max_entries.</summary>
    public override string ToString() => $"{Type} '{Name}' (key {KeySize}, value {ValueSize}, max {MaxEntries})";
}
