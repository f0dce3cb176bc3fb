using SockActors.Model.Maps;
using SockActors.Model.Programs;

namespace SockActors.Bpf.Tests;

/// <summary>An ISkMsgContext over a byte array that records helper calls. pull/push/pop move the window simply
/// (not with kernel semantics): enough to test that the VM re-reads data/data_end after them.</summary>
internal sealed class FakeContext : ISkMsgContext
{
    public byte[] Buffer;
    public int Start, End;
    public bool NullWindow;
    public readonly List<string> Calls = [];
    public readonly List<string> Trace = [];
    public long RedirectResult = 1;
    public ulong Clock = 1000;

    public FakeContext(int size = 64)
    {
        Buffer = new byte[size];
        for (int i = 0; i < size; i++) Buffer[i] = (byte)((i * 7 + (i >> 8)) & 0xff);
        End = size;
    }

    public uint SizeOverride = uint.MaxValue;
    public uint Size => SizeOverride != uint.MaxValue ? SizeOverride : (uint)(End - Start);
    public SocketAddresses Addresses { get; set; } = SocketAddresses.Ipv4(0x7f000001, 4000, 0x0a000002, 5000);
    public ArraySegment<byte> Data => NullWindow ? default : new ArraySegment<byte>(Buffer, Start, End - Start);

    public long MsgApplyBytes(uint bytes) { Calls.Add($"apply({bytes})"); return 0; }
    public long MsgCorkBytes(uint bytes) { Calls.Add($"cork({bytes})"); return 0; }
    public long MsgPullData(uint start, uint end, ulong flags)
    {
        Calls.Add($"pull({start},{end},{flags})");
        if (start >= end || end > Buffer.Length) return -22;
        Start = (int)start; End = (int)end; NullWindow = false;
        return 0;
    }
    public long MsgPushData(uint start, uint len, ulong flags)
    {
        Calls.Add($"push({start},{len},{flags})");
        var nb = new byte[Buffer.Length + len];
        Array.Copy(Buffer, 0, nb, 0, start);
        Array.Copy(Buffer, start, nb, start + len, Buffer.Length - start);
        Buffer = nb; Start = 0; End = nb.Length;
        return 0;
    }
    public long MsgPopData(uint start, uint len, ulong flags)
    {
        Calls.Add($"pop({start},{len},{flags})");
        if (start + len > Buffer.Length) return -22;
        var nb = new byte[Buffer.Length - len];
        Array.Copy(Buffer, 0, nb, 0, start);
        Array.Copy(Buffer, start + len, nb, start, Buffer.Length - start - len);
        Buffer = nb; Start = 0; End = nb.Length;
        return 0;
    }
    public long MsgRedirectMap(BpfMap map, uint key, ulong flags) { Calls.Add($"redirect_map({map.Name},{key},{flags})"); return RedirectResult; }
    public long MsgRedirectHash(BpfMap map, ReadOnlySpan<byte> key, ulong flags) { Calls.Add($"redirect_hash({map.Name},{Convert.ToHexString(key)},{flags})"); return RedirectResult; }
    public ulong KtimeGetNs() => Clock++;
    public uint GetPrandomU32() => 42;
    public void TracePrintk(string line) => Trace.Add(line);
}
