using System.Buffers.Binary;
using SockActors.Model.Maps;

namespace SockActors.Model.Bpf;

/// <summary>
/// Turns an ELF image into maps and linked programs, following libbpf (tools/lib/bpf/libbpf.c): programs are the
/// function symbols of executable sections other than .text; .text holds subprograms, appended to a program that
/// calls them (bpf_object__reloc_code); R_BPF_64_64 on LD_IMM64 becomes a map reference (src 1) or, for global data,
/// a map value address (src 2); R_BPF_64_32 on a pseudo call is resolved to the callee. Relocations of debug and BTF
/// sections are ignored; any other relocation is refused.
/// </summary>
internal static class BpfObjectLoader
{
    public const uint RBpfNone = 0, RBpf64_64 = 1, RBpf64Abs64 = 2, RBpf64Abs32 = 3, RBpf64NoDyld32 = 4, RBpf64_32 = 10;

    private sealed record DataMap(int MapIndex, ElfSection Section);

    public static BpfObject Load(byte[] image, string file)
    {
        var elf = ElfFile.Parse(image, file);
        BtfReader? btf = elf.Section(".BTF") is { } btfSec ? new BtfReader(elf.Content(btfSec), file) : null;

        // ---- Maps: declared maps, keyed by (section, offset) for relocations.
        var maps = new List<BpfMap>();
        var mapBySymbol = new Dictionary<(int Section, ulong Offset), int>();
        void AddDeclared(List<(BpfMapDef Def, ElfSymbol Symbol)> defs)
        {
            foreach (var (def, sym) in defs)
            {
                if (maps.Any(m => m.Name == def.Name)) throw new BpfLoadException($"{file}: map '{def.Name}' is declared twice");
                mapBySymbol[(sym.SectionIndex, sym.Value)] = maps.Count;
                maps.Add(BpfMapDefinitions.Create(def, file));
            }
        }
        if (elf.Section(".maps") is { } btfMaps) AddDeclared(BpfMapDefinitions.FromBtfSection(elf, btfMaps, btf, file));
        if (elf.Section("maps") is { } legacyMaps) AddDeclared(BpfMapDefinitions.FromLegacySection(elf, legacyMaps, file));

        // ---- Global data: .data*, .rodata*, .bss* become one-entry array maps (libbpf's internal maps).
        var dataMaps = new Dictionary<int, DataMap>();
        foreach (var s in elf.Sections)
        {
            bool isData = s.Name == ".data" || s.Name.StartsWith(".data.", StringComparison.Ordinal)
                || s.Name == ".rodata" || s.Name.StartsWith(".rodata.", StringComparison.Ordinal)
                || s.Name == ".bss" || s.Name.StartsWith(".bss.", StringComparison.Ordinal);
            if (!isData || (s.Flags & ElfSection.ShfAlloc) == 0 || s.Size == 0) continue;
            if (s.Size > int.MaxValue) throw new BpfLoadException($"{file}: section '{s.Name}' is too large ({s.Size} bytes)");
            bool ro = s.Name.StartsWith(".rodata", StringComparison.Ordinal);
            var map = new ArrayMap(s.Name, 1, (uint)s.Size, readOnlyForPrograms: ro);
            elf.Content(s).CopyTo(map.Storage);
            dataMaps[s.Index] = new DataMap(maps.Count, s);
            maps.Add(map);
        }

        // ---- Relocations, by (target section, instruction index).
        var relocs = new Dictionary<(int Section, int Insn), ElfRelocation>();
        foreach (var rs in elf.Sections.Where(s => s.Type is ElfSection.ShtRel or ElfSection.ShtRela))
        {
            if (rs.Info >= elf.Sections.Count) throw new BpfLoadException($"{file}: relocation section '{rs.Name}' targets section {rs.Info}, which does not exist");
            var target = elf.Sections[(int)rs.Info];
            var list = elf.Relocations(rs);
            if (IsDebugOrBtf(target.Name)) continue;
            if (!target.IsExecutable)
            {
                if (list.Count == 0) continue;
                var first = list[0];
                string sym = first.Symbol < elf.Symbols.Count ? elf.Symbols[(int)first.Symbol].Name : "#" + first.Symbol;
                throw new BpfLoadException(target.Name is ".maps" or "maps"
                    ? $"{file}: relocation section '{rs.Name}': map initialisers that point to programs or maps (prog arrays, map-in-map, symbol '{sym}') are not supported"
                    : $"{file}: relocation section '{rs.Name}': data section '{target.Name}' holds a relocated pointer (symbol '{sym}'); pointers in global data are not supported");
            }
            foreach (var r in list)
            {
                if (r.Offset % BpfIsa.InsnSize != 0)
                    throw new BpfLoadException($"{file}: relocation at offset {r.Offset} of '{target.Name}' is not at an instruction boundary");
                relocs[(target.Index, (int)(r.Offset / BpfIsa.InsnSize))] = r;
            }
        }

        // ---- Programs.
        var text = elf.Section(".text");
        var textSlots = text is not null && text.IsExecutable ? Slots(elf, text) : [];
        var programs = new List<BpfProgram>();
        foreach (var sec in elf.Sections.Where(s => s.IsExecutable && s.Size > 0 && s.Name != ".text"))
        {
            var secSlots = Slots(elf, sec);
            var funcs = elf.Symbols.Where(s => s.SectionIndex == sec.Index && s.Type == ElfSymbol.SttFunc).OrderBy(s => s.Value).ToList();
            if (funcs.Count == 0) throw new BpfLoadException($"{file}: program section '{sec.Name}' has no function symbol");
            for (int f = 0; f < funcs.Count; f++)
            {
                var fn = funcs[f];
                int start = (int)(fn.Value / BpfIsa.InsnSize);
                int end = fn.Size > 0 ? start + (int)(fn.Size / BpfIsa.InsnSize) : f + 1 < funcs.Count ? (int)(funcs[f + 1].Value / BpfIsa.InsnSize) : secSlots.Length;
                if (start < 0 || end > secSlots.Length || start >= end)
                    throw new BpfLoadException($"{file}: program '{fn.Name}' in '{sec.Name}' has a bad extent [{start}, {end}) (section has {secSlots.Length} instructions)");
                programs.Add(LinkProgram(elf, file, fn.Name, sec, secSlots, start, end, text, textSlots, relocs, mapBySymbol, dataMaps, maps));
            }
        }
        return new BpfObject(file, maps, programs);
    }

    private static bool IsDebugOrBtf(string name) =>
        name.StartsWith(".debug", StringComparison.Ordinal) || name.StartsWith(".BTF", StringComparison.Ordinal)
        || name is ".eh_frame" or ".llvm_addrsig";

    private static ulong[] Slots(ElfFile elf, ElfSection s)
    {
        var bytes = elf.Content(s);
        if (bytes.Length % BpfIsa.InsnSize != 0) throw new BpfLoadException($"section '{s.Name}' size {bytes.Length} is not a multiple of 8");
        var slots = new ulong[bytes.Length / BpfIsa.InsnSize];
        for (int i = 0; i < slots.Length; i++) slots[i] = BinaryPrimitives.ReadUInt64LittleEndian(bytes[(i * 8)..]);
        return slots;
    }

    private static BpfProgram LinkProgram(ElfFile elf, string file, string name, ElfSection sec, ulong[] secSlots, int start, int end,
        ElfSection? text, ulong[] textSlots, Dictionary<(int, int), ElfRelocation> relocs,
        Dictionary<(int, ulong), int> mapBySymbol, Dictionary<int, DataMap> dataMaps, List<BpfMap> maps)
    {
        int n = end - start;
        bool callsSubprogs = false;
        for (int i = start; i < end; i++)
            if (IsPseudoCall(secSlots[i])) callsSubprogs = true;
        // Subprograms: append the whole of .text (libbpf appends only reachable ones; unreachable code never runs).
        bool appendText = callsSubprogs && textSlots.Length > 0;
        int total = n + (appendText ? textSlots.Length : 0);
        var slots = new ulong[total];
        var originSection = new string[total];
        var originIndex = new int[total];
        for (int i = 0; i < n; i++) { slots[i] = secSlots[start + i]; originSection[i] = sec.Name; originIndex[i] = start + i; }
        if (appendText)
            for (int i = 0; i < textSlots.Length; i++) { slots[n + i] = textSlots[i]; originSection[n + i] = ".text"; originIndex[n + i] = i; }

        for (int k = 0; k < total; k++)
        {
            bool inText = k >= n;
            var section = inText ? text! : sec;
            int secIndex = originIndex[k];
            string Where() => $"{file}: program '{name}', instruction {k} ({section.Name}+{secIndex})";
            ulong insn = slots[k];
            byte opcode = (byte)insn;
            if (!relocs.TryGetValue((section.Index, secIndex), out var rel))
            {
                if (IsPseudoCall(insn))
                {
                    // An unrelocated pseudo call is relative within its own section.
                    long targetInSection = secIndex + 1 + (int)(insn >> 32);
                    long image = inText ? n + targetInSection : targetInSection - start;
                    bool ok = inText ? targetInSection >= 0 && targetInSection < textSlots.Length : targetInSection >= start && targetInSection < end;
                    if (!ok) throw new BpfLoadException($"{Where()}: call target {targetInSection} is outside the calling function's section range");
                    slots[k] = WithImm(insn, (int)(image - k - 1));
                }
                continue;
            }
            if (rel.Symbol >= elf.Symbols.Count) throw new BpfLoadException($"{Where()}: relocation refers to symbol #{rel.Symbol}, which does not exist");
            var sym = elf.Symbols[(int)rel.Symbol];
            string symName = sym.Name.Length > 0 ? sym.Name : sym.SectionIndex < elf.Sections.Count ? elf.Sections[sym.SectionIndex].Name : "?";
            switch (rel.Type)
            {
                case RBpf64_64:
                    {
                        if (opcode != 0x18) throw new BpfLoadException($"{Where()}: R_BPF_64_64 relocation (symbol '{symName}') on opcode 0x{opcode:x2}, expected LD_IMM64");
                        if (sym.SectionIndex == 0) throw new BpfLoadException($"{Where()}: extern symbol '{symName}' (kconfig/ksym externs) is not supported");
                        int imm = (int)(insn >> 32);
                        if (mapBySymbol.TryGetValue((sym.SectionIndex, sym.Value), out int mapIndex))
                        {
                            slots[k] = WithSrcImm(insn, BpfIsa.PseudoMapFd, mapIndex);
                        }
                        else if (dataMaps.TryGetValue(sym.SectionIndex, out var dm))
                        {
                            // Global variable: map value address; offset = symbol value + the instruction's addend.
                            ulong offset = (sym.Type == ElfSymbol.SttSection ? 0 : sym.Value) + (ulong)(uint)imm;
                            if (k + 1 >= total) throw new BpfLoadException($"{Where()}: LD_IMM64 is truncated");
                            slots[k] = WithSrcImm(insn, BpfIsa.PseudoMapValue, dm.MapIndex);
                            slots[k + 1] = WithImm(slots[k + 1], (int)offset);
                        }
                        else if (sym.SectionIndex < elf.Sections.Count && elf.Sections[sym.SectionIndex].IsExecutable)
                            throw new BpfLoadException($"{Where()}: address of function '{symName}' (callbacks, e.g. for bpf_loop) is not supported");
                        else
                            throw new BpfLoadException($"{Where()}: LD_IMM64 relocation against symbol '{symName}' in section '{(sym.SectionIndex < elf.Sections.Count ? elf.Sections[sym.SectionIndex].Name : "#" + sym.SectionIndex)}', which is neither a map nor global data");
                        break;
                    }
                case RBpf64_32:
                    {
                        if (!IsPseudoCall(insn)) throw new BpfLoadException($"{Where()}: R_BPF_64_32 relocation (symbol '{symName}') on opcode 0x{opcode:x2}, expected a BPF-to-BPF call");
                        if (text is null || sym.SectionIndex != text.Index)
                            throw new BpfLoadException($"{Where()}: call to '{symName}', which is not a .text subprogram");
                        // libbpf: sub_insn = sym_off / 8 + imm + 1 (imm is -1 for a call to a symbol's start).
                        long targetInText = (long)((sym.Type == ElfSymbol.SttSection ? 0 : sym.Value) / BpfIsa.InsnSize) + (int)(insn >> 32) + 1;
                        if (targetInText < 0 || targetInText >= textSlots.Length)
                            throw new BpfLoadException($"{Where()}: call to '{symName}' lands outside .text ({targetInText})");
                        slots[k] = WithImm(insn, (int)(n + targetInText - k - 1));
                        break;
                    }
                case RBpfNone:
                    break;
                case RBpf64Abs64:
                case RBpf64Abs32:
                case RBpf64NoDyld32:
                    throw new BpfLoadException($"{Where()}: relocation type {rel.Type} ({RelocationName(rel.Type)}, symbol '{symName}') is only valid in data/debug sections, not in code");
                default:
                    throw new BpfLoadException($"{Where()}: unknown relocation type {rel.Type} (symbol '{symName}')");
            }
        }
        return BpfProgramBuilder.Build(name, sec.Name, slots, originSection, originIndex, maps, KindOf(sec.Name), file);
    }

    /// <summary>
    /// The program type of a section: "sk_msg", "sk_msg/...", "sk_skb", "sk_skb/..." and "sockops" (libbpf), and the
    /// 4.17 samples' numbered "sk_msg1".."sk_msg7", "sk_skb1", "sk_skb2" (samples/bpf/bpf_load.c matched prefixes).
    /// Anything else loads but does not run.
    /// </summary>
    public static BpfProgramKind KindOf(string section)
    {
        if (section == "sk_msg" || section.StartsWith("sk_msg/", StringComparison.Ordinal) || IsNumbered(section, "sk_msg")) return BpfProgramKind.SkMsg;
        if (section == "sk_skb" || section.StartsWith("sk_skb/", StringComparison.Ordinal) || IsNumbered(section, "sk_skb")) return BpfProgramKind.SkSkb;
        if (section == "sockops") return BpfProgramKind.SockOps;
        return BpfProgramKind.Other;
    }

    private static bool IsNumbered(string section, string prefix) =>
        section.Length > prefix.Length && section.StartsWith(prefix, StringComparison.Ordinal) && section[prefix.Length..].All(char.IsAsciiDigit);

    private static string RelocationName(uint t) => t switch
    {
        RBpf64Abs64 => "R_BPF_64_ABS64", RBpf64Abs32 => "R_BPF_64_ABS32", RBpf64NoDyld32 => "R_BPF_64_NODYLD32", _ => "?",
    };

    private static bool IsPseudoCall(ulong insn) => (byte)insn == 0x85 && ((insn >> 12) & 0xf) == BpfIsa.PseudoCall;

    private static ulong WithImm(ulong insn, int imm) => (insn & 0xFFFF_FFFFUL) | (ulong)(uint)imm << 32;

    private static ulong WithSrcImm(ulong insn, byte src, int imm) => ((insn & 0xFFFF_0FFFUL) | (ulong)src << 12) & 0xFFFF_FFFFUL | (ulong)(uint)imm << 32;
}
