using SockActors.Model.Msg;
using SockActors.Model.Net;

namespace SockActors.Model.Maps;

/// <summary>
/// BPF_MAP_TYPE_SOCKHASH (net/core/sock_map.c): sockets under keys of key_size bytes. Creation: max_entries 0,
/// key_size 0 or value_size not 4/8 is -EINVAL, key_size above MAX_BPF_STACK (512) is -E2BIG.
/// get_next_key walks keys in insertion order (the kernel walks hash buckets; the order is not part of the ABI).
/// </summary>
public sealed class SockHash : SockMapBase
{
    private readonly Dictionary<string, (byte[] Key, Sock Sk)> _entries = new();
    private readonly List<string> _order = new();

    /// <summary>sock_hash_alloc: throws <see cref="BpfErrnoException"/> with -EINVAL (max_entries 0, key_size 0, value_size
    /// not 4 or 8) or -E2BIG (key_size over 512, MAX_BPF_STACK).</summary>
    public SockHash(string name, uint maxEntries, uint keySize, uint valueSize = 4, uint flags = 0)
        : base(name, BpfMapType.SockHash, keySize, valueSize, maxEntries, flags)
    {
        if (maxEntries == 0 || keySize == 0 || (valueSize != 4 && valueSize != 8))
            throw new BpfErrnoException(Errno.EINVAL, $"sockhash '{name}': max_entries must be > 0, key_size > 0, value_size 4 or 8");
        if (keySize > 512)
            throw new BpfErrnoException(Errno.E2BIG, $"sockhash '{name}': key_size {keySize} exceeds MAX_BPF_STACK (512)");
    }

    /// <summary>Sockets in the map.</summary>
    public int Count => _entries.Count;

    private string KeyId(ReadOnlySpan<byte> key) => Convert.ToHexString(key);

    private void CheckKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize) throw new ArgumentException($"sockhash '{Name}' keys are {KeySize} bytes, got {key.Length}");
    }

    /// <summary>sock_hash_update_common</summary>
    public long Update(ReadOnlySpan<byte> key, Sock sk, ulong flags = BpfUpdateFlags.Any)
    {
        CheckKey(key);
        long rc = CheckSocket(sk);
        if (rc != 0) return rc;
        if (flags > BpfUpdateFlags.Exist) return -Errno.EINVAL;

        rc = Link(sk, out var psock);
        if (rc < 0) return rc;

        string id = KeyId(key);
        bool exists = _entries.TryGetValue(id, out var old);
        if (exists && flags == BpfUpdateFlags.NoExist) { SkPsockLife.Put(sk, psock!); return -Errno.EEXIST; }
        if (!exists && flags == BpfUpdateFlags.Exist) { SkPsockLife.Put(sk, psock!); return -Errno.ENOENT; }
        if (!exists && _entries.Count >= MaxEntries) { SkPsockLife.Put(sk, psock!); return -Errno.E2BIG; }

        psock!.Links.Add(new MapLink(this, id));
        _entries[id] = (key.ToArray(), sk);
        if (!exists) _order.Add(id);
        if (exists) Unref(old.Sk, id);
        return 0;
    }

    /// <summary>sock_hash_delete_elem: a missing key is -ENOENT.</summary>
    public long Delete(ReadOnlySpan<byte> key)
    {
        CheckKey(key);
        string id = KeyId(key);
        if (!_entries.Remove(id, out var e)) return -Errno.ENOENT;
        _order.Remove(id);
        Unref(e.Sk, id);
        return 0;
    }

    /// <summary>sock_hash_lookup_sys</summary>
    public long LookupCookie(ReadOnlySpan<byte> key, out ulong cookie)
    {
        cookie = 0;
        if (ValueSize != 8) return -Errno.ENOSPC;
        var sk = LookupSock(key);
        if (sk is null) return -Errno.ENOENT;
        cookie = sk.Cookie;
        return 0;
    }

    /// <summary>sock_hash_get_next_key: the first key for a missing key, -ENOENT after the last.</summary>
    public long GetNextKey(ReadOnlySpan<byte> key, out byte[]? next)
    {
        next = null;
        int idx = key.IsEmpty ? -1 : _order.IndexOf(KeyId(key));
        int n = idx + 1;
        if (n >= _order.Count) return -Errno.ENOENT;
        next = _entries[_order[n]].Key;
        return 0;
    }

    /// <summary>__sock_hash_lookup_elem</summary>
    public Sock? LookupSock(ReadOnlySpan<byte> key) =>
        key.Length == KeySize && _entries.TryGetValue(KeyId(key), out var e) ? e.Sk : null;

    internal override void RemoveSocket(Sock sk, object key)
    {
        string id = (string)key;
        if (_entries.TryGetValue(id, out var e) && ReferenceEquals(e.Sk, sk))
        {
            _entries.Remove(id);
            _order.Remove(id);
            Unref(sk, id);
        }
    }
}
