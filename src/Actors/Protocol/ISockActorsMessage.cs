namespace SockActors.Actors.Protocol;

/// <summary>
/// Marker of every protocol message of SockActors: reference.conf binds it to <see cref="Serialization.SockActorsSerializer"/>,
/// so any message of this library crosses a node boundary (or akka.actor.serialize-messages) as MessagePack.
/// </summary>
public interface ISockActorsMessage;

/// <summary>A request to a simulated kernel or one of its sockets, maps or programs; always answered with a typed reply.</summary>
public interface ISockActorsRequest : ISockActorsMessage;

/// <summary>A reply to an <see cref="ISockActorsRequest"/>.</summary>
public interface ISockActorsReply : ISockActorsMessage;

/// <summary>A request that the kernel routes to one socket actor (by <see cref="SockId"/>).</summary>
public interface ISocketRequest : ISockActorsRequest
{
    int SockId { get; }
}

/// <summary>A socket request that is a system call a user makes (send, receive, close, setsockopt): one at a time per
/// socket, as the socket lock serialises them in the kernel.</summary>
public interface ISocketCall : ISocketRequest;

/// <summary>A send (sendmsg, sendfile, a batch of sendmsg): in deterministic mode with an interleaving seed these are
/// the calls the kernel holds and releases in seeded order.</summary>
public interface ISendCall : ISocketCall;
