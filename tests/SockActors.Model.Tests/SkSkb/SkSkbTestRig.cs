using SockActors.Model.Maps;
using SockActors.Model.Net;

namespace SockActors.Model.Tests.SkSkb;

/// <summary>Two loopback pairs c1-p1 and c2-p2 and a 4-slot SOCKMAP: p1 (the receiver whose SK_SKB programs run) at
/// key 0, c2 at key 1 and p2 at key 2; the programs are attached for p1's insertion only.</summary>
internal sealed class SkSkbTestRig
{
    public SimKernel K { get; } = new();
    public Sock C1, P1, C2, P2;
    public SockMap Map { get; } = new("sock_map", 4);
    public List<string> Trace { get; } = new();

    public SkSkbTestRig(object? parser = null, object? verdict = null, object? skbVerdict = null, bool insertOthers = true,
        Func<SockMap, object>? verdictFor = null)
    {
        verdict ??= verdictFor?.Invoke(Map);
        K.Trace += Trace.Add;
        (C1, P1) = K.ConnectPair("c1", "p1");
        (C2, P2) = K.ConnectPair("c2", "p2");
        if (parser is not null) Assert.Equal(0, Map.Attach(SockAttachType.SkSkbStreamParser, parser));
        if (verdict is not null) Assert.Equal(0, Map.Attach(SockAttachType.SkSkbStreamVerdict, verdict));
        if (skbVerdict is not null) Assert.Equal(0, Map.Attach(SockAttachType.SkSkbVerdict, skbVerdict));
        Assert.Equal(0, Map.Update(0, P1));
        // Programs are copied at insertion: detached again, they stay on p1 only (c2 and p2 are plain targets).
        if (parser is not null) Assert.Equal(0, Map.Detach(SockAttachType.SkSkbStreamParser, parser));
        if (verdict is not null) Assert.Equal(0, Map.Detach(SockAttachType.SkSkbStreamVerdict, verdict));
        if (skbVerdict is not null) Assert.Equal(0, Map.Detach(SockAttachType.SkSkbVerdict, skbVerdict));
        if (insertOthers)
        {
            Assert.Equal(0, Map.Update(1, C2));
            Assert.Equal(0, Map.Update(2, P2));
        }
    }

    public static byte[] Pattern(int n, int from = 0) => Enumerable.Range(from, n).Select(i => (byte)(i * 7 + 3)).ToArray();

    public int Send(Sock sk, byte[] data)
    {
        var t = sk.SendMsgAsync(data);
        Assert.True(t.IsCompleted);
        return t.Result;
    }

    /// <summary>Reads until -EAGAIN or EOF; the bytes read.</summary>
    public static byte[] ReadAll(Sock sk)
    {
        var all = new List<byte>();
        var buf = new byte[70000];
        while (true)
        {
            int n = sk.Recv(buf);
            if (n <= 0) break;
            all.AddRange(buf.AsSpan(0, n).ToArray());
        }
        return all.ToArray();
    }
}

/// <summary>A synchronous send on the sequential engine.</summary>
internal readonly struct SkSkbTestRigSend(Sock sk)
{
    public int Send(byte[] data)
    {
        var t = sk.SendMsgAsync(data);
        Assert.True(t.IsCompleted);
        return t.Result;
    }
}
