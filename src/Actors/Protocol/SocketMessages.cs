using MessagePack;

namespace SockActors.Actors.Protocol;

// The system calls of one socket, as messages. Send it to the kernel actor (which routes by SockId) or straight to
// the socket's actor. Return codes are the kernel's: bytes, or -errno.

/// <summary>sendmsg(2) of <see cref="Data"/>. Reply (when the kernel would return: a blocking sender waits for buffer
/// space): <see cref="SendResult"/>.</summary>
[MessagePackObject]
public sealed record SendMsg([property: Key(0)] int SockId, [property: Key(1)] byte[] Data, [property: Key(2)] int Flags, [property: Key(3)] int Thread = 0) : ISendCall;

/// <summary>sendfile(2) of <see cref="Count"/> bytes of <see cref="File"/> from <see cref="Offset"/>. Reply: <see cref="SendResult"/>.</summary>
[MessagePackObject]
public sealed record SendFile(
    [property: Key(0)] int SockId,
    [property: Key(1)] byte[] File,
    [property: Key(2)] long Offset,
    [property: Key(3)] int Count,
    [property: Key(4)] int Flags,
    [property: Key(5)] int Thread = 0) : ISendCall;

/// <summary>The send's return value. <see cref="Runaway"/> is set when the model stopped a program that would make the
/// kernel allocate without end (conformance "runaway"); Rc is then -ENOMEM.</summary>
[MessagePackObject]
public sealed record SendResult([property: Key(0)] int SockId, [property: Key(1)] long Rc, [property: Key(2)] string? Runaway = null) : ISockActorsReply
{
    /// <summary><see cref="Rc"/> typed: bytes sent, or the errno by name.</summary>
    [IgnoreMember]
    public Client.SysResult Result => new(Rc);
}

/// <summary>
/// <see cref="Count"/> sendmsg calls of <see cref="Size"/> bytes each (a byte pattern from a pooled buffer), one after
/// the other, every one through the full model path (program, verdict, redirect round trip to the target actor, waits).
/// Stops at the first call that returns &lt;= 0. For load and benchmarks: one message instead of Count.
/// Reply: <see cref="SendBatchResult"/>.
/// </summary>
[MessagePackObject]
public sealed record SendMsgBatch(
    [property: Key(0)] int SockId,
    [property: Key(1)] int Count,
    [property: Key(2)] int Size,
    [property: Key(3)] int Flags,
    [property: Key(4)] int Thread = 0) : ISendCall;

[MessagePackObject]
public sealed record SendBatchResult(
    [property: Key(0)] int SockId,
    [property: Key(1)] int Calls,
    [property: Key(2)] long Bytes,
    [property: Key(3)] long LastRc) : ISockActorsReply;

/// <summary>recvmsg(2) of at most <see cref="MaxBytes"/>: non-blocking by default (MSG_DONTWAIT); with
/// <see cref="Blocking"/> it sleeps until data, end of stream or SO_RCVTIMEO, without the socket lock, so the socket's
/// other calls go on meanwhile. Reply: <see cref="RecvResult"/>.</summary>
[MessagePackObject]
public sealed record Recv(
    [property: Key(0)] int SockId,
    [property: Key(1)] int MaxBytes,
    [property: Key(2)] bool Peek,
    [property: Key(3)] bool Blocking = false,
    [property: Key(4)] int Thread = 0) : IScheduledCall;

[MessagePackObject]
public sealed record RecvResult([property: Key(0)] int SockId, [property: Key(1)] int Rc, [property: Key(2)] byte[] Data) : ISockActorsReply
{
    /// <summary><see cref="Rc"/> typed: bytes read (0 at end of stream), or the errno by name.</summary>
    [IgnoreMember]
    public Client.SysResult Result => new(Rc);
}

/// <summary>Reads until recvmsg has nothing more (at most <see cref="MaxBytes"/>, 0 = no limit), keeping only the
/// count and, unless <see cref="NoChecksum"/>, the FNV-1a of the bytes. Reply: <see cref="Drained"/>.</summary>
[MessagePackObject]
public sealed record Drain([property: Key(0)] int SockId, [property: Key(1)] long MaxBytes, [property: Key(2)] bool NoChecksum = false, [property: Key(3)] int Thread = 0) : IScheduledCall;

[MessagePackObject]
public sealed record Drained(
    [property: Key(0)] int SockId,
    [property: Key(1)] long Bytes,
    [property: Key(2)] string Fnv,
    [property: Key(3)] int LastRc) : ISockActorsReply;

/// <summary>close(2). Reply: <see cref="SocketClosed"/>.</summary>
[MessagePackObject]
public sealed record Close([property: Key(0)] int SockId, [property: Key(1)] int Thread = 0) : ISocketCall;

[MessagePackObject]
public sealed record SocketClosed([property: Key(0)] int SockId, [property: Key(1)] long PurgedBytes) : ISockActorsReply;

/// <summary>setsockopt / fcntl(O_NONBLOCK), with the kernel's rules (<see cref="Model.Net.Sock.SetSockOpt"/>: SO_SNDBUF
/// doubles, sock_set_timeout rounds to jiffies). Reply: <see cref="SockOptSet"/>.</summary>
[MessagePackObject]
public sealed record SetSockOpt(
    [property: Key(0)] int SockId,
    [property: Key(1)] Model.Net.SockOption Option,
    [property: Key(2)] long Value,
    [property: Key(3)] int Thread = 0) : ISocketCall;

[MessagePackObject]
public sealed record SockOptSet([property: Key(0)] int SockId, [property: Key(1)] int Rc) : ISockActorsReply
{
    /// <summary><see cref="Rc"/> typed.</summary>
    [IgnoreMember]
    public Client.SysResult Result => new(Rc);
}

/// <summary>The socket's buffers and accounting. Answered at once, even while a call of the socket is waiting.
/// Reply: <see cref="SockStats"/>.</summary>
[MessagePackObject]
public sealed record GetSockStats([property: Key(0)] int SockId) : ISocketRequest;

[MessagePackObject]
public sealed record SockStats(
    [property: Key(0)] int SockId,
    [property: Key(1)] string Name,
    [property: Key(2)] long WmemQueued,
    [property: Key(3)] long ReceiveQueueBytes,
    [property: Key(4)] long IngressBytes,
    [property: Key(5)] long PurgedBytes,
    [property: Key(6)] int Sndbuf,
    [property: Key(7)] int Rcvbuf,
    [property: Key(8)] bool HasPsock,
    [property: Key(9)] int WaitingSends,
    [property: Key(10)] int WaitingForLock,
    [property: Key(11)] long CorkedBytes,
    [property: Key(12)] int WaitingReceives = 0,
    [property: Key(13)] int CallsInProgress = 0) : ISockActorsReply;
