using MessagePack;

namespace SockActors.Actors.Protocol;

// Messages between the runtime's own actors. They carry the two places where the model's send path lets go of the
// sender: the redirect (the target's side runs in the target's actor) and the wait for send buffer space.

/// <summary>
/// tcp_bpf_sendmsg_redir on the target: run <c>TcpBpf.SendMsgRedirAsync</c> where the target's state lives and answer
/// <see cref="RedirectReply"/> with the same correlation id. <see cref="Segments"/> is the model's immutable
/// RedirectSegments: page ranges whose pages are the sender's own page objects. In one process the serializer passes
/// each page by registry id, so the target references the same page (page reference counts decide frag reuse);
/// across nodes the bytes are copied into a page of the receiving process.
/// </summary>
/// <param name="CorrelationId">Pairs the reply with the sender's suspended send.</param>
/// <param name="TargetId">The target socket's id.</param>
/// <param name="Ingress">BPF_F_INGRESS: into the target's ingress_msg instead of out of the target.</param>
/// <param name="Segments">The page ranges to hand over, up to the apply window.</param>
/// <param name="Flags">The sender's msg_flags (MSG_DONTWAIT...), as tcp_bpf_sendmsg_redir passes them on.</param>
[MessagePackObject]
public sealed record RedirectRequest(
    [property: Key(0)] long CorrelationId,
    [property: Key(1)] int TargetId,
    [property: Key(2)] bool Ingress,
    [property: Key(3)] Model.Msg.RedirectSegments Segments,
    [property: Key(4)] int Flags) : ISocketRequest
{
    /// <summary>The target socket (<see cref="TargetId"/>): the kernel routes the request to it.</summary>
    [IgnoreMember]
    public int SockId => TargetId;
}

/// <summary>The target's RedirectOutcome: 0 or -errno, and the bytes it took from the front.</summary>
/// <param name="CorrelationId">The request's correlation id.</param>
/// <param name="Ret">0, or -errno.</param>
/// <param name="Sent">Bytes the target took from the front of the message.</param>
[MessagePackObject]
public sealed record RedirectReply([property: Key(0)] long CorrelationId, [property: Key(1)] int Ret, [property: Key(2)] uint Sent) : ISockActorsMessage;

/// <summary>The model woke the socket's wait queue (sk_write_space, sk_data_ready, sk_state_change): its sleepers
/// re-check their conditions, each once it holds the socket lock again.</summary>
/// <param name="SockId">The socket whose wait queue was woken.</param>
[MessagePackObject]
public sealed record WakeUp([property: Key(0)] int SockId) : ISocketRequest;

/// <summary>The SO_SNDTIMEO or SO_RCVTIMEO deadline of sleep <see cref="WaitId"/> passed on virtual time: the sleep ends
/// (with -EAGAIN unless its condition holds).</summary>
/// <param name="SockId">The sleeping socket.</param>
/// <param name="WaitId">The sleep whose deadline passed (a later sleep of the socket is not affected).</param>
[MessagePackObject]
public sealed record SleepTimedOut([property: Key(0)] int SockId, [property: Key(1)] long WaitId) : ISocketRequest;

/// <summary>A socket finished a user call of <see cref="Thread"/> (for thread order, the seeded interleaving and the trace).</summary>
/// <param name="SockId">The socket.</param>
/// <param name="Call">The call's label, as the trace shows it ("sendmsg 100").</param>
/// <param name="Rc">The call's return code (bytes or -errno).</param>
/// <param name="Thread">The user-space thread making the call (<see cref="ISocketCall.Thread"/>; 0 = a thread of its own).</param>
/// <param name="CallId">The call's number on its socket.</param>
[MessagePackObject]
public sealed record SocketCallDone(
    [property: Key(0)] int SockId,
    [property: Key(1)] string Call,
    [property: Key(2)] long Rc,
    [property: Key(3)] int Thread = 0,
    [property: Key(4)] long CallId = 0) : ISockActorsMessage;

/// <summary>Scheduler-clock mode: the kernel's virtual clock catches up to <see cref="DeadlineNs"/>.</summary>
/// <param name="DeadlineNs">The deadline, in virtual ns.</param>
[MessagePackObject]
public sealed record ClockDeadline([property: Key(0)] long DeadlineNs) : ISockActorsMessage;
