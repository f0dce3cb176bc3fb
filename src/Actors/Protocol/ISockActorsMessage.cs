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
    /// <summary>The socket's id in its kernel.</summary>
    int SockId { get; }
}

/// <summary>A socket request that is a system call a user makes (send, receive, close, setsockopt). Each takes the
/// socket lock while it runs and gives it up where the kernel does (a sleep, a redirect hand-off), so calls of
/// different threads on one socket interleave as they do in Linux.</summary>
public interface ISocketCall : ISocketRequest
{
    /// <summary>The user-space thread making the call. Calls of one thread (non-zero) run one after the other, in the
    /// order the kernel actor receives them, as a thread makes one system call at a time; 0 is a thread of its own
    /// (the call runs concurrently with every other, as from a thread that makes only this call).</summary>
    int Thread { get; }
}

/// <summary>A call whose order against other threads' calls matters for what the kernel does (a send or a receive): in
/// deterministic mode with an interleaving seed these are the calls the kernel holds and releases in seeded order.</summary>
public interface IScheduledCall : ISocketCall;

/// <summary>A send (sendmsg, sendfile, a batch of sendmsg).</summary>
public interface ISendCall : IScheduledCall;
