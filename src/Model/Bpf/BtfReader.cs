using System.Buffers.Binary;
using System.Text;

namespace SockActors.Model.Bpf;

/// <summary>
/// Reads the type section of .BTF (Documentation/bpf/btf.rst) far enough to size types and to interpret libbpf's
/// BTF-defined map declarations: every kind is walked so ids stay aligned, but only what map definitions need is kept.
/// </summary>
internal sealed class BtfReader
{
    public const int KindInt = 1, KindPtr = 2, KindArray = 3, KindStruct = 4, KindUnion = 5, KindEnum = 6, KindFwd = 7,
        KindTypedef = 8, KindVolatile = 9, KindConst = 10, KindRestrict = 11, KindFunc = 12, KindFuncProto = 13,
        KindVar = 14, KindDatasec = 15, KindFloat = 16, KindDeclTag = 17, KindTypeTag = 18, KindEnum64 = 19;

    public sealed record BtfMember(string Name, uint Type, uint BitOffset);

    public sealed record BtfType(int Id, int Kind, string Name, uint SizeOrType, uint ArrayElem, uint ArrayCount, IReadOnlyList<BtfMember> Members);

    private readonly List<BtfType> _types = [new BtfType(0, 0, "void", 0, 0, 0, [])];
    private readonly string _file;

    public BtfReader(ReadOnlySpan<byte> btf, string file)
    {
        _file = file;
        BpfLoadException Bad(string why) => new($"{file}: .BTF: {why}");
        if (btf.Length < 24) throw Bad("truncated header");
        if (BinaryPrimitives.ReadUInt16LittleEndian(btf) != 0xEB9F) throw Bad("bad magic (expected 0xeB9F, little-endian)");
        uint hdrLen = BinaryPrimitives.ReadUInt32LittleEndian(btf[4..]);
        uint typeOff = BinaryPrimitives.ReadUInt32LittleEndian(btf[8..]), typeLen = BinaryPrimitives.ReadUInt32LittleEndian(btf[12..]);
        uint strOff = BinaryPrimitives.ReadUInt32LittleEndian(btf[16..]), strLen = BinaryPrimitives.ReadUInt32LittleEndian(btf[20..]);
        if ((ulong)hdrLen + typeOff + typeLen > (ulong)btf.Length || (ulong)hdrLen + strOff + strLen > (ulong)btf.Length)
            throw Bad("type or string section runs past the end of .BTF");
        var types = btf.Slice((int)(hdrLen + typeOff), (int)typeLen);
        var strings = btf.Slice((int)(hdrLen + strOff), (int)strLen).ToArray();
        string Str(uint off)
        {
            if (off >= strings.Length) throw Bad($"string offset {off} out of range");
            int end = Array.IndexOf(strings, (byte)0, (int)off);
            return Encoding.UTF8.GetString(strings, (int)off, (end < 0 ? strings.Length : end) - (int)off);
        }
        int p = 0;
        while (p < types.Length)
        {
            if (p + 12 > types.Length) throw Bad($"truncated type {_types.Count}");
            uint nameOff = BinaryPrimitives.ReadUInt32LittleEndian(types[p..]);
            uint info = BinaryPrimitives.ReadUInt32LittleEndian(types[(p + 4)..]);
            uint sizeOrType = BinaryPrimitives.ReadUInt32LittleEndian(types[(p + 8)..]);
            p += 12;
            int kind = (int)((info >> 24) & 0x1f), vlen = (int)(info & 0xffff);
            int extra = kind switch
            {
                KindInt => 4, KindArray => 12, KindStruct or KindUnion => 12 * vlen, KindEnum => 8 * vlen,
                KindFuncProto => 8 * vlen, KindVar => 4, KindDatasec => 12 * vlen, KindDeclTag => 4, KindEnum64 => 12 * vlen,
                KindPtr or KindFwd or KindTypedef or KindVolatile or KindConst or KindRestrict or KindFunc or KindFloat or KindTypeTag => 0,
                _ => throw Bad($"type {_types.Count} has unknown kind {kind}"),
            };
            if (p + extra > types.Length) throw Bad($"truncated type {_types.Count}");
            var ext = types.Slice(p, extra);
            uint elem = 0, count = 0;
            var members = new List<BtfMember>();
            if (kind == KindArray)
            {
                elem = BinaryPrimitives.ReadUInt32LittleEndian(ext);
                count = BinaryPrimitives.ReadUInt32LittleEndian(ext[8..]);
            }
            else if (kind is KindStruct or KindUnion or KindDatasec)
            {
                for (int m = 0; m < vlen; m++)
                {
                    var e = ext.Slice(m * 12, 12);
                    uint a = BinaryPrimitives.ReadUInt32LittleEndian(e), b = BinaryPrimitives.ReadUInt32LittleEndian(e[4..]);
                    uint c = BinaryPrimitives.ReadUInt32LittleEndian(e[8..]);
                    // struct member: name, type, offset (bit offset, or bitfield size << 24 | offset with kind_flag);
                    // datasec entry: var type, byte offset, size.
                    members.Add(kind == KindDatasec ? new BtfMember("", a, b) : new BtfMember(Str(a), b, (info >> 31) != 0 ? c & 0xffffff : c));
                }
            }
            _types.Add(new BtfType(_types.Count, kind, Str(nameOff), sizeOrType, elem, count, members));
            p += extra;
        }
    }

    public BtfType Type(uint id) => id < _types.Count ? _types[(int)id] : throw new BpfLoadException($"{_file}: .BTF: type id {id} out of range");

    /// <summary>The DATASEC named <paramref name="name"/>, if any.</summary>
    public BtfType? Datasec(string name) => _types.FirstOrDefault(t => t.Kind == KindDatasec && t.Name == name);

    /// <summary>Skips typedefs and qualifiers (btf__resolve_type / skip_mods_and_typedefs).</summary>
    public BtfType Resolve(uint id)
    {
        for (int guard = 0; guard < 64; guard++)
        {
            var t = Type(id);
            if (t.Kind is not (KindTypedef or KindVolatile or KindConst or KindRestrict or KindTypeTag)) return t;
            id = t.SizeOrType;
        }
        throw new BpfLoadException($"{_file}: .BTF: typedef/modifier chain too long at type {id}");
    }

    /// <summary>sizeof(type) (btf__resolve_size).</summary>
    public ulong SizeOf(uint id, int depth = 0)
    {
        if (depth > 64) throw new BpfLoadException($"{_file}: .BTF: type {id} nests too deeply to size");
        var t = Resolve(id);
        return t.Kind switch
        {
            KindInt or KindStruct or KindUnion or KindEnum or KindEnum64 or KindFloat or KindDatasec => t.SizeOrType,
            KindPtr => 8,
            KindArray => t.ArrayCount * SizeOf(t.ArrayElem, depth + 1),
            KindVar => SizeOf(t.SizeOrType, depth + 1),
            _ => throw new BpfLoadException($"{_file}: .BTF: type {t.Id} '{t.Name}' (kind {t.Kind}) has no size"),
        };
    }
}
