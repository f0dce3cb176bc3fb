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
