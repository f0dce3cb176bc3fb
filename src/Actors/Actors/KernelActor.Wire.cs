using Akka.Actor;
using SockActors.Actors.Protocol;
using SockActors.Actors.Runtime;
using SockActors.Model;
using SockActors.Model.Net;

namespace SockActors.Actors.Actors;

// The kernel as a host on the wire (docs/wire.md). Packets for this host arrive here through the IHostDirectory and go
// to the socket they name, as tcp_v4_rcv looks up the established socket; a packet for no socket (or for a finished
// connection) is answered with a RST. The handshake with a listener of another host: ConnectRemote makes the client
// socket and sends the SYN; the listener's kernel accepts and sends the SYN-ACK; this kernel completes the connect and
// answers the caller. The rules (states, windows, errors) are the model's: SimKernel.BeginRemoteConnect /
// AcceptRemote / CompleteRemoteConnect and the socket's Wire* entry points.
public sealed partial class KernelActor
{
    private ActorTcpWire? _wire;

    /// <summary>Connects in progress: client socket id -> who asked, until the SYN-ACK or a RST comes.</summary>
    private readonly Dictionary<int, IActorRef> _connecting = new();

    private ActorTcpWire Wire => _wire ?? throw new InvalidOperationException($"kernel {_rt.KernelId}: the wire is not started");

    /// <summary>Gives the kernel its host id (host-N by kernel id unless the model kernel has one) and its wire.</summary>
    private void StartWire()
    {
        if (string.IsNullOrEmpty(_rt.Kernel.HostId)) _rt.Kernel.HostId = $"host-{_rt.KernelId}";
        _wire = new ActorTcpWire(_rt, SockActorsExtension.Get(Context.System), Context.System.Scheduler);
        _rt.Kernel.Wire = _wire;
    }

    private void OnHostMessage(IHostMessage message, IActorRef sender)
    {
        switch (message)
        {
            case ITcpWireMessage w:
                OnPacket(w);
                break;
            case TcpSyn s:
                OnSyn(s);
                break;
            case TcpSynAck a:
                OnSynAck(a);
                break;
            default:
                sender.Tell(new RequestFailed($"kernel {_rt.KernelId} does not handle {message.GetType().Name}"));
                break;
        }
    }

    /// <summary>tcp_v4_rcv: the established socket of the packet's four-tuple takes it (in its own actor, under its
    /// socket lock); without one, data and FIN get a RST, a RST ends a connect in progress (ECONNREFUSED).</summary>
    private void OnPacket(ITcpWireMessage w)
    {
        var sk = _rt.Kernel.WireSocket(w.DestSockId);
        if (sk?.Remote is { } r && r.Peer == new TcpWireEndpoint(w.SrcHost, w.SrcSockId) && _rt.SocketRefs.TryGetValue(sk.Id, out var socket))
        {
            socket.Tell(w, Self);
            return;
        }
        if (w is TcpReset && _connecting.Remove(w.DestSockId, out var asker))
        {
            asker.Tell(new RemoteConnected(-Errno.ECONNREFUSED, _rt.Kernel.HostId, 0, "", null, w.SrcHost, 0, "", null), Self);
            return;
        }
        if (w is TcpSegment or TcpFin) Wire.Send(new TcpReset(w.SrcHost, w.SrcSockId, _rt.Kernel.HostId, w.DestSockId), 0);
    }

    /// <summary>connect() to a listener of another host: the client socket (SYN_SENT) and its SYN.</summary>
    private void OnConnectRemote(ConnectRemote c)
    {
        if (c.ListenerHost == _rt.Kernel.HostId)
        {
            Sender.Tell(new RequestFailed($"{c.ListenerHost} is this host: connect to a listener of the same host with Connect (loopback)"));
            return;
        }
        var client = _rt.Kernel.BeginRemoteConnect(c.ClientName);
        Adopt(client);
        _connecting[client.Id] = Sender;
        Wire.Send(new TcpSyn(c.ListenerHost, c.ListenerId, c.ListenerPort, _rt.Kernel.HostId, client.Id, client.LocalPort, client.Rcvbuf, c.ServerName), 0);
    }

    /// <summary>A SYN for a listener of this host: the accepted child and its SYN-ACK, or a RST when nothing listens there.</summary>
    private void OnSyn(TcpSyn s)
    {
        Sock? listener = s.ListenerId != 0
            ? _rt.Socks.GetValueOrDefault(s.ListenerId) is { State: SockState.Listen } l ? l : null
            : SimKernel.FindListener(_rt.Socks.Values, s.ListenerPort);
        if (listener is null)
        {
            Wire.Send(new TcpReset(s.SrcHost, s.SrcSockId, _rt.Kernel.HostId, 0), 0);
            return;
        }
        var server = _rt.Kernel.AcceptRemote(listener, new TcpWireEndpoint(s.SrcHost, s.SrcSockId), s.SrcPort, s.Window, s.ServerName);
        var serverRef = Adopt(server);
        Wire.Send(new TcpSynAck(s.SrcHost, s.SrcSockId, _rt.Kernel.HostId, server.Id, server.LocalPort, server.Remote!.RcvWnd, server.Name, serverRef), 0);
    }

    /// <summary>The SYN-ACK: the client is established (tcp_finish_connect) and the caller gets both sockets. A SYN-ACK
    /// nobody waits for is answered with a RST.</summary>
    private void OnSynAck(TcpSynAck a)
    {
        if (!_connecting.Remove(a.DestSockId, out var asker) || !_rt.Socks.TryGetValue(a.DestSockId, out var client))
        {
            Wire.Send(new TcpReset(a.SrcHost, a.SrcSockId, _rt.Kernel.HostId, a.DestSockId), 0);
            return;
        }
        _rt.Kernel.CompleteRemoteConnect(client, new TcpWireEndpoint(a.SrcHost, a.SrcSockId), a.SrcPort, a.Window);
        asker.Tell(new RemoteConnected(0, _rt.Kernel.HostId, client.Id, client.Name, _rt.SocketRefs[client.Id], a.SrcHost, a.SrcSockId, a.ServerName, a.Server), Self);
    }
}
