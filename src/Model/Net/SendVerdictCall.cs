using SockActors.Model.Msg;

namespace SockActors.Model.Net;

/// <summary>
/// One sendmsg's (or 4.17 sendpage's) call of tcp_bpf_send_verdict: the socket, its psock, the message to judge and
/// the flags, and the return value the send accumulates across the calls (int *copied in the kernel). The send path
/// hands it to <see cref="ISockEnvironment.SendVerdictAsync"/>, so that an engine can run the verdict where the
/// psock's verdict state lives (the actor runtime: the socket's verdict actor) and resume the send with its result.
/// </summary>
public sealed class SendVerdictCall
{
    internal SendVerdictCall(Sock sk, SkPsock psock, int flags)
    {
        Sk = sk;
        Psock = psock;
        Flags = flags;
    }

    /// <summary>The sending socket.</summary>
    public Sock Sk { get; }

    /// <summary>The sending socket's psock (its cached verdict, apply and cork windows, cork message, redirect target).</summary>
    public SkPsock Psock { get; }

    /// <summary>The send's flags as tcp_bpf_sendmsg passes them on.</summary>
    public int Flags { get; }

    /// <summary>The message the next verdict judges (the cork message or the send's own).</summary>
    internal SkMsg? Msg;

    /// <summary>The bytes the send returns so far (int *copied).</summary>
    internal int Copied;

    /// <summary>tcp_bpf_send_verdict on <see cref="Msg"/>: 0 or -errno; may suspend where the kernel releases the socket
    /// lock (the redirect) or sleeps (a pass that waits for send buffer space).</summary>
    public ValueTask<int> RunAsync() => TcpBpf.SendVerdictAsync(Sk, Psock, Msg, this, Flags);
}
