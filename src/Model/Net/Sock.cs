using SockActors.Model.Memory;
using SockActors.Model.Msg;
using SockActors.Model.Programs;

namespace SockActors.Model.Net;

/// <summary>
/// A simulated TCP socket (struct sock + tcp_sock, as far as the sockmap path needs them): its state, its loopback
/// peer, its send buffer accounting and write queue, its receive queue, its page frag and its psock.
/// One instance is owned by one caller at a time (the sequential engine, or one socket actor).
/// </summary>
public sealed partial class Sock
{
    /// <summary>MAX_SCHEDULE_TIMEOUT: a blocking socket without SO_SNDTIMEO/SO_RCVTIMEO.</summary>
    public const long MaxScheduleTimeout = long.MaxValue;

    /// <summary>Loopback MSS (MTU 65536 - 40 bytes of headers - 12 bytes of timestamps); full segments go out even
    /// while MSG_MORE corks a partial one (tcp_nagle_test).</summary>
    public const int LoopbackMss = 65483;

    internal Sock(SimKernel kernel, int id, string name)
    {
        Kernel = kernel;
        Id = id;
        Name = name;
        Sndbuf = kernel.Defaults.Sndbuf;
        Rcvbuf = kernel.Defaults.Rcvbuf;
        RmemLimit = kernel.Defaults.RmemLimit;
    }

    /// <summary>The kernel the socket belongs to.</summary>
    public SimKernel Kernel { get; }
    /// <summary>The socket's number in its kernel (its file descriptor in the simulation).</summary>
    public int Id { get; }
    /// <summary>The socket's name in traces and results ("c1", "p1", ...).</summary>
    public string Name { get; }

    /// <summary>The socket cookie (sock_gen_cookie): unique, never reused.</summary>
    public ulong Cookie => (ulong)Id + 0x1000;

    /// <summary>sk_state: TCP_CLOSE, TCP_ESTABLISHED or TCP_LISTEN.</summary>
    public SockState State { get; internal set; } = SockState.Close;
    /// <summary>The other end of the connection (loopback), or null.</summary>
    public Sock? Peer { get; internal set; }
    /// <summary>Family, addresses and ports as sk_msg_md and __sk_buff show them to a program.</summary>
    public SocketAddresses Addresses { get; internal set; } = SocketAddresses.Ipv4(0x7f000001, 0, 0, 0);
    /// <summary>The local port (host order).</summary>
    public ushort LocalPort { get; internal set; }

    /// <summary>The sockmap state, present while the socket is in at least one sockmap or sockhash.</summary>
    public SkPsock? Psock { get; internal set; }

    /// <summary>sk_page_frag: where sendmsg carves its buffers.</summary>
    public PageFrag Frag { get; } = new();

    /// <summary>sk_sndbuf in bytes: the limit of <see cref="WmemQueued"/> (setsockopt SO_SNDBUF doubles the value asked for).</summary>
    public int Sndbuf { get; set; }
    /// <summary>sk_rcvbuf in bytes (setsockopt SO_RCVBUF doubles the value asked for).</summary>
    public int Rcvbuf { get; set; }

    /// <summary>Upper bound of receive memory (the part of tcp_mem this socket may use): an ingress redirect beyond it
    /// fails its __sk_rmem_schedule with -ENOMEM.</summary>
    public long RmemLimit { get; set; }

    /// <summary>SO_SNDTIMEO / SO_RCVTIMEO in virtual nanoseconds (MaxScheduleTimeout = none).</summary>
    public long SndTimeoNs { get; set; } = MaxScheduleTimeout;
    /// <summary>SO_RCVTIMEO in virtual ns (MaxScheduleTimeout = none).</summary>
    public long RcvTimeoNs { get; set; } = MaxScheduleTimeout;

    /// <summary>O_NONBLOCK: every send and receive behaves as with MSG_DONTWAIT.</summary>
    public bool NonBlocking { get; set; }
    /// <summary>TCP_NODELAY.</summary>
    public bool NoDelay { get; set; }

    /// <summary>sk_err (positive errno), sk_shutdown.</summary>
    public int Err { get; internal set; }
    /// <summary>SEND_SHUTDOWN in sk_shutdown: sends fail with -EPIPE.</summary>
    public bool SendShutdown { get; internal set; }
    /// <summary>RCV_SHUTDOWN in sk_shutdown: receives return 0 (end of stream) once the queues are empty.</summary>
    public bool RcvShutdown { get; internal set; }

    /// <summary>sk_forward_alloc charges of the sk_msg path (sk_mem_charge/uncharge), for accounting checks.</summary>
    public long MemCharged { get; private set; }

    /// <summary>Receive memory held by ingress_msg (sk_rmem_alloc for redirected messages).</summary>
    public long RmemAlloc { get; internal set; }

    /// <summary>Bytes queued for transmission and not yet taken by the peer (sk_wmem_queued); for a remote peer also the
    /// bytes in flight until their ACK.</summary>
    public long WmemQueued => WriteQueue.Bytes + WireInFlight;

    /// <summary>TCP write queue: data held back by MSG_MORE or by a full peer.</summary>
    internal SegmentQueue WriteQueue { get; } = new();

    /// <summary>TCP receive queue (sk_receive_queue).</summary>
    internal SegmentQueue ReceiveQueue { get; } = new();

    /// <summary>Bytes waiting in the TCP receive queue.</summary>
    public long ReceiveQueueBytes => ReceiveQueue.Bytes;

    /// <summary>Bytes handed to TCP but held back in the write queue (MSG_MORE cork or a full peer).</summary>
    public long HeldBytes => WriteQueue.Bytes;

    /// <summary>Bytes waiting in the psock's ingress_msg queue.</summary>
    public long IngressBytes => Psock?.IngressBytes ?? 0;

    /// <summary>sk_stream_memory_free: sk_wmem_queued below sk_sndbuf.</summary>
    public bool StreamMemoryFree => WmemQueued < Sndbuf;

    /// <summary>Whether the socket is TCP (always, in the simulation; sock_map_redirect_allowed asks).</summary>
    public bool IsTcp => true;

    /// <summary>Bytes this socket lost at close or when its psock went: cork, unread ingress_msg, unread receive queue.</summary>
    public long PurgedBytes { get; internal set; }

    internal void MemCharge(long bytes) => MemCharged += bytes;

    /// <summary>Pages the program's helpers allocated during the current send (runaway detection).</summary>
    internal long SendAllocated;

    /// <summary>
    /// Counts pages a helper allocates within one send. The kernel has no bound here: a program that pushes as much as
    /// its apply window consumes re-runs without end and allocates until the machine runs out of memory (conformance
    /// "runaway"). The model stops at <see cref="SimKernel.RunawayAllocationLimit"/> instead.
    /// </summary>
    internal void ChargeSendAllocation(long bytes)
    {
        SendAllocated += bytes;
        if (SendAllocated > Kernel.RunawayAllocationLimit)
            throw new RunawayException(
                $"{Name}: the SK_MSG program's helpers allocated {SendAllocated} bytes of pages within one send without the message shrinking; " +
                "the kernel would keep re-running the program and allocating until memory runs out");
    }
    internal void MemUncharge(long bytes) => MemCharged -= bytes;

    /// <summary>sock_sndtimeo</summary>
    public long SndTimeo(int flags) => (flags & MsgFlags.DontWait) != 0 || NonBlocking ? 0 : SndTimeoNs;

    /// <summary><see cref="Name"/>.</summary>
    public override string ToString() => Name;
}
