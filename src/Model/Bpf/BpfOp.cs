namespace SockActors.Model.Bpf;

/// <summary>
/// The interpreter's pre-decoded operations: one value per (class, operation, source) so the run loop never decodes
/// bit fields. ALU values follow the opcode's operation nibble (I = immediate, R = register), so the decoder computes
/// them as base + (op &gt;&gt; 4) * 2 + (source is X).
/// </summary>
internal enum BpfOp : byte
{
    Invalid = 0,
    FallOffEnd = 1,
    LdImm64Tail = 2,
    UnsupportedHelper = 3,

    Add64I = 16, Add64R, Sub64I, Sub64R, Mul64I, Mul64R, Div64I, Div64R, Or64I, Or64R, And64I, And64R,
    Lsh64I, Lsh64R, Rsh64I, Rsh64R, Neg64, Neg64Unused, Mod64I, Mod64R, Xor64I, Xor64R, Mov64I, Mov64R, Arsh64I, Arsh64R,

    Add32I = 48, Add32R, Sub32I, Sub32R, Mul32I, Mul32R, Div32I, Div32R, Or32I, Or32R, And32I, And32R,
    Lsh32I, Lsh32R, Rsh32I, Rsh32R, Neg32, Neg32Unused, Mod32I, Mod32R, Xor32I, Xor32R, Mov32I, Mov32R, Arsh32I, Arsh32R,

    SDiv64I = 80, SDiv64R, SMod64I, SMod64R, SDiv32I, SDiv32R, SMod32I, SMod32R,
    MovSx64B, MovSx64H, MovSx64W, MovSx32B, MovSx32H,
    Trunc16, Trunc32, Nop, Swap16, Swap32, Swap64,
    LdImm64,

    // Jumps: base + (op >> 4) * 2 + (source is X); JA, CALL and EXIT slots are unused there.
    Ja = 112,
    Jeq64I = 114, Jeq64R, Jgt64I, Jgt64R, Jge64I, Jge64R, Jset64I, Jset64R, Jne64I, Jne64R, Jsgt64I, Jsgt64R,
    Jsge64I, Jsge64R, Call64Unused1, Call64Unused2, Exit64Unused1, Exit64Unused2, Jlt64I, Jlt64R, Jle64I, Jle64R,
    Jslt64I, Jslt64R, Jsle64I, Jsle64R,
    Jeq32I = 146, Jeq32R, Jgt32I, Jgt32R, Jge32I, Jge32R, Jset32I, Jset32R, Jne32I, Jne32R, Jsgt32I, Jsgt32R,
    Jsge32I, Jsge32R, Call32Unused1, Call32Unused2, Exit32Unused1, Exit32Unused2, Jlt32I, Jlt32R, Jle32I, Jle32R,
    Jslt32I, Jslt32R, Jsle32I, Jsle32R,

    CallHelper = 180, CallLocal, Exit,

    LdxB = 190, LdxH, LdxW, LdxDW, LdxSB, LdxSH, LdxSW,
    StB, StH, StW, StDW, StxB, StxH, StxW, StxDW,
    Atomic32, Atomic64,
}
