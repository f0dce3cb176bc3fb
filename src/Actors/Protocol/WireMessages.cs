using Akka.Actor;
using MessagePack;

namespace SockActors.Actors.Protocol;

// The wire between simulated hosts (docs/wire.md): TCP segments, ACKs, FINs and RSTs between a socket of one host and
// its peer on another, and the handshake that connects a socket to a listener of another host. Every message names
// the host it is for (IHostMessage.HostId), so an IHostDirectory (in process, or an Akka.Cluster.Sharding region whose
// entity id is the host id) can deliver it; none carries code or model objects, and replies go to IActorRefs, so all
// of them cross nodes through the MessagePack serializer.

/// <summary>A message for the kernel of simulated host <see cref="HostId"/> ("host-17"), delivered through an
/// <see cref="Runtime.IHostDirectory"/>. The kernel routes it to its socket.</summary>
public interface IHostMessage : ISockActorsMessage
{
    /// <summary>The destination host's id.</summary>
    string HostId { get; }
}

/// <summary>A TCP packet between two sockets on different hosts: destination host and socket, source host and socket.</summary>
public interface ITcpWireMessage : IHostMessage
{
    /// <summary>The destination socket's id in its host's kernel.</summary>
    int DestSockId { get; }

    /// <summary>The sending host.</summary>
    string SrcHost { get; }

    /// <summary>The sending socket's id in its host's kernel.</summary>
    int SrcSockId { get; }
}

/// <summary>A data segment (tcp_transmit_skb): stream bytes [<see cref="Seq"/>, Seq + Data.Length) of the source
/// socket's direction, a copy (pages do not cross hosts).</summary>
[MessagePackObject]
public sealed record TcpSegment(
    [property: Key(0)] string HostId,
    [property: Key(1)] int DestSockId,
    [property: Key(2)] string SrcHost,
    [property: Key(3)] int SrcSockId,
    [property: Key(4)] long Seq,
    [property: Key(5)] byte[] Data) : ITcpWireMessage;

/// <summary>An ACK (tcp_send_ack): every byte before <see cref="Ack"/> arrived and the receiver has room for
/// <see cref="Window"/> more. A window update is an ACK whose window grew.</summary>
[MessagePackObject]
public sealed record TcpAck(
    [property: Key(0)] string HostId,
    [property: Key(1)] int DestSockId,
    [property: Key(2)] string SrcHost,
    [property: Key(3)] int SrcSockId,
    [property: Key(4)] long Ack,
    [property: Key(5)] long Window) : ITcpWireMessage;

/// <summary>A FIN (tcp_send_fin): the source sends nothing at or after <see cref="Seq"/>; the reader gets end of stream
/// once every byte before it arrived.</summary>
[MessagePackObject]
public sealed record TcpFin(
    [property: Key(0)] string HostId,
    [property: Key(1)] int DestSockId,
    [property: Key(2)] string SrcHost,
    [property: Key(3)] int SrcSockId,
    [property: Key(4)] long Seq) : ITcpWireMessage;

/// <summary>A RST (tcp_send_active_reset / tcp_v4_send_reset): the source socket or its host is gone. The destination
/// gets ECONNRESET (EPIPE in CLOSE_WAIT) on its next call; a connecting socket gets ECONNREFUSED.</summary>
[MessagePackObject]
public sealed record TcpReset(
    [property: Key(0)] string HostId,
    [property: Key(1)] int DestSockId,
    [property: Key(2)] string SrcHost,
    [property: Key(3)] int SrcSockId) : ITcpWireMessage;

/// <summary>
/// connect() from a new socket of the receiving kernel to a listener of host <see cref="ListenerHost"/>: the listener
/// by socket id (<see cref="ListenerId"/>), or, when that is 0, by port (<see cref="ListenerPort"/>). Send it to the
/// client's kernel. The listener's kernel accepts (the child socket is named <see cref="ServerName"/>). Reply:
/// <see cref="RemoteConnected"/> (Rc -ECONNREFUSED when no such listener answers).
/// </summary>
[MessagePackObject]
public sealed record ConnectRemote(
    [property: Key(0)] string ListenerHost,
    [property: Key(1)] int ListenerId,
    [property: Key(2)] ushort ListenerPort,
    [property: Key(3)] string? ClientName = null,
    [property: Key(4)] string? ServerName = null) : ISockActorsRequest;

/// <summary>A connection between hosts is established: the client socket (host, id, actor) and the accepted socket on
/// the listener's host. <see cref="Rc"/> is 0, or -errno (ECONNREFUSED) with no sockets.</summary>
[MessagePackObject]
public sealed record RemoteConnected(
    [property: Key(0)] long Rc,
    [property: Key(1)] string ClientHost,
    [property: Key(2)] int ClientId,
    [property: Key(3)] string ClientName,
    [property: Key(4)] IActorRef? Client,
    [property: Key(5)] string ServerHost,
    [property: Key(6)] int ServerId,
    [property: Key(7)] string ServerName,
    [property: Key(8)] IActorRef? Server) : ISockActorsReply;

/// <summary>The SYN, for the listener's kernel: client socket <see cref="SrcHost"/>/<see cref="SrcSockId"/> on port
/// <see cref="SrcPort"/> connects to a listener (by id, or by port when the id is 0) and advertises
/// <see cref="Window"/>. Answered with <see cref="TcpSynAck"/>, or a <see cref="TcpReset"/> (no such listener).</summary>
[MessagePackObject]
public sealed record TcpSyn(
    [property: Key(0)] string HostId,
    [property: Key(1)] int ListenerId,
    [property: Key(2)] ushort ListenerPort,
    [property: Key(3)] string SrcHost,
    [property: Key(4)] int SrcSockId,
    [property: Key(5)] ushort SrcPort,
    [property: Key(6)] long Window,
    [property: Key(7)] string? ServerName) : IHostMessage;

/// <summary>The SYN-ACK, for the client's kernel: the listener's host accepted; the child socket is
/// <see cref="SrcHost"/>/<see cref="SrcSockId"/> (its actor <see cref="Server"/>) on port <see cref="SrcPort"/> with
/// window <see cref="Window"/>.</summary>
[MessagePackObject]
public sealed record TcpSynAck(
    [property: Key(0)] string HostId,
    [property: Key(1)] int DestSockId,
    [property: Key(2)] string SrcHost,
    [property: Key(3)] int SrcSockId,
    [property: Key(4)] ushort SrcPort,
    [property: Key(5)] long Window,
    [property: Key(6)] string ServerName,
    [property: Key(7)] IActorRef Server) : IHostMessage;
