using System.Diagnostics;
using SockActors.Model.Maps;
using SockActors.Model.Programs;

namespace SockActors.Model.Bpf;

/// <summary>
/// A quick measurement of the interpreter's speed (for `sockactors bench`): runs an assembled loop-heavy SK_MSG
/// program (ALU, a stack store/load, a packet load and a conditional jump per iteration) for the given time and
/// returns executed instructions per second.
/// </summary>
public static class BpfVmBenchmark
{
    /// <summary>Iterations of the loop per run (about 8 instructions each).</summary>
    public const int LoopIterations = 100_000;

    /// <summary>Runs the loop program repeatedly for about <paramref name="duration"/> (wall clock, after a warm-up) and
    /// returns BPF instructions executed per second.</summary>
    public static double Measure(TimeSpan duration)
    {
        var program = LoopProgram();
        program.InstructionBudget = long.MaxValue;
        var ctx = new BenchContext();
        program.Run(ctx); // warm-up (JIT)
        program.Run(ctx);
        long before = program.TotalInstructions;
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < duration) program.Run(ctx);
        sw.Stop();
        if (program.LastFault is { } f) throw new InvalidOperationException(f.ToString());
        return (program.TotalInstructions - before) / sw.Elapsed.TotalSeconds;
    }

    /// <summary>The benchmark program: r0 accumulates a checksum over a loop of <see cref="LoopIterations"/>.</summary>
    public static SkMsgBpfProgram LoopProgram(int iterations = LoopIterations)
    {
        ulong I(byte code, int dst, int src, short off, int imm) => BpfIsa.Encode(code, dst, src, off, imm);
        ulong[] code =
        [
            I(0x79, 2, 1, 0, 0),            // r2 = *(u64 *)(r1 + 0)   data
            I(0xb7, 0, 0, 0, 0),            // r0 = 0
            I(0xb7, 3, 0, 0, iterations),   // r3 = iterations
            // loop:
            I(0x71, 4, 2, 0, 0),            // r4 = *(u8 *)(r2 + 0)
            I(0x0f, 0, 4, 0, 0),            // r0 += r4
            I(0xbf, 5, 0, 0, 0),            // r5 = r0
            I(0x67, 5, 0, 0, 3),            // r5 <<= 3
            I(0xaf, 0, 5, 0, 0),            // r0 ^= r5
            I(0x7b, 10, 0, -8, 0),          // *(u64 *)(r10 - 8) = r0
            I(0x07, 3, 0, 0, -1),           // r3 += -1
            I(0x55, 3, 0, -8, 0),           // if r3 != 0 goto loop
            I(0x79, 0, 10, -8, 0),          // r0 = *(u64 *)(r10 - 8)
            I(0x57, 0, 0, 0, 1),            // r0 &= 1
            I(0x95, 0, 0, 0, 0),            // exit
        ];
        return SkMsgBpfProgram.FromInstructions("bench_loop", code);
    }

    /// <summary>A context with a fixed 64-byte window and no-op helpers.</summary>
    public sealed class BenchContext : ISkMsgContext
    {
        private readonly byte[] _data = Enumerable.Range(0, 64).Select(i => (byte)(i * 7)).ToArray();
        /// <inheritdoc/>
        public uint Size => 64;
        /// <inheritdoc/>
        public SocketAddresses Addresses { get; } = SocketAddresses.Ipv4(0x7f000001, 1000, 0x7f000001, 2000);
        /// <inheritdoc/>
        public ArraySegment<byte> Data => new(_data);
        /// <inheritdoc/>
        public long MsgApplyBytes(uint bytes) => 0;
        /// <inheritdoc/>
        public long MsgCorkBytes(uint bytes) => 0;
        /// <inheritdoc/>
        public long MsgPullData(uint start, uint end, ulong flags) => 0;
        /// <inheritdoc/>
        public long MsgPushData(uint start, uint len, ulong flags) => 0;
        /// <inheritdoc/>
        public long MsgPopData(uint start, uint len, ulong flags) => 0;
        /// <inheritdoc/>
        public long MsgRedirectMap(BpfMap map, uint key, ulong flags) => 1;
        /// <inheritdoc/>
        public long MsgRedirectHash(BpfMap map, ReadOnlySpan<byte> key, ulong flags) => 1;
        /// <inheritdoc/>
        public ulong KtimeGetNs() => 0;
        /// <inheritdoc/>
        public uint GetPrandomU32() => 4;
        /// <inheritdoc/>
        public void TracePrintk(string line) { }
    }
}
