using SockActors.Model.Net;
using SockActors.Model.Scenarios;

namespace SockActors.Model.Tests.Wire;

/// <summary>Two hosts on a <see cref="SimNetwork"/> and one connection from host-1's client to host-2's listener.</summary>
public sealed class WireRig
{
    public SimNetwork Net { get; }
    public SimKernel A { get; }
    public SimKernel B { get; }
    public Sock Client { get; }
    public Sock Server { get; }

    public WireRig(TcpLink? link = null, SockDefaults? defaults = null)
    {
        Net = new SimNetwork(link);
        A = Net.AddHost("host-1", defaults: defaults);
        B = Net.AddHost("host-2", defaults: defaults);
        (Client, Server) = Net.Connect(A, B.Listen("srv", 8080), "c", "s");
    }

    public static byte[] Pattern(long offset, int len)
    {
        var b = new byte[len];
        StreamPattern.Fill(b, offset);
        return b;
    }

    /// <summary>Reads what <paramref name="sk"/> has queued, without blocking.</summary>
    public static byte[] ReadAvailable(Sock sk, int max = int.MaxValue)
    {
        var all = new List<byte>();
        var buf = new byte[65536];
        while (all.Count < max)
        {
            int n = sk.Recv(buf.AsSpan(0, Math.Min(buf.Length, max - all.Count)));
            if (n <= 0) break;
            all.AddRange(buf.AsSpan(0, n).ToArray());
        }
        return all.ToArray();
    }

    /// <summary>A blocking reader thread: reads until end of stream, in reads of <paramref name="chunk"/> bytes.</summary>
    public static async Task<byte[]> ReadToEnd(Sock sk, int chunk = 65536)
    {
        var all = new List<byte>();
        var buf = new byte[chunk];
        while (true)
        {
            int n = await sk.RecvMsgAsync(buf);
            if (n <= 0) return n == 0 ? all.ToArray() : throw new InvalidOperationException($"recv failed: {n}");
            all.AddRange(buf.AsSpan(0, n).ToArray());
        }
    }

    /// <summary>A blocking sender thread: sends <paramref name="total"/> pattern bytes in sends of <paramref name="chunk"/>.</summary>
    public static async Task<long> SendAll(Sock sk, long total, int chunk)
    {
        long sent = 0;
        while (sent < total)
        {
            int len = (int)Math.Min(chunk, total - sent);
            int rc = await sk.SendMsgAsync(Pattern(sent, len));
            if (rc <= 0) throw new InvalidOperationException($"send failed: {rc}");
            sent += rc;
        }
        return sent;
    }
}
