namespace SockActors.Model.Maps;

/// <summary>
/// BPF_MAP_TYPE_ARRAY (kernel/bpf/arraymap.c): max_entries preallocated, zero-filled values indexed by a u32 key.
/// All values live in one byte array that never moves, so a pointer a program got from bpf_map_lookup_elem stays
/// valid. Global data sections (.data/.rodata/.bss) are one-entry array maps, as libbpf makes them.
/// </summary>
public sealed class ArrayMap : BpfMap
{
    /// <summary>Refuse arrays above this many bytes (the kernel would fail with -ENOMEM long before a test does).</summary>
    public const long MaxStorageBytes = 256L << 20;

    private readonly byte[] _storage;

    /// <summary>array_map_alloc: throws <see cref="BpfErrnoException"/> (-EINVAL) unless max_entries and value_size are
    /// non-zero and key_size is 4, or (-ENOMEM) when the storage would pass <see cref="MaxStorageBytes"/>.
    /// <paramref name="readOnlyForPrograms"/> is BPF_F_RDONLY_PROG (.rodata).</summary>
    public ArrayMap(string name, uint maxEntries, uint valueSize, uint keySize = 4, uint flags = 0, bool readOnlyForPrograms = false)
        : base(name, BpfMapType.Array, keySize, valueSize, maxEntries, flags)
    {
        // array_map_alloc_check: key_size must be 4, value_size and max_entries non-zero.
        if (maxEntries == 0 || keySize != 4 || valueSize == 0)
            throw new BpfErrnoException(Errno.EINVAL, $"array map '{name}': max_entries and value_size must be > 0 and key_size 4");
        long total = (long)maxEntries * valueSize;
        if (total > MaxStorageBytes)
            throw new BpfErrnoException(Errno.ENOMEM, $"array map '{name}': {total} bytes of values is more than the simulation allows ({MaxStorageBytes})");
        _storage = new byte[total];
        ReadOnlyForPrograms = readOnlyForPrograms;
    }

    /// <summary>BPF_F_RDONLY_PROG: the program may read but not write values (libbpf's .rodata map).</summary>
    public bool ReadOnlyForPrograms { get; }

    /// <summary>The whole value storage (entry i at i * ValueSize), for loaders and user-space style access.</summary>
    public byte[] Storage => _storage;

    /// <summary>The value of entry <paramref name="index"/> (user-space view; throws when out of range).</summary>
    public Span<byte> Value(uint index)
    {
        if (index >= MaxEntries) throw new ArgumentOutOfRangeException(nameof(index), $"array map '{Name}' has {MaxEntries} entries");
        return _storage.AsSpan((int)(index * ValueSize), (int)ValueSize);
    }

    /// <summary>array_map_lookup_elem: index &gt;= max_entries is NULL.</summary>
    public override bool TryLookupValue(ReadOnlySpan<byte> key, out ArraySegment<byte> value)
    {
        if (key.Length < 4) { value = default; return false; }
        uint index = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(key);
        if (index >= MaxEntries) { value = default; return false; }
        value = new ArraySegment<byte>(_storage, (int)(index * ValueSize), (int)ValueSize);
        return true;
    }

    /// <summary>array_map_update_elem: unknown flags -EINVAL, index out of range -E2BIG, BPF_NOEXIST -EEXIST
    /// (every element always exists).</summary>
    public override long UpdateValue(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags)
    {
        const ulong BpfFLock = 4;
        if ((flags & ~BpfFLock) > BpfUpdateFlags.Exist) return -Errno.EINVAL;
        if (key.Length < 4 || value.Length < ValueSize) return -Errno.EINVAL;
        uint index = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(key);
        if (index >= MaxEntries) return -Errno.E2BIG;
        if ((flags & ~BpfFLock) == BpfUpdateFlags.NoExist) return -Errno.EEXIST;
        value[..(int)ValueSize].CopyTo(_storage.AsSpan((int)(index * ValueSize), (int)ValueSize));
        return 0;
    }

    /// <summary>array_map_delete_elem: elements of an array cannot be deleted, -EINVAL.</summary>
    public override long DeleteValue(ReadOnlySpan<byte> key) => -Errno.EINVAL;
}
