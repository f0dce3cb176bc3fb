using static SockActors.Model.Bpf.BpfIsa;

namespace SockActors.Model.Bpf;

/// <summary>
/// Translates raw instruction slots into <see cref="DecodedInsn"/> once, at load time: operation chosen per
/// (class, op, source), immediates sign-extended, jump and call targets made absolute and checked, LD_IMM64 values
/// resolved (map handles and map-value addresses), helper ids checked. Anything RFC 9669 does not define, or that the
/// simulation does not offer, is refused with a <see cref="BpfLoadException"/> that names the instruction.
/// </summary>
internal static class BpfDecoder
{
    /// <summary>Resolves LD_IMM64 with a pseudo source (src 1..6): (src, first imm, second imm) → the 64-bit value.</summary>
    public delegate ulong PseudoResolver(byte src, int imm, int nextImm);

    public static DecodedInsn[] Decode(string program, ReadOnlySpan<ulong> slots, PseudoResolver resolve,
        bool strictHelpers, Func<int, string> location)
    {
        var code = new DecodedInsn[slots.Length + 1];
        for (int i = 0; i < slots.Length; i++)
        {
            ulong s = slots[i];
            byte op = (byte)s;
            byte dst = (byte)((s >> 8) & 0xf), src = (byte)((s >> 12) & 0xf);
            short off = (short)(s >> 16);
            int imm = (int)(s >> 32);
            string Where() => $"program '{program}', instruction {i} ({location(i)}), opcode 0x{op:x2}";
            BpfLoadException Bad(string why) => new($"{Where()}: {why}");
            if (dst > 10 || src > 10) throw Bad($"register r{Math.Max(dst, src)} does not exist (r0..r10)");

            ref DecodedInsn d = ref code[i];
            d.Dst = dst;
            d.Src = src;
            d.Imm = imm;
            d.Off = off;
            int cls = op & 7;
            switch (cls)
            {
                case ClassAlu:
                case ClassAlu64:
                    DecodeAlu(ref d, op, src, off, imm, cls == ClassAlu64, Bad);
                    if (dst == 10) throw Bad("r10 (the frame pointer) is read-only");
                    break;
                case ClassJmp:
                case ClassJmp32:
                    DecodeJump(ref d, op, src, off, imm, i, slots.Length, cls == ClassJmp32, strictHelpers, Bad);
                    break;
                case ClassLd:
                    if (op != (ClassLd | ModeImm | SizeDW))
                        throw Bad((op & 0xe0) is ModeAbs or ModeInd
                            ? "legacy LD_ABS/LD_IND packet loads exist only for socket filters on skbs"
                            : "unknown LD instruction");
                    if (i + 1 >= slots.Length) throw Bad("LD_IMM64 needs two slots but is the last instruction");
                    if (dst == 10) throw Bad("r10 (the frame pointer) is read-only");
                    ulong next = slots[i + 1];
                    if ((byte)next != 0 || (next & 0xffff_ff00) != 0) throw Bad("the second slot of LD_IMM64 must have opcode, registers and offset 0");
                    int nextImm = (int)(next >> 32);
                    d.Op = BpfOp.LdImm64;
                    if (src == 0) d.Imm = (long)((ulong)(uint)imm | (ulong)(uint)nextImm << 32);
                    else if (src is PseudoMapFd or PseudoMapValue or PseudoMapIdx or PseudoMapIdxValue) d.Imm = (long)resolve(src, imm, nextImm);
                    else if (src == PseudoFunc) throw Bad("LD_IMM64 of a function address (callbacks such as bpf_loop) is not supported");
                    else if (src == PseudoBtfId) throw Bad("LD_IMM64 of a kernel BTF object (ksym) is not supported");
                    else throw Bad($"LD_IMM64 with unknown source {src}");
                    i++;
                    code[i].Op = BpfOp.LdImm64Tail;
                    break;
                case ClassLdx:
                    {
                        int mode = op & 0xe0, size = op & 0x18;
                        if (dst == 10) throw Bad("r10 (the frame pointer) is read-only");
                        d.Op = (mode, size) switch
                        {
                            (ModeMem, SizeB) => BpfOp.LdxB, (ModeMem, SizeH) => BpfOp.LdxH,
                            (ModeMem, SizeW) => BpfOp.LdxW, (ModeMem, SizeDW) => BpfOp.LdxDW,
                            (ModeMemSx, SizeB) => BpfOp.LdxSB, (ModeMemSx, SizeH) => BpfOp.LdxSH,
                            (ModeMemSx, SizeW) => BpfOp.LdxSW,
                            _ => throw Bad($"unknown LDX mode 0x{mode:x2} / size 0x{size:x2}"),
                        };
                        break;
                    }
                case ClassSt:
                    if ((op & 0xe0) != ModeMem) throw Bad("ST supports only MEM mode");
                    d.Op = (op & 0x18) switch { SizeB => BpfOp.StB, SizeH => BpfOp.StH, SizeW => BpfOp.StW, _ => BpfOp.StDW };
                    break;
                case ClassStx:
                    {
                        int mode = op & 0xe0, size = op & 0x18;
                        if (mode == ModeMem)
                            d.Op = size switch { SizeB => BpfOp.StxB, SizeH => BpfOp.StxH, SizeW => BpfOp.StxW, _ => BpfOp.StxDW };
                        else if (mode == ModeAtomic && size is SizeW or SizeDW)
                        {
                            if (imm is not (AtomicAdd or AtomicOr or AtomicAnd or AtomicXor
                                or (AtomicAdd | AtomicFetch) or (AtomicOr | AtomicFetch) or (AtomicAnd | AtomicFetch)
                                or (AtomicXor | AtomicFetch) or AtomicXchg or AtomicCmpXchg))
                                throw Bad($"unknown atomic operation imm=0x{imm:x} (load-acquire/store-release are not supported)");
                            d.Op = size == SizeW ? BpfOp.Atomic32 : BpfOp.Atomic64;
                        }
                        else throw Bad($"unsupported STX mode 0x{mode:x2} with size 0x{size:x2}");
                        break;
                    }
            }
        }
        code[slots.Length].Op = BpfOp.FallOffEnd;
        // Jumps may not land on the second slot of LD_IMM64 (the verifier's check_cfg); refuse rather than fault later.
        for (int i = 0; i < slots.Length; i++)
        {
            var op = code[i].Op;
            bool isJump = op == BpfOp.Ja || op == BpfOp.CallLocal || (op >= BpfOp.Jeq64I && op <= BpfOp.Jsle32R);
            if (isJump && code[code[i].Off].Op == BpfOp.LdImm64Tail)
                throw new BpfLoadException($"program '{program}', instruction {i} ({location(i)}): jumps into the middle of LD_IMM64 at {code[i].Off}");
        }
        return code;
    }

    private static void DecodeAlu(ref DecodedInsn d, byte op, byte src, short off, int imm, bool is64, Func<string, BpfLoadException> bad)
    {
        int aop = op & 0xf0;
        bool x = (op & SrcX) != 0;
        if (aop == End)
        {
            // RFC 9669 4.2: ALU|END converts to/from LE or BE (host is little-endian: LE truncates, BE swaps);
            // ALU64|END (src bit 0) is an unconditional byte swap.
            if (is64 && x) throw bad("ALU64|END must have source bit 0 (BSWAP)");
            bool swap = is64 || x;
            d.Op = (imm, swap) switch
            {
                (16, false) => BpfOp.Trunc16, (32, false) => BpfOp.Trunc32, (64, false) => BpfOp.Nop,
                (16, true) => BpfOp.Swap16, (32, true) => BpfOp.Swap32, (64, true) => BpfOp.Swap64,
                _ => throw bad($"byte swap width {imm} (must be 16, 32 or 64)"),
            };
            return;
        }
        if (aop > End) throw bad("unknown ALU operation");
        if (aop == Neg && x) throw bad("NEG must use source K");
        if (off != 0)
        {
            // RFC 9669 4.1: offset 1 selects signed DIV/MOD; MOVSX uses offset 8/16/32 (32 only for ALU64), source X.
            if (aop is Div or Mod && off == 1)
            {
                d.Op = (aop == Div, is64, x) switch
                {
                    (true, true, false) => BpfOp.SDiv64I, (true, true, true) => BpfOp.SDiv64R,
                    (false, true, false) => BpfOp.SMod64I, (false, true, true) => BpfOp.SMod64R,
                    (true, false, false) => BpfOp.SDiv32I, (true, false, true) => BpfOp.SDiv32R,
                    (false, false, false) => BpfOp.SMod32I, _ => BpfOp.SMod32R,
                };
                return;
            }
            if (aop == Mov && x && (off is 8 or 16 || (off == 32 && is64)))
            {
                d.Op = (is64, off) switch
                {
                    (true, 8) => BpfOp.MovSx64B, (true, 16) => BpfOp.MovSx64H, (true, _) => BpfOp.MovSx64W,
                    (false, 8) => BpfOp.MovSx32B, _ => BpfOp.MovSx32H,
                };
                return;
            }
            throw bad($"offset {off} is not defined for this ALU operation");
        }
        d.Op = (BpfOp)((is64 ? (int)BpfOp.Add64I : (int)BpfOp.Add32I) + (aop >> 4) * 2 + (x ? 1 : 0));
        if (!is64 && !x) d.Imm = (uint)imm; // 32-bit ops use the immediate as its 32 bits
    }

    private static void DecodeJump(ref DecodedInsn d, byte op, byte src, short off, int imm, int i, int n, bool is32,
        bool strictHelpers, Func<string, BpfLoadException> bad)
    {
        int jop = op & 0xf0;
        bool x = (op & SrcX) != 0;
        int Target(long rel)
        {
            long t = i + 1 + rel;
            if (t < 0 || t >= n) throw bad($"jump target {t} is outside the program (0..{n - 1})");
            return (int)t;
        }
        switch (jop)
        {
            case Ja:
                if (x) throw bad("JA must use source K");
                d.Op = BpfOp.Ja;
                d.Off = Target(is32 ? imm : off); // JMP32|JA (gotol) takes its offset from imm
                return;
            case Call:
                if (is32 || x) throw bad("CALL must be JMP|CALL with source K");
                if (src == PseudoCall)
                {
                    d.Op = BpfOp.CallLocal;
                    d.Off = Target(imm);
                }
                else if (src == PseudoKfuncCall) throw bad($"kfunc call (btf id {imm}) is not supported");
                else if (src != 0) throw bad($"CALL with unknown source {src}");
                else if (BpfHelperId.Name(imm) is null)
                {
                    if (strictHelpers) throw bad($"helper function {imm} is not available to this program type in the simulation");
                    d.Op = BpfOp.UnsupportedHelper;
                }
                else d.Op = BpfOp.CallHelper;
                return;
            case Exit:
                if (is32 || x) throw bad("EXIT must be JMP|EXIT");
                d.Op = BpfOp.Exit;
                return;
            case > Jsle:
                throw bad("unknown jump operation");
            default:
                d.Op = (BpfOp)((is32 ? (int)BpfOp.Jeq32I - 2 : (int)BpfOp.Jeq64I - 2) + (jop >> 4) * 2 + (x ? 1 : 0));
                d.Off = Target(off);
                if (is32 && !x) d.Imm = (uint)imm;
                return;
        }
    }
}
