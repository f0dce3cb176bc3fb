using System.Runtime.InteropServices;

namespace SockActors.Model.Bpf;

/// <summary>
/// One pre-decoded instruction (16 bytes). <see cref="Off"/> is the memory offset for loads/stores and the absolute
/// target index for jumps and local calls; <see cref="Imm"/> is the sign-extended immediate, the full 64-bit value of
/// LD_IMM64 (map addresses already resolved), the helper id of a helper call, or the atomic operation.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct DecodedInsn
{
    public BpfOp Op;
    public byte Dst;
    public byte Src;
    public byte Pad;
    public int Off;
    public long Imm;
}
