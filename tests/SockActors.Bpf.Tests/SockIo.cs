using SockActors.Model.Net;

namespace SockActors.Bpf.Tests;

/// <summary>Synchronous socket I/O on the sequential model engine, for tests that run programs inside the model.</summary>
internal static class SockIo
{
    public static int Send(Sock sk, byte[] data)
    {
        var t = sk.SendMsgAsync(data);
        Assert.True(t.IsCompleted);
        return t.Result;
    }

    /// <summary>Reads until -EAGAIN or end of stream; the bytes read.</summary>
    public static byte[] ReadAll(Sock sk)
    {
        var all = new List<byte>();
        var buf = new byte[65536];
        int n;
        while ((n = sk.Recv(buf)) > 0) all.AddRange(buf.AsSpan(0, n).ToArray());
        return all.ToArray();
    }
}
