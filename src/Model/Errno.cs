namespace SockActors.Model;

/// <summary>Linux errno values (include/uapi/asm-generic/errno-base.h, errno.h) as the model returns them, negated.</summary>
public static class Errno
{
    /// <summary>Operation not permitted.</summary>
    public const int EPERM = 1;
    /// <summary>No such entry: an empty map slot or key, a program that is not attached.</summary>
    public const int ENOENT = 2;
    /// <summary>Interrupted system call (a signal woke a sleeping call).</summary>
    public const int EINTR = 4;
    /// <summary>Bad file descriptor.</summary>
    public const int EBADF = 9;
    /// <summary>Try again: a non-blocking call that would sleep (MSG_DONTWAIT, O_NONBLOCK), or a sleep that ran out its
    /// SO_SNDTIMEO / SO_RCVTIMEO.</summary>
    public const int EAGAIN = 11;
    /// <summary>Out of memory: receive memory refused to an ingress redirect (__sk_rmem_schedule), an sk_msg page refill that
    /// fails, or a map larger than the simulation allocates.</summary>
    public const int ENOMEM = 12;
    /// <summary>Permission denied: tcp_bpf_sendmsg's return for a message the program dropped (SK_DROP).</summary>
    public const int EACCES = 13;
    /// <summary>Bad address: a helper or copy given memory outside the buffer.</summary>
    public const int EFAULT = 14;
    /// <summary>Device or resource busy: a map that already has a program of the excluding kind, a socket that already has one.</summary>
    public const int EBUSY = 16;
    /// <summary>Entry exists: BPF_NOEXIST on a key in use.</summary>
    public const int EEXIST = 17;
    /// <summary>Invalid argument: bad flags, sizes or offsets, a program of the wrong type for an attach.</summary>
    public const int EINVAL = 22;
    /// <summary>No space left: an sk_msg scatterlist ring that is full (MAX_MSG_FRAGS), or a user-space lookup in a socket map
    /// whose value_size has no room for the 8-byte cookie.</summary>
    public const int ENOSPC = 28;
    /// <summary>Broken pipe: sending on a socket whose peer or own send side has shut down.</summary>
    public const int EPIPE = 32;
    /// <summary>Argument list too long: a sockmap or array index at or past max_entries, a full sockhash, a sockhash key_size
    /// over MAX_BPF_STACK.</summary>
    public const int E2BIG = 7;
    /// <summary>Socket operation on a non-socket.</summary>
    public const int ENOTSOCK = 88;
    /// <summary>Protocol not available: a socket option the model does not know (setsockopt).</summary>
    public const int ENOPROTOOPT = 92;
    /// <summary>Operation not supported: a socket a map does not take (not TCP, or in the wrong state), an unknown attach type, a
    /// map operation the map type does not have.</summary>
    public const int EOPNOTSUPP = 95;
    /// <summary>Transport endpoint is not connected: a call on a socket that is not (or no longer) established.</summary>
    public const int ENOTCONN = 107;
    /// <summary>Connection reset by peer.</summary>
    public const int ECONNRESET = 104;
    /// <summary>Connection refused: a connect to a host or port where nothing listens (the SYN is answered with a RST).</summary>
    public const int ECONNREFUSED = 111;
    /// <summary>I/O error: an SK_SKB redirect to a socket without a live psock (sk_psock_skb_redirect drops the skb).</summary>
    public const int EIO = 5;
    /// <summary>No data available: strparser's error for a parser that failed with part of a record gathered.</summary>
    public const int ENODATA = 61;
    /// <summary>Protocol error: a stream parser error (strparser's EPROTO).</summary>
    public const int EPROTO = 71;
    /// <summary>Message too long: a record larger than the stream parser or receive buffer allows.</summary>
    public const int EMSGSIZE = 90;
    /// <summary>Connection timed out.</summary>
    public const int ETIMEDOUT = 110;
    /// <summary>Streams pipe error: a stream parser program's failure before any byte of a record was gathered.</summary>
    public const int ESTRPIPE = 86;

    /// <summary>The symbolic name of an errno (positive or negative), e.g. "EACCES".</summary>
    public static string Name(int errno) => Math.Abs(errno) switch
    {
        EPERM => "EPERM", ENOENT => "ENOENT", EINTR => "EINTR", EBADF => "EBADF", EAGAIN => "EAGAIN",
        ENOMEM => "ENOMEM", EACCES => "EACCES", EFAULT => "EFAULT", EBUSY => "EBUSY", EEXIST => "EEXIST",
        EINVAL => "EINVAL", ENOSPC => "ENOSPC", EPIPE => "EPIPE", E2BIG => "E2BIG", ENOTSOCK => "ENOTSOCK", ENOPROTOOPT => "ENOPROTOOPT",
        EOPNOTSUPP => "EOPNOTSUPP", ENOTCONN => "ENOTCONN", ECONNRESET => "ECONNRESET", ECONNREFUSED => "ECONNREFUSED", EIO => "EIO",
        ENODATA => "ENODATA", EPROTO => "EPROTO", EMSGSIZE => "EMSGSIZE", ETIMEDOUT => "ETIMEDOUT", ESTRPIPE => "ESTRPIPE",
        var e => "E" + e,
    };
}
