namespace SockActors.Model.Bpf;

/// <summary>Encoding constants of the eBPF instruction set (RFC 9669, include/uapi/linux/bpf.h, bpf_common.h).</summary>
public static class BpfIsa
{
    /// <summary>Instruction classes, the low 3 bits of the opcode: BPF_LD, BPF_LDX, BPF_ST, BPF_STX, BPF_ALU, BPF_JMP,
    /// BPF_JMP32, BPF_ALU64 (RFC 9669 section 3.3).</summary>
    public const byte ClassLd = 0x00, ClassLdx = 0x01, ClassSt = 0x02, ClassStx = 0x03,
        ClassAlu = 0x04, ClassJmp = 0x05, ClassJmp32 = 0x06, ClassAlu64 = 0x07;

    /// <summary>Source operand bit of ALU/JMP opcodes: BPF_K (the 32-bit immediate) or BPF_X (src_reg) (RFC 9669 section 4.1).</summary>
    public const byte SrcK = 0x00, SrcX = 0x08;

    /// <summary>ALU operation codes, the high 4 bits of an ALU/ALU64 opcode: BPF_ADD ... BPF_END (byte swap) (RFC 9669 section 4.1).</summary>
    public const byte Add = 0x00, Sub = 0x10, Mul = 0x20, Div = 0x30, Or = 0x40, And = 0x50, Lsh = 0x60,
        Rsh = 0x70, Neg = 0x80, Mod = 0x90, Xor = 0xa0, Mov = 0xb0, Arsh = 0xc0, End = 0xd0;

    /// <summary>Jump operation codes, the high 4 bits of a JMP/JMP32 opcode: BPF_JA ... BPF_JSLE, with BPF_CALL and
    /// BPF_EXIT (RFC 9669 section 4.3). The signed comparisons are Jsgt, Jsge, Jslt, Jsle.</summary>
    public const byte Ja = 0x00, Jeq = 0x10, Jgt = 0x20, Jge = 0x30, Jset = 0x40, Jne = 0x50, Jsgt = 0x60,
        Jsge = 0x70, Call = 0x80, Exit = 0x90, Jlt = 0xa0, Jle = 0xb0, Jslt = 0xc0, Jsle = 0xd0;

    /// <summary>Load/store size bits: BPF_W (4 bytes), BPF_H (2), BPF_B (1), BPF_DW (8) (RFC 9669 section 5).</summary>
    public const byte SizeW = 0x00, SizeH = 0x08, SizeB = 0x10, SizeDW = 0x18;
    /// <summary>Load/store mode bits, the high 3 bits: BPF_IMM (LD_IMM64), BPF_ABS and BPF_IND (legacy packet access),
    /// BPF_MEM, BPF_MEMSX (sign-extending load), BPF_ATOMIC (RFC 9669 section 5).</summary>
    public const byte ModeImm = 0x00, ModeAbs = 0x20, ModeInd = 0x40, ModeMem = 0x60, ModeMemSx = 0x80, ModeAtomic = 0xc0;

    /// <summary>Atomic operations, in the imm of a BPF_STX | BPF_ATOMIC instruction: BPF_ADD, BPF_OR, BPF_AND, BPF_XOR,
    /// the BPF_FETCH flag (return the old value in src_reg), BPF_XCHG and BPF_CMPXCHG (compare with r0) (RFC 9669 section 5.3).</summary>
    public const int AtomicAdd = 0x00, AtomicOr = 0x40, AtomicAnd = 0x50, AtomicXor = 0xa0,
        AtomicFetch = 0x01, AtomicXchg = 0xe0 | AtomicFetch, AtomicCmpXchg = 0xf0 | AtomicFetch;

    /// <summary>src_reg of LD_IMM64 (RFC 9669 section 5.4): BPF_PSEUDO_MAP_FD (imm is a map), BPF_PSEUDO_MAP_VALUE (a
    /// map value's address), BPF_PSEUDO_BTF_ID, BPF_PSEUDO_FUNC (a subprogram's address), and the _IDX forms by map index.</summary>
    public const byte PseudoMapFd = 1, PseudoMapValue = 2, PseudoBtfId = 3, PseudoFunc = 4, PseudoMapIdx = 5, PseudoMapIdxValue = 6;
    /// <summary>src_reg of BPF_CALL (RFC 9669 section 4.3.1): 0 is a helper by id, BPF_PSEUDO_CALL a BPF-to-BPF call
    /// (imm is the relative target), BPF_PSEUDO_KFUNC_CALL a kernel function.</summary>
    public const byte PseudoCall = 1, PseudoKfuncCall = 2;

    /// <summary>Bytes per instruction slot.</summary>
    public const int InsnSize = 8;

    /// <summary>MAX_BPF_STACK: bytes of stack per frame.</summary>
    public const int StackFrameSize = 512;

    /// <summary>MAX_CALL_FRAMES (include/linux/bpf_verifier.h): the main program plus 7 nested BPF-to-BPF calls.</summary>
    public const int MaxCallFrames = 8;

    /// <summary>Encodes one instruction slot as the little-endian u64 it is in an object file.</summary>
    public static ulong Encode(byte code, int dst, int src, short off, int imm) =>
        code | (ulong)(dst & 0xf) << 8 | (ulong)(src & 0xf) << 12 | (ulong)(ushort)off << 16 | (ulong)(uint)imm << 32;
}
