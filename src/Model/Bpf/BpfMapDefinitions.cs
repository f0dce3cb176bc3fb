using System.Buffers.Binary;
using SockActors.Model.Maps;

namespace SockActors.Model.Bpf;

/// <summary>A map declaration found in an object, before the map exists.</summary>
internal sealed record BpfMapDef(string Name, uint Type, uint KeySize, uint ValueSize, uint MaxEntries, uint Flags);

/// <summary>
/// Map declarations as libbpf reads them (tools/lib/bpf/libbpf.c): BTF-defined maps in ".maps"
/// (parse_btf_map_def: __uint(name, N) is a pointer to an array of N elements, __type(name, T) a pointer to T) and
/// the legacy "maps" section of struct bpf_map_def { type, key_size, value_size, max_entries, map_flags }.
/// </summary>
internal static class BpfMapDefinitions
{
    public static List<(BpfMapDef Def, ElfSymbol Symbol)> FromBtfSection(ElfFile elf, ElfSection section, BtfReader? btf, string file)
    {
        if (btf is null) throw new BpfLoadException($"{file}: section '.maps' declares maps but the object has no .BTF section to describe them (compile with -g)");
        var result = new List<(BpfMapDef, ElfSymbol)>();
        var datasec = btf.Datasec(".maps") ?? throw new BpfLoadException($"{file}: .BTF has no DATASEC '.maps' for section '.maps'");
        var vars = datasec.Members.Select(m => btf.Type(m.Type)).Where(t => t.Kind == BtfReader.KindVar).ToDictionary(t => t.Name);
        foreach (var sym in elf.Symbols.Where(s => s.SectionIndex == section.Index && s.Type == ElfSymbol.SttObject))
        {
            if (!vars.TryGetValue(sym.Name, out var v))
                throw new BpfLoadException($"{file}: map '{sym.Name}' in '.maps' has no BTF variable describing it");
            var def = btf.Resolve(v.SizeOrType);
            if (def.Kind != BtfReader.KindStruct)
                throw new BpfLoadException($"{file}: map '{sym.Name}': its BTF definition is not a struct (kind {def.Kind})");
            uint type = 0, keySize = 0, valueSize = 0, maxEntries = 0, flags = 0;
            foreach (var m in def.Members)
            {
                switch (m.Name)
                {
                    case "type": type = IntField(btf, m, sym.Name, file); break;
                    case "max_entries": maxEntries = IntField(btf, m, sym.Name, file); break;
                    case "map_flags": flags = IntField(btf, m, sym.Name, file); break;
                    case "numa_node": IntField(btf, m, sym.Name, file); break;
                    case "key_size": keySize = Merge(keySize, IntField(btf, m, sym.Name, file), "key", sym.Name, file); break;
                    case "value_size": valueSize = Merge(valueSize, IntField(btf, m, sym.Name, file), "value", sym.Name, file); break;
                    case "key": keySize = Merge(keySize, PointeeSize(btf, m, sym.Name, file), "key", sym.Name, file); break;
                    case "value": valueSize = Merge(valueSize, PointeeSize(btf, m, sym.Name, file), "value", sym.Name, file); break;
                    case "pinning":
                        if (IntField(btf, m, sym.Name, file) != 0)
                            throw new BpfLoadException($"{file}: map '{sym.Name}': pinning is not supported by the simulation");
                        break;
                    case "values":
                    case "inner_map":
                        throw new BpfLoadException($"{file}: map '{sym.Name}': '{m.Name}' (map-in-map / program array initialisation) is not supported");
                    default:
                        throw new BpfLoadException($"{file}: map '{sym.Name}': unknown map definition field '{m.Name}'");
                }
            }
            result.Add((new BpfMapDef(sym.Name, type, keySize, valueSize, maxEntries, flags), sym));
        }
        return result;
    }

    public static List<(BpfMapDef Def, ElfSymbol Symbol)> FromLegacySection(ElfFile elf, ElfSection section, string file)
    {
        var syms = elf.Symbols.Where(s => s.SectionIndex == section.Index && s.Type is ElfSymbol.SttObject or ElfSymbol.SttNotype && s.Name.Length > 0).ToList();
        var result = new List<(BpfMapDef, ElfSymbol)>();
        if (syms.Count == 0) return result;
        // libbpf bpf_object__init_user_maps: every definition has the same size, section size / number of maps.
        int defSize = (int)(section.Size / (ulong)syms.Count);
        if (defSize < 16) throw new BpfLoadException($"{file}: section 'maps': definitions of {defSize} bytes are smaller than struct bpf_map_def");
        var data = elf.Content(section);
        foreach (var s in syms)
        {
            if (s.Value + (ulong)defSize > (ulong)data.Length)
                throw new BpfLoadException($"{file}: section 'maps': map '{s.Name}' at offset {s.Value} runs past the section");
            var d = data.Slice((int)s.Value, defSize).ToArray();
            uint U(int i) => i * 4 + 4 <= d.Length ? BinaryPrimitives.ReadUInt32LittleEndian(d.AsSpan(i * 4)) : 0;
            result.Add((new BpfMapDef(s.Name, U(0), U(1), U(2), U(3), U(4)), s));
        }
        return result;
    }

    /// <summary>Creates the simulation's map for a declaration, or refuses the type.</summary>
    public static BpfMap Create(BpfMapDef d, string file)
    {
        try
        {
            return (BpfMapType)d.Type switch
            {
                BpfMapType.SockMap => new SockMap(d.Name, d.MaxEntries, d.KeySize, d.ValueSize, d.Flags),
                BpfMapType.Array => new ArrayMap(d.Name, d.MaxEntries, d.ValueSize, d.KeySize, d.Flags),
                BpfMapType.Hash => new HashMap(d.Name, d.MaxEntries, d.KeySize, d.ValueSize, d.Flags),
                BpfMapType.SockHash => new SockHash(d.Name, d.MaxEntries, d.KeySize, d.ValueSize, d.Flags),
                _ => throw new BpfLoadException($"{file}: map '{d.Name}': map type {d.Type} ({TypeName(d.Type)}) is not supported (supported: HASH 1, ARRAY 2, SOCKMAP 15, SOCKHASH 18)"),
            };
        }
        catch (BpfErrnoException e)
        {
            throw new BpfLoadException($"{file}: map '{d.Name}' cannot be created: {e.Message}");
        }
    }

    private static string TypeName(uint t) => t switch
    {
        3 => "PROG_ARRAY", 4 => "PERF_EVENT_ARRAY", 5 => "PERCPU_HASH", 6 => "PERCPU_ARRAY", 7 => "STACK_TRACE",
        8 => "CGROUP_ARRAY", 9 => "LRU_HASH", 10 => "LRU_PERCPU_HASH", 11 => "LPM_TRIE", 12 => "ARRAY_OF_MAPS",
        13 => "HASH_OF_MAPS", 14 => "DEVMAP", 16 => "CPUMAP", 17 => "XSKMAP", 18 => "SOCKHASH", 27 => "RINGBUF",
        _ => "BPF_MAP_TYPE_" + t,
    };

    private static uint Merge(uint existing, uint size, string what, string map, string file)
    {
        if (existing != 0 && existing != size)
            throw new BpfLoadException($"{file}: map '{map}': {what} size given twice with different values ({existing} and {size})");
        return size;
    }

    private static uint IntField(BtfReader btf, BtfReader.BtfMember m, string map, string file)
    {
        var ptr = btf.Resolve(m.Type);
        if (ptr.Kind != BtfReader.KindPtr) throw new BpfLoadException($"{file}: map '{map}': field '{m.Name}' is not declared with __uint()");
        var arr = btf.Resolve(ptr.SizeOrType);
        if (arr.Kind != BtfReader.KindArray) throw new BpfLoadException($"{file}: map '{map}': field '{m.Name}' is not declared with __uint()");
        return arr.ArrayCount;
    }

    private static uint PointeeSize(BtfReader btf, BtfReader.BtfMember m, string map, string file)
    {
        var ptr = btf.Resolve(m.Type);
        if (ptr.Kind != BtfReader.KindPtr) throw new BpfLoadException($"{file}: map '{map}': field '{m.Name}' is not declared with __type()");
        ulong size = btf.SizeOf(ptr.SizeOrType);
        if (size > uint.MaxValue) throw new BpfLoadException($"{file}: map '{map}': {m.Name} type is too large");
        return (uint)size;
    }
}
