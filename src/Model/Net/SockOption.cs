namespace SockActors.Model.Net;

/// <summary>The socket options the model has (setsockopt level SOL_SOCKET / IPPROTO_TCP, and fcntl's O_NONBLOCK).</summary>
public enum SockOption
{
    /// <summary>SO_SNDBUF: the value is the user's; sk_sndbuf becomes twice it, clamped (see <see cref="Sock.SetSockOpt"/>).</summary>
    SndBuf = 0,

    /// <summary>SO_RCVBUF: the value is the user's; sk_rcvbuf becomes twice it, clamped.</summary>
    RcvBuf = 1,

    /// <summary>SO_SNDTIMEO as nanoseconds (a timeval in the kernel): 0 means no timeout, negative means none at all
    /// (non-blocking), rounded up to jiffies.</summary>
    SndTimeoNs = 2,

    /// <summary>SO_RCVTIMEO as nanoseconds, with the same rules as <see cref="SndTimeoNs"/>.</summary>
    RcvTimeoNs = 3,

    /// <summary>fcntl(F_SETFL, O_NONBLOCK): non-zero sets it.</summary>
    NonBlocking = 4,

    /// <summary>TCP_NODELAY.</summary>
    NoDelay = 5,

    /// <summary>SO_SNDBUFFORCE (CAP_NET_ADMIN): as SO_SNDBUF without the wmem_max clamp; negative counts as 0.</summary>
    SndBufForce = 6,

    /// <summary>SO_RCVBUFFORCE (CAP_NET_ADMIN): as SO_RCVBUF without the rmem_max clamp; negative counts as 0.</summary>
    RcvBufForce = 7,
}
