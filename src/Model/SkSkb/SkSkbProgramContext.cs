using SockActors.Model.Maps;
using SockActors.Model.Net;
using SockActors.Model.Programs;

namespace SockActors.Model.SkSkb;

/// <summary>
/// One SK_SKB program run: struct __sk_buff of <see cref="SkBuff"/> for the socket the program runs for (skb->sk is
/// set to it for the run, as sk_psock_strp_parse / sk_psock_strp_read do) and the helpers, each delegating to
/// <see cref="SkbHelpers"/>.
/// </summary>
/// <param name="sk">The socket the skb belongs to (skb->sk).</param>
/// <param name="skb">The skb the program runs on.</param>
public sealed class SkSkbProgramContext(Sock sk, SkBuff skb) : ISkSkbContext
{
    /// <summary>The skb the program runs on.</summary>
    public SkBuff Skb => skb;
    /// <inheritdoc/>
    public uint Len => (uint)skb.Len;
    /// <inheritdoc/>
    public SocketAddresses Addresses => sk.Addresses;
    /// <inheritdoc/>
    public ArraySegment<byte> Data => skb.Linear;
    /// <inheritdoc/>
    public uint TcIndex { get => skb.TcIndex; set => skb.TcIndex = value; }
    /// <inheritdoc/>
    public uint Priority { get => skb.Priority; set => skb.Priority = value; }

    /// <inheritdoc/>
    public long SkRedirectMap(BpfMap map, uint key, ulong flags) => SkbHelpers.SkRedirectMap(skb, map, key, flags);
    /// <inheritdoc/>
    public long SkRedirectHash(BpfMap map, ReadOnlySpan<byte> key, ulong flags) => SkbHelpers.SkRedirectHash(skb, map, key, flags);
    /// <inheritdoc/>
    public long SkbLoadBytes(uint offset, Span<byte> to) => SkbHelpers.LoadBytes(skb, offset, to);
    /// <inheritdoc/>
    public long SkbStoreBytes(uint offset, ReadOnlySpan<byte> from, ulong flags) => SkbHelpers.StoreBytes(skb, offset, from, flags);
    /// <inheritdoc/>
    public long SkbPullData(uint len) => SkbHelpers.PullData(skb, len);
    /// <inheritdoc/>
    public long SkbChangeTail(uint newLen, ulong flags) => SkbHelpers.ChangeTail(skb, newLen, flags);
    /// <inheritdoc/>
    public long SkbChangeHead(uint headRoom, ulong flags) => SkbHelpers.ChangeHead(skb, headRoom, flags);
    /// <inheritdoc/>
    public long SkbAdjustRoom(int lenDiff, uint mode, ulong flags) => SkbHelpers.AdjustRoom(skb, lenDiff, mode, flags);

    /// <inheritdoc/>
    public ulong KtimeGetNs() => (ulong)sk.Kernel.NowNs;
    /// <inheritdoc/>
    public uint GetPrandomU32() => sk.Kernel.NextRandom();
    /// <inheritdoc/>
    public void TracePrintk(string line) => sk.Kernel.EmitTrace(line);

    /// <summary>bpf_prog_run of an SK_SKB program; a program that faults (or a C# program that throws) gives
    /// <paramref name="onFault"/>, with a trace line naming the program.</summary>
    internal static int Run(Sock sk, ISkSkbProgram prog, SkBuff skb, int onFault)
    {
        try
        {
            return prog.Run(new SkSkbProgramContext(sk, skb));
        }
        catch (Exception e) when (e is not OutOfMemoryException and not RunawayException)
        {
            sk.Kernel.EmitTrace($"{sk.Name}: SK_SKB program '{prog.Name}' faulted, returning {onFault}: {e.Message}");
            return onFault;
        }
    }
}
