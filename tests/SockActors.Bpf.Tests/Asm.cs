using SockActors.Model.Bpf;
using SockActors.Model.Maps;

namespace SockActors.Bpf.Tests;

/// <summary>A tiny assembler for tests: one method per instruction form, raw encodings per RFC 9669.</summary>
internal static class Asm
{
    public static ulong I(byte code, int dst = 0, int src = 0, short off = 0, int imm = 0) => BpfIsa.Encode(code, dst, src, off, imm);

    // ALU64 / ALU32 with immediate or register (op is the BpfIsa operation nibble).
    public static ulong Alu64K(byte op, int dst, int imm, short off = 0) => I((byte)(BpfIsa.ClassAlu64 | op), dst, 0, off, imm);
    public static ulong Alu64X(byte op, int dst, int src, short off = 0) => I((byte)(BpfIsa.ClassAlu64 | BpfIsa.SrcX | op), dst, src, off);
    public static ulong Alu32K(byte op, int dst, int imm, short off = 0) => I((byte)(BpfIsa.ClassAlu | op), dst, 0, off, imm);
    public static ulong Alu32X(byte op, int dst, int src, short off = 0) => I((byte)(BpfIsa.ClassAlu | BpfIsa.SrcX | op), dst, src, off);
    public static ulong Mov64(int dst, int imm) => Alu64K(BpfIsa.Mov, dst, imm);
    public static ulong Mov64R(int dst, int src) => Alu64X(BpfIsa.Mov, dst, src);
    public static ulong Exit() => I(0x95);
    public static ulong Call(int helper) => I(0x85, 0, 0, 0, helper);
    public static ulong CallLocal(int rel) => I(0x85, 0, BpfIsa.PseudoCall, 0, rel);
    public static ulong Ja(short off) => I(0x05, 0, 0, off);
    public static ulong Ja32(int imm) => I(0x06, 0, 0, 0, imm);
    public static ulong Jmp64K(byte op, int dst, int imm, short off) => I((byte)(BpfIsa.ClassJmp | op), dst, 0, off, imm);
    public static ulong Jmp64X(byte op, int dst, int src, short off) => I((byte)(BpfIsa.ClassJmp | BpfIsa.SrcX | op), dst, src, off);
    public static ulong Jmp32K(byte op, int dst, int imm, short off) => I((byte)(BpfIsa.ClassJmp32 | op), dst, 0, off, imm);
    public static ulong Jmp32X(byte op, int dst, int src, short off) => I((byte)(BpfIsa.ClassJmp32 | BpfIsa.SrcX | op), dst, src, off);
    public static ulong Ldx(byte size, int dst, int src, short off) => I((byte)(BpfIsa.ClassLdx | BpfIsa.ModeMem | size), dst, src, off);
    public static ulong LdxSx(byte size, int dst, int src, short off) => I((byte)(BpfIsa.ClassLdx | BpfIsa.ModeMemSx | size), dst, src, off);
    public static ulong Stx(byte size, int dst, int src, short off) => I((byte)(BpfIsa.ClassStx | BpfIsa.ModeMem | size), dst, src, off);
    public static ulong St(byte size, int dst, short off, int imm) => I((byte)(BpfIsa.ClassSt | BpfIsa.ModeMem | size), dst, 0, off, imm);
    public static ulong Atomic(byte size, int dst, int src, short off, int op) => I((byte)(BpfIsa.ClassStx | BpfIsa.ModeAtomic | size), dst, src, off, op);

    /// <summary>LD_IMM64: two slots.</summary>
    public static ulong[] Ld64(int dst, ulong value, byte src = 0) =>
        [I(0x18, dst, src, 0, (int)(uint)value), I(0, 0, 0, 0, (int)(uint)(value >> 32))];

    /// <summary>Flattens instruction groups (single slots and LD_IMM64 pairs).</summary>
    public static ulong[] Prog(params object[] parts) =>
        parts.SelectMany(p => p switch { ulong u => [u], ulong[] a => a, _ => throw new ArgumentException(p.ToString()) }).ToArray();

    /// <summary>Runs a program on a fresh fake context and returns r0 (0 on a fault).</summary>
    public static ulong Run(ulong[] code, FakeContext? ctx = null, IReadOnlyList<BpfMap>? maps = null) =>
        SkMsgBpfProgram.FromInstructions("test", code, maps).RunRaw(ctx ?? new FakeContext());

    /// <summary>r0 = value of <paramref name="setup"/> followed by exit.</summary>
    public static ulong Eval(params object[] setup) => Run(Prog([.. setup, Exit()]));

    /// <summary>The program object too, to inspect faults.</summary>
    public static (ulong R0, SkMsgBpfProgram Program) RunP(ulong[] code, FakeContext? ctx = null, IReadOnlyList<BpfMap>? maps = null)
    {
        var p = SkMsgBpfProgram.FromInstructions("test", code, maps);
        return (p.RunRaw(ctx ?? new FakeContext()), p);
    }
}
