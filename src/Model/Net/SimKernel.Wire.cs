using SockActors.Model.Programs;

namespace SockActors.Model.Net;

// The kernel as one simulated host on a network: its host id, the wire its remote connections send on, the sockets
// connected to other hosts (by id, where arriving segments find them: the established-socket lookup of tcp_v4_rcv),
// and the two halves of the handshake with a listener of another host. The environment carries the SYN and the
// SYN-ACK (SimNetwork.Connect in one call stack; the actor runtime as TcpSyn / TcpSynAck messages).
public sealed partial class SimKernel
{
    private Dictionary<int, Sock>? _wireSocks;

    /// <summary>This kernel's host id on a network ("host-17"); what a <see cref="TcpWireEndpoint"/> names. Empty until
    /// a network (SimNetwork) or the actor runtime (host-N) gives it one.</summary>
    public string HostId { get; set; } = "";

    /// <summary>Where this host's remote connections put their segments; null on a kernel without a network.</summary>
    public ITcpWire? Wire { get; set; }

    /// <summary>The socket with a remote peer and id <paramref name="sockId"/>, or null (unknown, or its connection is
    /// finished): a segment for it gets a RST (tcp_v4_send_reset for no socket).</summary>
    public Sock? WireSocket(int sockId) => _wireSocks?.GetValueOrDefault(sockId);

    /// <summary>Connections of this host to other hosts that are not finished.</summary>
    public int WireSocketCount => _wireSocks?.Count ?? 0;

    internal void ForgetWireSocket(Sock sk) => _wireSocks?.Remove(sk.Id);

    private void RememberWireSocket(Sock sk) => (_wireSocks ??= new Dictionary<int, Sock>())[sk.Id] = sk;

    /// <summary>
    /// connect() towards a listener of another host, first half (tcp_v4_connect -> tcp_connect): the client socket,
    /// with a local port, whose SYN advertises <see cref="Sock.Rcvbuf"/> as its window. It is established when
    /// <see cref="CompleteRemoteConnect"/> brings the SYN-ACK.
    /// </summary>
    public Sock BeginRemoteConnect(string? clientName = null)
    {
        var client = CreateSocket(clientName);
        client.LocalPort = _nextPort++;
        SockOps.SockOpsRunner.Call(client, SockOpsOp.TcpConnectCb);
        return client;
    }

    /// <summary>
    /// The SYN-ACK reached the client (tcp_finish_connect): ESTABLISHED with <paramref name="server"/>, whose window is
    /// <paramref name="serverWindow"/>. SOCK_OPS sees the state change and ACTIVE_ESTABLISHED_CB, as on loopback.
    /// </summary>
    public void CompleteRemoteConnect(Sock client, TcpWireEndpoint server, ushort serverPort, long serverWindow)
    {
        if (client.Kernel != this) throw new InvalidOperationException($"{client.Name} is not a socket of {HostId}");
        if (client.State != SockState.Close || client.Remote is not null)
            throw new InvalidOperationException($"{client.Name} is not connecting");
        client.Addresses = SocketAddresses.Ipv4(HostAddress(HostId), client.LocalPort, HostAddress(server.HostId), serverPort);
        client.AttachRemote(server, serverWindow);
        RememberWireSocket(client);
        SockOps.SockOpsRunner.StateChange(client, SockOpsOp.TcpSynSent, SockOpsOp.TcpEstablished);
        SockOps.SockOpsRunner.Call(client, SockOpsOp.ActiveEstablishedCb);
    }

    /// <summary>
    /// A SYN from <paramref name="client"/> reached <paramref name="listener"/> of this host: the child socket that
    /// tcp_check_req creates once the handshake completes (ESTABLISHED, PASSIVE_ESTABLISHED_CB; it inherits the
    /// listener's cgroup and callback flags, not its psock). Its window goes back in the SYN-ACK (<see cref="Sock.Rcvbuf"/>).
    /// </summary>
    public Sock AcceptRemote(Sock listener, TcpWireEndpoint client, ushort clientPort, long clientWindow, string? serverName = null)
    {
        if (listener.Kernel != this || listener.State != SockState.Listen)
            throw new InvalidOperationException($"{listener.Name} is not a listening socket of {HostId}");
        var server = CreateSocket(serverName);
        server.LocalPort = listener.LocalPort;
        server.Addresses = SocketAddresses.Ipv4(HostAddress(HostId), server.LocalPort, HostAddress(client.HostId), clientPort);
        server.Cgroup = listener.Cgroup;
        server.SockOpsCbFlags = listener.SockOpsCbFlags;
        server.AttachRemote(client, clientWindow);
        RememberWireSocket(server);
        SockOps.SockOpsRunner.StateChange(server, SockOpsOp.TcpSynRecv, SockOpsOp.TcpEstablished);
        SockOps.SockOpsRunner.Call(server, SockOpsOp.PassiveEstablishedCb);
        return server;
    }

    /// <summary>The listening socket of this host on <paramref name="port"/> among <paramref name="sockets"/>, or null
    /// (a SYN to it is answered with a RST: ECONNREFUSED).</summary>
    public static Sock? FindListener(IEnumerable<Sock> sockets, ushort port) =>
        sockets.FirstOrDefault(s => s.State == SockState.Listen && s.LocalPort == port);

    /// <summary>The IPv4 address of a host on the simulated network: 10.0.0.0/8 with the number of "host-N" (or a hash of
    /// the id), so that SOCK_OPS and the SK_MSG context see distinct remote addresses.</summary>
    public static uint HostAddress(string hostId)
    {
        int dash = hostId.LastIndexOf('-');
        uint n = dash >= 0 && uint.TryParse(hostId.AsSpan(dash + 1), out uint v) ? v : (uint)StableHash(hostId);
        return 0x0a000000u | (n & 0x00ffffffu);
    }

    private static int StableHash(string s)
    {
        unchecked
        {
            int h = (int)2166136261;
            foreach (char c in s) h = (h ^ c) * 16777619;
            return h;
        }
    }
}
