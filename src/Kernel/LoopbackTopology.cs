using SockActors.Kernel.Native;

namespace SockActors.Kernel;

/// <summary>
/// The contract's two loopback TCP connections, c1 &lt;-&gt; p1 and c2 &lt;-&gt; p2, as raw blocking file descriptors.
/// c1 is the sender: TCP_NODELAY and SO_SNDTIMEO 1 s, so a send that cannot progress returns instead of hanging.
/// </summary>
internal sealed class LoopbackTopology : IDisposable
{
    private int _c1 = -1, _p1 = -1, _c2 = -1, _p2 = -1;

    public int C1 => _c1;
    public int P1 => _p1;
    public int C2 => _c2;
    public int P2 => _p2;

    public static LoopbackTopology Create(TimeSpan sendTimeout) => Create(sendTimeout, null);

    /// <summary>
    /// Both listeners first, then <paramref name="beforeConnect"/> with their ports (host order; a SOCK_OPS program
    /// needs them before the connections establish), then the two connections.
    /// </summary>
    public static LoopbackTopology Create(TimeSpan sendTimeout, Action<ushort, ushort>? beforeConnect)
    {
        var t = new LoopbackTopology();
        int l1 = -1, l2 = -1;
        try
        {
            (l1, var port1) = Listen();
            (l2, var port2) = Listen();
            beforeConnect?.Invoke(port1, port2);
            (t._c1, t._p1) = ConnectTo(l1);
            (t._c2, t._p2) = ConnectTo(l2);
            Fd.SetInt(t._c1, Libc.IpProtoTcp, Libc.TcpNoDelay, 1, "setsockopt(c1, TCP_NODELAY)");
            SetSendTimeout(t._c1, sendTimeout);
            return t;
        }
        catch
        {
            t.Dispose();
            throw;
        }
        finally
        {
            Fd.CloseQuietly(ref l1);
            Fd.CloseQuietly(ref l2);
        }
    }

    private static unsafe void SetSendTimeout(int fd, TimeSpan timeout)
    {
        long us = (long)(timeout.TotalMilliseconds * 1000);
        var tv = new Libc.TimeVal { Sec = us / 1_000_000, USec = us % 1_000_000 };
        Fd.Check(Libc.SetSockOpt(fd, Libc.SolSocket, Libc.SoSndTimeo, &tv, (uint)sizeof(Libc.TimeVal)), "setsockopt(c1, SO_SNDTIMEO)");
    }

    /// <summary>A listener on 127.0.0.1 with an ephemeral port, and that port (host order).</summary>
    private static unsafe (int Fd, ushort Port) Listen()
    {
        int listener = -1;
        try
        {
            listener = Fd.Check(Libc.Socket(Libc.AfInet, Libc.SockStream, 0), "socket(listener)");
            var addr = new Libc.SockAddrIn { Family = Libc.AfInet, AddrBe = 0x0100007f /* 127.0.0.1 */ };
            Fd.Check(Libc.Bind(listener, &addr, (uint)sizeof(Libc.SockAddrIn)), "bind(127.0.0.1:0)");
            Fd.Check(Libc.Listen(listener, 1), "listen");
            uint len = (uint)sizeof(Libc.SockAddrIn);
            Fd.Check(Libc.GetSockName(listener, &addr, &len), "getsockname");
            var result = (listener, System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(addr.PortBe));
            listener = -1;
            return result;
        }
        finally
        {
            Fd.CloseQuietly(ref listener);
        }
    }

    /// <summary>One connect to the listener and one accept (the listener is closed by the caller).</summary>
    private static unsafe (int Client, int Peer) ConnectTo(int listener)
    {
        int client = -1, peer = -1;
        try
        {
            var addr = new Libc.SockAddrIn();
            uint len = (uint)sizeof(Libc.SockAddrIn);
            Fd.Check(Libc.GetSockName(listener, &addr, &len), "getsockname");
            client = Fd.Check(Libc.Socket(Libc.AfInet, Libc.SockStream, 0), "socket(client)");
            Fd.Check(Libc.Connect(client, &addr, (uint)sizeof(Libc.SockAddrIn)), "connect(loopback)");
            peer = Fd.Check(Libc.Accept(listener, null, null), "accept");
            var result = (client, peer);
            client = peer = -1;
            return result;
        }
        finally
        {
            Fd.CloseQuietly(ref client);
            Fd.CloseQuietly(ref peer);
        }
    }

    public void Dispose()
    {
        Fd.CloseQuietly(ref _c1);
        Fd.CloseQuietly(ref _p1);
        Fd.CloseQuietly(ref _c2);
        Fd.CloseQuietly(ref _p2);
    }
}
