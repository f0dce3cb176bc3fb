using System.Runtime.CompilerServices;
using SockActors.Model.Maps;

namespace SockActors.Model.Bpf;

/// <summary>What a region of the virtual address space is, for access rules and diagnostics.</summary>
internal enum RegionKind : byte
{
    /// <summary>Readable and writable (stack, packet window, map values).</summary>
    Memory,
    /// <summary>Readable only (.rodata, BPF_F_RDONLY_PROG).</summary>
    ReadOnly,
    /// <summary>struct sk_msg_md: every access goes through the context rules (filter.c sk_msg_is_valid_access).</summary>
    Context,
    /// <summary>A packet window that a data-changing helper invalidated (the verifier's clear_all_pkt_pointers).</summary>
    Stale,
}

internal struct Region
{
    public byte[]? Array;
    public int Start;
    /// <summary>Bytes the fast path may touch; 0 for context and stale regions so every access takes the slow path.</summary>
    public int Length;
    public RegionKind Kind;
    /// <summary>For diagnostics: "stack", "packet", "sk_msg_md", or the map whose value this is.</summary>
    public object? Owner;
}

/// <summary>
/// The program's virtual address space. A pointer is a plain u64: region id in the upper 32 bits, offset plus
/// <see cref="OffsetBias"/> in the lower 32, so pointer arithmetic stays ordinary integer arithmetic, a pointer moved
/// below its region's start (up to 2 GiB) still names its own region, and any access is one table look-up plus a
/// bounds check. Id 0 is NULL. Fixed regions (context, stack, global data) are registered once; map values from
/// bpf_map_lookup_elem and the packet window are registered per run and dropped when the run ends (pointers never
/// outlive a run: registers start fresh). Map objects and the socket pointer get tags outside the table, so they can
/// be passed to helpers but never dereferenced.
/// </summary>
internal sealed class BpfAddressSpace
{
    public const int NullRegion = 0, ContextRegion = 1, StackRegion = 2, FirstStaticData = 3;
    /// <summary>Upper-32-bit tag of map handles (LD_IMM64 src=1): the low bits hold the map index.</summary>
    public const uint MapHandleTag = 0x4D41_0000;
    // Handles carry no bias: they are compared by tag and index, never offset.
    /// <summary>Upper-32-bit tag of sk_msg_md.sk: a struct sock pointer the simulation does not expose.</summary>
    public const uint SocketTag = 0x534B_0000;
    /// <summary>A run that registers more map values than this faults, so a loop of look-ups cannot grow memory.</summary>
    public const int MaxDynamicRegions = 1 << 16;

    private Region[] _regions = new Region[16];
    private int _count;
    private int _staticCount;
    private readonly Dictionary<(byte[] Array, int Start), int> _dynamicIndex = new();

    public BpfAddressSpace(byte[] stack)
    {
        _regions[NullRegion] = new Region { Owner = "NULL" };
        _regions[ContextRegion] = new Region { Kind = RegionKind.Context, Owner = "sk_msg_md" };
        _regions[StackRegion] = new Region { Array = stack, Length = stack.Length, Owner = "stack" };
        _count = _staticCount = FirstStaticData;
    }

    public int Count => _count;

    /// <summary>Added to every offset so that small negative offsets do not borrow from the region id.</summary>
    public const uint OffsetBias = 0x8000_0000;

    public static ulong Address(int region, uint offset) => ((ulong)(uint)region << 32) + OffsetBias + offset;

    /// <summary>The offset of an address within its region (negative below the start).</summary>
    public static int OffsetOf(ulong address) => (int)((uint)address - OffsetBias);

    /// <summary>Registers a region that lives as long as the program (global data), returning its base address.</summary>
    public ulong AddStatic(byte[] array, int start, int length, RegionKind kind, object owner)
    {
        if (_count != _staticCount) throw new InvalidOperationException("static regions must be added before any run");
        int id = Append(array, start, length, kind, owner);
        _staticCount = _count;
        return Address(id, 0);
    }

    /// <summary>Forgets every per-run region (start of a run).</summary>
    public void ResetRun()
    {
        for (int i = _staticCount; i < _count; i++) _regions[i] = default;
        _count = _staticCount;
        if (_dynamicIndex.Count > 0) _dynamicIndex.Clear();
    }

    /// <summary>The address of a map value from bpf_map_lookup_elem; the same value gets the same region within a run.</summary>
    public ulong MapValue(ArraySegment<byte> value, BpfMap map, bool readOnly)
    {
        var key = (value.Array!, value.Offset);
        if (!_dynamicIndex.TryGetValue(key, out int id))
        {
            if (_count - _staticCount >= MaxDynamicRegions)
                throw new BpfRunFault($"more than {MaxDynamicRegions} distinct map values looked up in one run");
            id = Append(value.Array!, value.Offset, value.Count, readOnly ? RegionKind.ReadOnly : RegionKind.Memory, map);
            _dynamicIndex[key] = id;
        }
        return Address(id, 0);
    }

    /// <summary>A new packet window region [data, data_end); the previous one (if any) becomes stale.</summary>
    public int NewPacket(ArraySegment<byte> data, int previous)
    {
        if (previous > 0)
        {
            _regions[previous].Kind = RegionKind.Stale;
            _regions[previous].Length = 0;
        }
        if (_count - _staticCount >= MaxDynamicRegions)
            throw new BpfRunFault($"more than {MaxDynamicRegions} packet windows in one run");
        return Append(data.Array, data.Offset, data.Count, RegionKind.Memory, "packet");
    }

    private int Append(byte[]? array, int start, int length, RegionKind kind, object owner)
    {
        if (_count == _regions.Length) System.Array.Resize(ref _regions, _regions.Length * 2);
        _regions[_count] = new Region { Array = array, Start = start, Length = length, Kind = kind, Owner = owner };
        return _count++;
    }

    /// <summary>The fast path of every load and store: a reference to <paramref name="size"/> bytes at
    /// <paramref name="address"/>, or null-ref when the access is not a plain in-bounds access (the caller then takes
    /// the slow path, which handles the context or reports the fault).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref byte TryAccess(ulong address, int size, bool write)
    {
        uint id = (uint)(address >> 32);
        uint offset = (uint)address - OffsetBias;
        var regions = _regions;
        if (id < (uint)_count)
        {
            ref Region r = ref regions[id];
            if ((ulong)offset + (uint)size <= (uint)r.Length && (!write || r.Kind == RegionKind.Memory))
                return ref r.Array![r.Start + (int)offset];
        }
        return ref Unsafe.NullRef<byte>();
    }

    public bool IsContext(ulong address) => (uint)(address >> 32) == ContextRegion;

    /// <summary>Explains why an access failed, for the fault diagnostic.</summary>
    public string Explain(ulong address, int size, bool write)
    {
        uint id = (uint)(address >> 32);
        int offset = OffsetOf(address);
        string what = write ? "write" : "read";
        if (address < 0x1_0000) return $"{what} of {size} bytes at 0x{address:x}, through a NULL pointer (a map look-up result not checked?)";
        if (address < 0x1_0000_0000) return $"{what} of {size} bytes at 0x{address:x}: a scalar, not a pointer";
        if ((id & 0xFFFF_0000) == MapHandleTag) return $"{what} through a map pointer (map objects are not dereferenceable)";
        if ((id & 0xFFFF_0000) == SocketTag) return $"{what} through sk_msg_md.sk (a struct sock is not dereferenceable in the simulation)";
        if (id >= (uint)_count) return $"{what} of {size} bytes at 0x{address:x}: no such memory region (stale or corrupted pointer)";
        ref Region r = ref _regions[id];
        string owner = r.Owner switch { BpfMap m => $"value of map '{m.Name}'", var o => o?.ToString() ?? "?" };
        if (r.Kind == RegionKind.Stale) return $"{what} through a packet pointer invalidated by an earlier data-changing helper call";
        if (write && r.Kind == RegionKind.ReadOnly) return $"write to read-only {owner}";
        return $"{what} of {size} bytes at offset {offset} outside {owner} [0, {r.Length})";
    }

    public object? OwnerOf(int region) => _regions[region].Owner;
}
