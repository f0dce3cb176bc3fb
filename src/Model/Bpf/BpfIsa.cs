namespace SockActors.Model.Bpf;

/// <summary>Encoding constants of the eBPF instruction set (RFC 9669, include/uapi/linux/bpf.h, bpf_common.h).</summary>
public static class BpfIsa
{
    // Instruction classes (RFC 9669 section 3.3).
    public const byte ClassLd = 0x00, ClassLdx = 0x01, ClassSt = 0x02, ClassStx = 0x03,
        ClassAlu = 0x04, ClassJmp = 0x05, ClassJmp32 = 0x06, ClassAlu64 = 0x07;

    // Source operand bit for ALU/JMP (RFC 9669 section 4.1).
    public const byte SrcK = 0x00, SrcX = 0x08;

    // ALU operations (RFC 9669 section 4.1).
    public const byte Add = 0x00, Sub = 0x10, Mul = 0x20, Div = 0x30, Or = 0x40, And = 0x50, Lsh = 0x60,
        Rsh = 0x70, Neg = 0x80, Mod = 0x90, Xor = 0xa0, Mov = 0xb0, Arsh = 0xc0, End = 0xd0;

    // Jump operations (RFC 9669 section 4.3).
    public const byte Ja = 0x00, Jeq = 0x10, Jgt = 0x20, Jge = 0x30, Jset = 0x40, Jne = 0x50, Jsgt = 0x60,
        Jsge = 0x70, Call = 0x80, Exit = 0x90, Jlt = 0xa0, Jle = 0xb0, Jslt = 0xc0, Jsle = 0xd0;

    // Load/store sizes and modes (RFC 9669 section 5).
    public const byte SizeW = 0x00, SizeH = 0x08, SizeB = 0x10, SizeDW = 0x18;
    public const byte ModeImm = 0x00, ModeAbs = 0x20, ModeInd = 0x40, ModeMem = 0x60, ModeMemSx = 0x80, ModeAtomic = 0xc0;

    // Atomic operations in imm (RFC 9669 section 5.3).
    public const int AtomicAdd = 0x00, AtomicOr = 0x40, AtomicAnd = 0x50, AtomicXor = 0xa0,
        AtomicFetch = 0x01, AtomicXchg = 0xe0 | AtomicFetch, AtomicCmpXchg = 0xf0 | AtomicFetch;

    // src_reg of LD_IMM64 (RFC 9669 section 5.4) and of CALL (section 4.3.1).
    public const byte PseudoMapFd = 1, PseudoMapValue = 2, PseudoBtfId = 3, PseudoFunc = 4, PseudoMapIdx = 5, PseudoMapIdxValue = 6;
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
