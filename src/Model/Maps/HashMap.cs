namespace SockActors.Model.Maps;

/// <summary>
/// BPF_MAP_TYPE_HASH (kernel/bpf/hashtab.c) with the update/delete return codes of htab_map_update_elem and
/// htab_map_delete_elem. Each value is its own byte array that is never reallocated while the element exists, so a
/// pointer from bpf_map_lookup_elem stays valid. Simplification: an update of an existing key copies the new value in
/// place (the kernel swaps in a new element, so a reader holding the old pointer would keep seeing the old value).
/// </summary>
public sealed class HashMap : BpfMap
{
    private readonly Dictionary<byte[], byte[]> _entries;
#if NET9_0_OR_GREATER
    private readonly Dictionary<byte[], byte[]>.AlternateLookup<ReadOnlySpan<byte>> _bySpan;
#else
    private readonly Compat.SpanKeyLookup _bySpan; // net8.0 has no alternate lookup (Compat/Net8.cs)
#endif

    /// <summary>htab_map_alloc_check: throws <see cref="BpfErrnoException"/> (-EINVAL) for zero sizes or max_entries.</summary>
    public HashMap(string name, uint maxEntries, uint keySize, uint valueSize, uint flags = 0)
        : base(name, BpfMapType.Hash, keySize, valueSize, maxEntries, flags)
    {
        // htab_map_alloc_check: zero sizes or max_entries are -EINVAL.
        if (maxEntries == 0 || keySize == 0 || valueSize == 0)
            throw new BpfErrnoException(Errno.EINVAL, $"hash map '{name}': max_entries, key_size and value_size must be > 0");
        _entries = new Dictionary<byte[], byte[]>(KeyComparer.Instance);
#if NET9_0_OR_GREATER
        _bySpan = _entries.GetAlternateLookup<ReadOnlySpan<byte>>();
#else
        _bySpan = new Compat.SpanKeyLookup(_entries);
#endif
    }

    /// <summary>Elements in the map.</summary>
    public int Count => _entries.Count;

    /// <summary>The keys and values (user-space view, e.g. for tests and traces).</summary>
    public IEnumerable<KeyValuePair<byte[], byte[]>> Entries => _entries;

    /// <summary>htab_map_lookup_elem: the element's value or NULL.</summary>
    public override bool TryLookupValue(ReadOnlySpan<byte> key, out ArraySegment<byte> value)
    {
        if (key.Length >= KeySize && _bySpan.TryGetValue(key[..(int)KeySize], out var v))
        {
            value = new ArraySegment<byte>(v);
            return true;
        }
        value = default;
        return false;
    }

    /// <summary>htab_map_update_elem: flags beyond BPF_EXIST -EINVAL; BPF_NOEXIST on an existing key -EEXIST;
    /// BPF_EXIST on a missing key -ENOENT; a new key in a full map -E2BIG.</summary>
    public override long UpdateValue(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags)
    {
        const ulong BpfFLock = 4;
        ulong f = flags & ~BpfFLock;
        if (f > BpfUpdateFlags.Exist) return -Errno.EINVAL;
        if (key.Length < KeySize || value.Length < ValueSize) return -Errno.EINVAL;
        key = key[..(int)KeySize];
        if (_bySpan.TryGetValue(key, out var existing))
        {
            if (f == BpfUpdateFlags.NoExist) return -Errno.EEXIST;
            value[..(int)ValueSize].CopyTo(existing);
            return 0;
        }
        if (f == BpfUpdateFlags.Exist) return -Errno.ENOENT;
        if (_entries.Count >= MaxEntries) return -Errno.E2BIG;
        _entries[key.ToArray()] = value[..(int)ValueSize].ToArray();
        return 0;
    }

    /// <summary>htab_map_delete_elem: -ENOENT when the key is missing.</summary>
    public override long DeleteValue(ReadOnlySpan<byte> key)
    {
        if (key.Length < KeySize) return -Errno.EINVAL;
        return _bySpan.Remove(key[..(int)KeySize]) ? 0 : -Errno.ENOENT;
    }

#if NET9_0_OR_GREATER
    private sealed class KeyComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
#else
    private sealed class KeyComparer : IEqualityComparer<byte[]>
#endif
    {
        public static readonly KeyComparer Instance = new();
        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);
        public int GetHashCode(byte[] obj) => GetHashCode((ReadOnlySpan<byte>)obj);
        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);
        public int GetHashCode(ReadOnlySpan<byte> alternate)
        {
            var h = new HashCode();
            h.AddBytes(alternate);
            return h.ToHashCode();
        }
        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
    }
}
