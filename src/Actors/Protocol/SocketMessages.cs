using MessagePack;

namespace SockActors.Actors.Protocol;

// The system calls of one socket, as messages. Send it to the kernel actor (which routes by SockId) or straight to
// the socket's actor. Return codes are the kernel's: bytes, or -errno.

/// <summary>sendmsg(2) of <see cref="Data"/>. Reply (when the kernel would return: a blocking sender waits for buffer
/// space): <see cref="SendResult"/>.</summary>
/// <param name="SockId">The sending socket.</param>
/// <param name="Data">The bytes to send.</param>
/// <param name="Flags">msg_flags (MSG_DONTWAIT, MSG_MORE, ...).</param>
/// <param name="Thread">The user-space thread making the call (<see cref="ISocketCall.Thread"/>; 0 = a thread of its own).</param>
[MessagePackObject]
public sealed record SendMsg([property: Key(0)] int SockId, [property: Key(1)] byte[] Data, [property: Key(2)] int Flags, [property: Key(3)] int Thread = 0) : ISendCall;

/// <summary>sendfile(2) of <see cref="Count"/> bytes of <see cref="File"/> from <see cref="Offset"/>. Reply: <see cref="SendResult"/>.</summary>
/// <param name="SockId">The sending socket.</param>
/// <param name="File">The file's contents.</param>
/// <param name="Offset">Where in the file to start, in bytes.</param>
/// <param name="Count">Bytes to send.</param>
/// <param name="Flags">msg_flags (MSG_DONTWAIT, ...).</param>
/// <param name="Thread">The user-space thread making the call (<see cref="ISocketCall.Thread"/>; 0 = a thread of its own).</param>
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
/// <param name="SockId">The sending socket.</param>
/// <param name="Rc">The send's return: bytes accepted, or -errno (-EACCES for a dropped message, -EAGAIN, -EPIPE...).</param>
/// <param name="Runaway">The model's runaway report, or null.</param>
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
/// <param name="SockId">The sending socket.</param>
/// <param name="Count">sendmsg calls to make.</param>
/// <param name="Size">Bytes per call.</param>
/// <param name="Flags">msg_flags of every call.</param>
/// <param name="Thread">The user-space thread making the call (<see cref="ISocketCall.Thread"/>; 0 = a thread of its own).</param>
[MessagePackObject]
public sealed record SendMsgBatch(
    [property: Key(0)] int SockId,
    [property: Key(1)] int Count,
    [property: Key(2)] int Size,
    [property: Key(3)] int Flags,
    [property: Key(4)] int Thread = 0) : ISendCall;

/// <summary>Reply to <see cref="SendMsgBatch"/>.</summary>
/// <param name="SockId">The sending socket.</param>
/// <param name="Calls">sendmsg calls that returned &gt; 0 (the one that stopped the batch is not counted).</param>
/// <param name="Bytes">Sum of the positive return codes: bytes the kernel accepted.</param>
/// <param name="LastRc">The last call's return code: bytes, or 0 / -errno when that call stopped the batch.</param>
[MessagePackObject]
public sealed record SendBatchResult(
    [property: Key(0)] int SockId,
    [property: Key(1)] int Calls,
    [property: Key(2)] long Bytes,
    [property: Key(3)] long LastRc) : ISockActorsReply;

/// <summary>recvmsg(2) of at most <see cref="MaxBytes"/>: non-blocking by default (MSG_DONTWAIT); with
/// <see cref="Blocking"/> it sleeps until data, end of stream or SO_RCVTIMEO, without the socket lock, so the socket's
/// other calls go on meanwhile. Reply: <see cref="RecvResult"/>.</summary>
/// <param name="SockId">The receiving socket.</param>
/// <param name="MaxBytes">The buffer's size, in bytes.</param>
/// <param name="Peek">MSG_PEEK: leave the bytes queued.</param>
/// <param name="Blocking">Sleep until data, end of stream or SO_RCVTIMEO instead of returning -EAGAIN.</param>
/// <param name="Thread">The user-space thread making the call (<see cref="ISocketCall.Thread"/>; 0 = a thread of its own).</param>
[MessagePackObject]
public sealed record Recv(
    [property: Key(0)] int SockId,
    [property: Key(1)] int MaxBytes,
    [property: Key(2)] bool Peek,
    [property: Key(3)] bool Blocking = false,
    [property: Key(4)] int Thread = 0) : IScheduledCall;

/// <summary>Reply to <see cref="Recv"/>.</summary>
/// <param name="SockId">The receiving socket.</param>
/// <param name="Rc">recvmsg's return: bytes read, 0 at end of stream, or -errno (-EAGAIN when nothing is there yet).</param>
/// <param name="Data">The bytes read (empty when <paramref name="Rc"/> &lt;= 0).</param>
[MessagePackObject]
public sealed record RecvResult([property: Key(0)] int SockId, [property: Key(1)] int Rc, [property: Key(2)] byte[] Data) : ISockActorsReply
{
    /// <summary><see cref="Rc"/> typed: bytes read (0 at end of stream), or the errno by name.</summary>
    [IgnoreMember]
    public Client.SysResult Result => new(Rc);
}

/// <summary>Reads until recvmsg has nothing more (at most <see cref="MaxBytes"/>, 0 = no limit), keeping only the
/// count and, unless <see cref="NoChecksum"/>, the FNV-1a of the bytes. Reply: <see cref="Drained"/>.</summary>
/// <param name="SockId">The receiving socket.</param>
/// <param name="MaxBytes">Most bytes to read; 0 = no limit.</param>
/// <param name="NoChecksum">Skip the FNV-1a (for load, where only the count matters).</param>
/// <param name="Thread">The user-space thread making the call (<see cref="ISocketCall.Thread"/>; 0 = a thread of its own).</param>
[MessagePackObject]
public sealed record Drain([property: Key(0)] int SockId, [property: Key(1)] long MaxBytes, [property: Key(2)] bool NoChecksum = false, [property: Key(3)] int Thread = 0) : IScheduledCall;

/// <summary>Reply to <see cref="Drain"/>.</summary>
/// <param name="SockId">The drained socket.</param>
/// <param name="Bytes">Bytes read in all.</param>
/// <param name="Fnv">FNV-1a (hex) of the bytes read, in order; with <see cref="Drain.NoChecksum"/> the hash of no bytes.</param>
/// <param name="LastRc">The last recvmsg's return code: 0 at end of stream, -EAGAIN when the queue ran dry, positive when <see cref="Drain.MaxBytes"/> was reached.</param>
[MessagePackObject]
public sealed record Drained(
    [property: Key(0)] int SockId,
    [property: Key(1)] long Bytes,
    [property: Key(2)] string Fnv,
    [property: Key(3)] int LastRc) : ISockActorsReply;

/// <summary>close(2). Reply: <see cref="SocketClosed"/>.</summary>
/// <param name="SockId">The socket to close.</param>
/// <param name="Thread">The user-space thread making the call (<see cref="ISocketCall.Thread"/>; 0 = a thread of its own).</param>
[MessagePackObject]
public sealed record Close([property: Key(0)] int SockId, [property: Key(1)] int Thread = 0) : ISocketCall;

/// <summary>Reply to <see cref="Close"/>.</summary>
/// <param name="SockId">The closed socket.</param>
/// <param name="PurgedBytes">Bytes this close() threw away unread (receive and write queues purged).</param>
[MessagePackObject]
public sealed record SocketClosed([property: Key(0)] int SockId, [property: Key(1)] long PurgedBytes) : ISockActorsReply;

/// <summary>setsockopt / fcntl(O_NONBLOCK), with the kernel's rules (<see cref="Model.Net.Sock.SetSockOpt"/>: SO_SNDBUF
/// doubles, sock_set_timeout rounds to jiffies). Reply: <see cref="SockOptSet"/>.</summary>
/// <param name="SockId">The socket.</param>
/// <param name="Option">The option.</param>
/// <param name="Value">The option's value (bytes for buffer sizes, ns for timeouts, 0/1 for flags).</param>
/// <param name="Thread">The user-space thread making the call (<see cref="ISocketCall.Thread"/>; 0 = a thread of its own).</param>
[MessagePackObject]
public sealed record SetSockOpt(
    [property: Key(0)] int SockId,
    [property: Key(1)] Model.Net.SockOption Option,
    [property: Key(2)] long Value,
    [property: Key(3)] int Thread = 0) : ISocketCall;

/// <summary>Reply to <see cref="SetSockOpt"/>.</summary>
/// <param name="SockId">The socket.</param>
/// <param name="Rc">setsockopt's return: 0, or -ENOPROTOOPT for an option the model does not know (buffer sizes are clamped, never refused).</param>
[MessagePackObject]
public sealed record SockOptSet([property: Key(0)] int SockId, [property: Key(1)] int Rc) : ISockActorsReply
{
    /// <summary><see cref="Rc"/> typed.</summary>
    [IgnoreMember]
    public Client.SysResult Result => new(Rc);
}

/// <summary>The socket's buffers and accounting. Answered at once, even while a call of the socket is waiting.
/// Reply: <see cref="SockStats"/>.</summary>
/// <param name="SockId">The socket.</param>
[MessagePackObject]
public sealed record GetSockStats([property: Key(0)] int SockId) : ISocketRequest;

/// <summary>Reply to <see cref="GetSockStats"/>: the socket's counters at the moment the actor answered.</summary>
/// <param name="SockId">The socket.</param>
/// <param name="Name">The socket's name.</param>
/// <param name="WmemQueued">sk_wmem_queued: bytes charged to the send side (write queue and sk_msg buffers), in bytes.</param>
/// <param name="ReceiveQueueBytes">Bytes in sk_receive_queue.</param>
/// <param name="IngressBytes">Bytes in the psock's ingress_msg list (redirected to this socket's ingress), 0 without psock.</param>
/// <param name="PurgedBytes">Bytes thrown away unread so far (close).</param>
/// <param name="Sndbuf">sk_sndbuf in bytes (SO_SNDBUF doubled).</param>
/// <param name="Rcvbuf">sk_rcvbuf in bytes (SO_RCVBUF doubled).</param>
/// <param name="HasPsock">Whether the socket has an sk_psock (it is in a sockmap or sockhash).</param>
/// <param name="WaitingSends">Sends asleep in sk_stream_wait_memory.</param>
/// <param name="WaitingForLock">Calls waiting for the socket lock (lock_sock).</param>
/// <param name="CorkedBytes">Bytes held in psock->cork (a cork the program asked for, not yet full).</param>
/// <param name="WaitingReceives">Receives asleep waiting for data (sk_msg_wait_data / sk_wait_data).</param>
/// <param name="CallsInProgress">Socket calls started and not yet returned (running, asleep or waiting for the lock).</param>
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
