using SockActors.Model.Msg;
using SockActors.Model.Net;

namespace SockActors.Model.Maps;

/// <summary>
/// BPF_MAP_TYPE_SOCKMAP (net/core/sock_map.c): an array of socket slots with the kernel's update/delete/lookup/
/// get_next_key rules and error codes. Creation follows sock_map_alloc: max_entries 0, key_size != 4 or value_size
/// not 4/8 is -EINVAL.
/// </summary>
public sealed class SockMap : SockMapBase
{
    private readonly Sock?[] _sks;

    /// <summary>sock_map_alloc: throws <see cref="BpfErrnoException"/> with -EINVAL (max_entries 0, key_size not 4,
    /// value_size not 4 or 8) or -ENOMEM (more entries than the simulation allocates).</summary>
    public SockMap(string name, uint maxEntries, uint keySize = 4, uint valueSize = 4, uint flags = 0)
        : base(name, BpfMapType.SockMap, keySize, valueSize, maxEntries, flags)
    {
        // sock_map_alloc
        if (maxEntries == 0 || keySize != 4 || (valueSize != 4 && valueSize != 8))
            throw new BpfErrnoException(Errno.EINVAL, $"sockmap '{name}': max_entries must be > 0, key_size 4, value_size 4 or 8");
        if (maxEntries > 1 << 24)
            throw new BpfErrnoException(Errno.ENOMEM, $"sockmap '{name}': {maxEntries} entries is more than the simulation allocates");
        _sks = new Sock?[maxEntries];
    }

    /// <summary>
    /// sock_map_update_elem_sys / sock_map_update_common: insert <paramref name="sk"/> at <paramref name="key"/>.
    /// The map's programs are copied into the socket's psock before the BPF_NOEXIST/BPF_EXIST checks, as in the kernel.
    /// </summary>
    public long Update(uint key, Sock sk, ulong flags = BpfUpdateFlags.Any)
    {
        long rc = CheckSocket(sk);
        if (rc != 0) return rc;
        if (flags > BpfUpdateFlags.Exist) return -Errno.EINVAL;
        if (key >= MaxEntries) return -Errno.E2BIG;

        rc = Link(sk, out var psock);
        if (rc < 0) return rc;

        var osk = _sks[key];
        if (osk is not null && flags == BpfUpdateFlags.NoExist) { SkPsockLife.Put(sk, psock!); return -Errno.EEXIST; }
        if (osk is null && flags == BpfUpdateFlags.Exist) { SkPsockLife.Put(sk, psock!); return -Errno.ENOENT; }

        psock!.Links.Add(new MapLink(this, key));
        _sks[key] = sk;
        if (osk is not null) Unref(osk, key);
        return 0;
    }

    /// <summary>sock_map_delete_elem: out of range or empty slot is -EINVAL (not -ENOENT).</summary>
    public long Delete(uint key)
    {
        if (key >= MaxEntries) return -Errno.EINVAL;
        var sk = _sks[key];
        if (sk is null) return -Errno.EINVAL;
        _sks[key] = null;
        Unref(sk, key);
        return 0;
    }

    /// <summary>sock_map_lookup_sys: the socket cookie, only with an 8-byte value (-ENOSPC), -ENOENT when empty.</summary>
    public long LookupCookie(uint key, out ulong cookie)
    {
        cookie = 0;
        if (ValueSize != 8) return -Errno.ENOSPC;
        var sk = LookupSock(key);
        if (sk is null) return -Errno.ENOENT;
        cookie = sk.Cookie;
        return 0;
    }

    /// <summary>sock_map_get_next_key: the next index, empty slots included; -ENOENT after the last.</summary>
    public long GetNextKey(uint? key, out uint next)
    {
        next = 0;
        if (key is null || key.Value >= MaxEntries) return 0;
        if (key.Value == MaxEntries - 1) return -Errno.ENOENT;
        next = key.Value + 1;
        return 0;
    }

    /// <summary>__sock_map_lookup_elem</summary>
    public Sock? LookupSock(uint key) => key < MaxEntries ? _sks[key] : null;

    internal override void RemoveSocket(Sock sk, object key)
    {
        uint k = (uint)key;
        if (k < MaxEntries && ReferenceEquals(_sks[k], sk))
        {
            _sks[k] = null;
            Unref(sk, key);
        }
    }
}
