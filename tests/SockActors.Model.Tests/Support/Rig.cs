using SockActors.Model.Kernel;
using SockActors.Model.Maps;
using SockActors.Model.Net;
using SockActors.Model.Programs;
using SockActors.Model.Scenarios;

namespace SockActors.Model.Tests.Support;

/// <summary>An SK_MSG program written as a lambda; counts its runs.</summary>
public sealed class DelegateProgram(Func<ISkMsgContext, int> run, string name = "test-prog") : ISkMsgProgram
{
    public string Name => name;
    public int Runs { get; private set; }
    public List<uint> Sizes { get; } = new();

    public int Run(ISkMsgContext ctx)
    {
        Runs++;
        Sizes.Add(ctx.Size);
        return run(ctx);
    }

    public static DelegateProgram Pass() => new(_ => SkAction.Pass, "pass");
}

/// <summary>
/// The conformance topology built by hand: loopback pairs c1&lt;-&gt;p1 and c2&lt;-&gt;p2, a 4-slot SOCKMAP with the
/// program attached before c1 (key 0) and p2 (key 1) are inserted. The sender's stream follows the contract's
/// pattern, continuing across sends.
/// </summary>
public sealed class Rig
{
    public SimKernel K { get; }
    public Sock C1 { get; }
    public Sock P1 { get; }
    public Sock C2 { get; }
    public Sock P2 { get; }
    public SockMap Map { get; }
    public DelegateProgram? Prog { get; }

    /// <summary>Stream offset of the next byte handed to the kernel.</summary>
    public long Offset { get; private set; }

    /// <summary>The bytes of every send that returned &gt; 0, in order (what a pass program may deliver).</summary>
    public List<byte> Accepted { get; } = new();

    public Rig(Func<ISkMsgContext, int>? program, KernelProfile? profile = null, bool insert = true, SockDefaults? defaults = null)
    {
        K = new SimKernel(profile, defaults: defaults);
        (C1, P1) = K.Connect(K.Listen("s1"), "c1", "p1");
        (C2, P2) = K.Connect(K.Listen("s2"), "c2", "p2");
        Map = new SockMap("sock_map", 4);
        if (program is not null)
        {
            Prog = new DelegateProgram(program);
            Assert.Equal(0, Map.Attach(SockAttachType.SkMsgVerdict, Prog));
        }
        if (insert)
        {
            Assert.Equal(0, Map.Update(0, C1));
            Assert.Equal(0, Map.Update(1, P2));
        }
    }

    public static byte[] Pattern(long offset, int len)
    {
        var b = new byte[len];
        StreamPattern.Fill(b, offset);
        return b;
    }

    /// <summary>sendmsg of the next <paramref name="len"/> stream bytes from c1; advances the stream by rc (&gt; 0) or len.</summary>
    public async Task<int> Send(int len, int flags = 0, Sock? from = null)
    {
        var data = Pattern(Offset, len);
        int rc = await (from ?? C1).SendMsgAsync(data, flags);
        Advance(data, rc, len);
        return rc;
    }

    /// <summary>sendfile of the next <paramref name="len"/> stream bytes from a file that holds the pattern.</summary>
    public async Task<long> SendFile(int len, int flags = 0)
    {
        var file = Pattern(0, (int)Offset + len);
        long rc = await C1.SendFileAsync(file, Offset, len, flags);
        Advance(file.AsSpan((int)Offset).ToArray(), (int)rc, len);
        return rc;
    }

    private void Advance(byte[] data, int rc, int len)
    {
        if (rc > 0) Accepted.AddRange(data.AsSpan(0, rc).ToArray());
        Offset += rc > 0 ? rc : len;
    }

    /// <summary>Reads everything <paramref name="sk"/> has queued (ingress_msg, then the TCP queue).</summary>
    public static byte[] ReadAll(Sock sk)
    {
        var all = new List<byte>();
        var buf = new byte[65536];
        while (true)
        {
            int n = sk.Recv(buf);
            if (n <= 0) break;
            all.AddRange(buf.AsSpan(0, n).ToArray());
        }
        return all.ToArray();
    }

    /// <summary>Lets the 200 ms probe timer release tails held back by MSG_MORE, then reads.</summary>
    public byte[] ReadAllAfterTimers(Sock sk)
    {
        K.AdvanceClock(Sock.TcpRtoMinNs);
        return ReadAll(sk);
    }
}
