using System.Buffers.Binary;
using System.Text;

namespace SockActors.Model.Bpf;

internal sealed record ElfSection(int Index, string Name, uint Type, ulong Flags, ulong Offset, ulong Size, uint Link, uint Info, ulong EntSize)
{
    public const uint ShtProgbits = 1, ShtSymtab = 2, ShtStrtab = 3, ShtRela = 4, ShtNobits = 8, ShtRel = 9;
    public const ulong ShfWrite = 1, ShfAlloc = 2, ShfExecinstr = 4;
    public bool IsExecutable => (Flags & ShfExecinstr) != 0;
}

internal sealed record ElfSymbol(int Index, string Name, ulong Value, ulong Size, byte Info, ushort SectionIndex)
{
    public const int SttNotype = 0, SttObject = 1, SttFunc = 2, SttSection = 3;
    public int Type => Info & 0xf;
    public int Bind => Info >> 4;
}

internal readonly record struct ElfRelocation(ulong Offset, uint Symbol, uint Type);

/// <summary>
/// A minimal reader for the relocatable ELF64 little-endian objects clang's BPF target writes (System V gABI):
/// section headers, the symbol table and REL/RELA sections. Every offset is bounds-checked, so a truncated or corrupt
/// file is a <see cref="BpfLoadException"/> that says which structure is broken.
/// </summary>
internal sealed class ElfFile
{
    public const ushort EmBpf = 247;
    private readonly byte[] _data;
    private readonly string _file;

    public IReadOnlyList<ElfSection> Sections { get; }
    public IReadOnlyList<ElfSymbol> Symbols { get; }

    private ElfFile(byte[] data, string file, List<ElfSection> sections, List<ElfSymbol> symbols)
    {
        _data = data;
        _file = file;
        Sections = sections;
        Symbols = symbols;
    }

    public static ElfFile Parse(byte[] data, string file)
    {
        BpfLoadException Bad(string why) => new($"{file}: {why}");
        if (data.Length < 64) throw Bad($"truncated ELF header ({data.Length} bytes, need 64)");
        if (data[0] != 0x7f || data[1] != 'E' || data[2] != 'L' || data[3] != 'F') throw Bad("not an ELF file (bad magic)");
        if (data[4] != 2) throw Bad($"ELF class {data[4]} is not ELFCLASS64 (2)");
        if (data[5] != 1) throw Bad("not a little-endian ELF (EI_DATA must be ELFDATA2LSB); big-endian BPF objects are not supported");
        ushort machine = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(18));
        if (machine != EmBpf) throw Bad($"e_machine {machine} is not EM_BPF ({EmBpf}): compile with clang -target bpf");
        ushort type = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(16));
        if (type != 1) throw Bad($"e_type {type} is not ET_REL (1): expected a relocatable object from clang -c");
        ulong shoff = BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(0x28));
        ushort shentsize = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(0x3A));
        ushort shnum = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(0x3C));
        ushort shstrndx = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(0x3E));
        if (shentsize != 64) throw Bad($"section header size {shentsize} (expected 64)");
        if (shoff > (ulong)data.Length || (ulong)data.Length - shoff < (ulong)shnum * 64)
            throw Bad($"truncated: section header table ({shnum} entries at offset {shoff}) runs past the end of the file ({data.Length} bytes)");
        if (shstrndx >= shnum) throw Bad($"section name table index {shstrndx} out of range ({shnum} sections)");

        var raw = new (uint Name, uint Type, ulong Flags, ulong Offset, ulong Size, uint Link, uint Info, ulong EntSize)[shnum];
        for (int i = 0; i < shnum; i++)
        {
            var h = data.AsSpan((int)shoff + i * 64, 64);
            raw[i] = (BinaryPrimitives.ReadUInt32LittleEndian(h), BinaryPrimitives.ReadUInt32LittleEndian(h[4..]),
                BinaryPrimitives.ReadUInt64LittleEndian(h[8..]), BinaryPrimitives.ReadUInt64LittleEndian(h[24..]),
                BinaryPrimitives.ReadUInt64LittleEndian(h[32..]), BinaryPrimitives.ReadUInt32LittleEndian(h[40..]),
                BinaryPrimitives.ReadUInt32LittleEndian(h[44..]), BinaryPrimitives.ReadUInt64LittleEndian(h[56..]));
            if (raw[i].Type != ElfSection.ShtNobits && i != 0 && (raw[i].Offset > (ulong)data.Length || (ulong)data.Length - raw[i].Offset < raw[i].Size))
                throw Bad($"truncated: section {i} ({raw[i].Size} bytes at offset {raw[i].Offset}) runs past the end of the file ({data.Length} bytes)");
        }
        var shstr = raw[shstrndx];
        var sections = new List<ElfSection>(shnum);
        for (int i = 0; i < shnum; i++)
        {
            string name = CString(data, shstr.Offset, shstr.Size, raw[i].Name, file, "section name");
            sections.Add(new ElfSection(i, name, raw[i].Type, raw[i].Flags, raw[i].Offset, raw[i].Size, raw[i].Link, raw[i].Info, raw[i].EntSize));
        }

        var symbols = new List<ElfSymbol>();
        var symtab = sections.FirstOrDefault(s => s.Type == ElfSection.ShtSymtab);
        if (symtab is not null)
        {
            if (symtab.Link >= shnum) throw Bad($"symbol table's string table index {symtab.Link} out of range");
            var strtab = sections[(int)symtab.Link];
            int n = (int)(symtab.Size / 24);
            for (int i = 0; i < n; i++)
            {
                var e = data.AsSpan((int)symtab.Offset + i * 24, 24);
                uint nameOff = BinaryPrimitives.ReadUInt32LittleEndian(e);
                symbols.Add(new ElfSymbol(i, CString(data, strtab.Offset, strtab.Size, nameOff, file, "symbol name"),
                    BinaryPrimitives.ReadUInt64LittleEndian(e[8..]), BinaryPrimitives.ReadUInt64LittleEndian(e[16..]),
                    e[4], BinaryPrimitives.ReadUInt16LittleEndian(e[6..])));
            }
        }
        return new ElfFile(data, file, sections, symbols);
    }

    public ReadOnlySpan<byte> Content(ElfSection s) =>
        s.Type == ElfSection.ShtNobits ? ReadOnlySpan<byte>.Empty : _data.AsSpan((int)s.Offset, (int)s.Size);

    public ElfSection? Section(string name) => Sections.FirstOrDefault(s => s.Name == name);

    /// <summary>The entries of a REL (16 bytes) or RELA (24 bytes, addend must be 0 for BPF) section.</summary>
    public List<ElfRelocation> Relocations(ElfSection s)
    {
        int size = s.Type == ElfSection.ShtRela ? 24 : 16;
        var list = new List<ElfRelocation>();
        var span = Content(s);
        for (int o = 0; o + size <= span.Length; o += size)
        {
            ulong info = BinaryPrimitives.ReadUInt64LittleEndian(span[(o + 8)..]);
            if (size == 24 && BinaryPrimitives.ReadInt64LittleEndian(span[(o + 16)..]) != 0)
                throw new BpfLoadException($"{_file}: relocation section '{s.Name}' has a non-zero addend (BPF relocations carry the addend in the instruction)");
            list.Add(new ElfRelocation(BinaryPrimitives.ReadUInt64LittleEndian(span[o..]), (uint)(info >> 32), (uint)info));
        }
        return list;
    }

    private static string CString(byte[] data, ulong tableOffset, ulong tableSize, uint offset, string file, string what)
    {
        if (offset >= tableSize) throw new BpfLoadException($"{file}: {what} offset {offset} outside its string table");
        var span = data.AsSpan((int)(tableOffset + offset), (int)(tableSize - offset));
        int end = span.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? span : span[..end]);
    }
}
