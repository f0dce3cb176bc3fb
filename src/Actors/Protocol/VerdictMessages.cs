using MessagePack;

namespace SockActors.Actors.Protocol;

// The kernel's verdict events: every run of an SK_MSG program, published to subscribers in the order the runs happen.

/// <summary>Subscribes <see cref="Subscriber"/> to the kernel's program runs (<see cref="ProgramRunEvent"/>, from the
/// next run on). Reply to the sender: <see cref="VerdictsSubscribed"/>.</summary>
/// <param name="Subscriber">The actor that gets the events.</param>
[MessagePackObject]
public sealed record SubscribeVerdicts([property: Key(0)] Akka.Actor.IActorRef Subscriber) : ISockActorsRequest;

/// <summary>Ends a subscription made with <see cref="SubscribeVerdicts"/>. Reply: <see cref="VerdictsSubscribed"/>.</summary>
/// <param name="Subscriber">The actor to stop sending events to.</param>
[MessagePackObject]
public sealed record UnsubscribeVerdicts([property: Key(0)] Akka.Actor.IActorRef Subscriber) : ISockActorsRequest;

/// <summary>Reply to <see cref="SubscribeVerdicts"/> and <see cref="UnsubscribeVerdicts"/>.</summary>
/// <param name="KernelId">The kernel whose program runs the subscription is about.</param>
[MessagePackObject]
public sealed record VerdictsSubscribed([property: Key(0)] int KernelId) : ISockActorsReply;

/// <summary>
/// One program run (sk_psock_msg_verdict): the sending socket, the message size the program saw, its verdict
/// ("pass", "drop", "redirect"), the apply and cork windows it asked for, and for a redirect the target socket and
/// whether to its ingress. <see cref="RunIndex"/> counts the kernel's runs from 0.
/// </summary>
/// <param name="SockId">The sending socket.</param>
/// <param name="Sock">The sending socket's name.</param>
/// <param name="RunIndex">The run's number among the kernel's runs, from 0.</param>
/// <param name="Size">msg->sg.size the program saw, in bytes.</param>
/// <param name="Verdict">"pass", "drop" or "redirect".</param>
/// <param name="ApplyBytes">msg->apply_bytes the run set (0 = none).</param>
/// <param name="CorkBytes">msg->cork_bytes the run set (0 = none).</param>
/// <param name="RedirectSockId">The redirect target's id, 0 unless the verdict is redirect.</param>
/// <param name="Ingress">The redirect goes to the target's ingress.</param>
/// <param name="NowNs">The kernel's virtual clock at the run, in ns.</param>
[MessagePackObject]
public sealed record ProgramRunEvent(
    [property: Key(0)] int SockId,
    [property: Key(1)] string Sock,
    [property: Key(2)] long RunIndex,
    [property: Key(3)] uint Size,
    [property: Key(4)] string Verdict,
    [property: Key(5)] uint ApplyBytes,
    [property: Key(6)] uint CorkBytes,
    [property: Key(7)] int RedirectSockId,
    [property: Key(8)] bool Ingress,
    [property: Key(9)] long NowNs) : ISockActorsMessage;

// Between a socket actor and its verdict actor (its child "verdict", one per psock). The socket's lock stays held on
// the sending call's behalf across every hop below, except where the kernel itself releases it (the redirect).

/// <summary>
/// tcp_bpf_send_verdict for the send call <see cref="CallId"/>: the socket actor's send path reached the verdict
/// (socket lock held) and hands it to the verdict actor, which runs the program and acts on the outcome. The call's
/// message and byte count are the model's own objects, handed over inside the kernel by <see cref="CallId"/>.
/// Reply: <see cref="VerdictDone"/>.
/// </summary>
[MessagePackObject]
public sealed record RunVerdict([property: Key(0)] int SockId, [property: Key(1)] long CallId) : ISockActorsMessage;

/// <summary>The verdict of call <see cref="CallId"/> is done: 0 or -errno (the send continues, with the lock held).</summary>
[MessagePackObject]
public sealed record VerdictDone([property: Key(0)] long CallId, [property: Key(1)] int Ret) : ISockActorsMessage;

/// <summary>
/// The verdict redirects (tcp_bpf_sendmsg_redir): the socket actor releases its lock (release_sock), sends the ranges
/// to the target's actor as a <see cref="RedirectRequest"/> with this correlation id, and once the target's
/// <see cref="RedirectReply"/> is back and the lock is the call's again (lock_sock) forwards the reply to the verdict.
/// </summary>
[MessagePackObject]
public sealed record VerdictRedirect(
    [property: Key(0)] long CorrelationId,
    [property: Key(1)] int TargetId,
    [property: Key(2)] bool Ingress,
    [property: Key(3)] Model.Msg.RedirectSegments Segments,
    [property: Key(4)] int Flags) : ISockActorsMessage;

/// <summary>The verdict must sleep on its socket's wait queue (a pass whose push waits for send buffer space,
/// sk_stream_wait_memory): the socket actor parks it, releases the lock, and answers <see cref="VerdictWoken"/>
/// once the sleep ended and the lock is the call's again.</summary>
[MessagePackObject]
public sealed record VerdictSleep([property: Key(0)] long CorrelationId, [property: Key(1)] bool ForData, [property: Key(2)] long TimeoNs) : ISockActorsMessage;

/// <summary>The verdict's sleep <see cref="CorrelationId"/> ended: the remaining timeout or -errno.</summary>
[MessagePackObject]
public sealed record VerdictWoken([property: Key(0)] long CorrelationId, [property: Key(1)] long Result) : ISockActorsMessage;
