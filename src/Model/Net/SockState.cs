namespace SockActors.Model.Net;

/// <summary>TCP states the simulation distinguishes (include/net/tcp_states.h).</summary>
public enum SockState
{
    /// <summary>TCP_CLOSE: new, or closed.</summary>
    Close = 7,
    /// <summary>TCP_ESTABLISHED: connected.</summary>
    Established = 1,
    /// <summary>TCP_LISTEN: a listener (never a redirect target, sock_map_redirect_allowed).</summary>
    Listen = 10,
}

/// <summary>msg_flags bits used by the send path (include/linux/socket.h).</summary>
public static class MsgFlags
{
    /// <summary>MSG_PEEK: recvmsg leaves the data queued.</summary>
    public const int Peek = 0x2;
    /// <summary>MSG_DONTWAIT: do not sleep; -EAGAIN instead.</summary>
    public const int DontWait = 0x40;
    /// <summary>MSG_NOSIGNAL: no SIGPIPE on a broken pipe (the simulation sends none anyway).</summary>
    public const int NoSignal = 0x4000;
    /// <summary>MSG_MORE: the caller has more data to send right after this call.</summary>
    public const int More = 0x8000;
    /// <summary>MSG_SPLICE_PAGES: the send splices the caller's pages (sendfile), which become shared elements (sg.copy).</summary>
    public const int SplicePages = 0x8000000;
    /// <summary>MSG_NO_SHARED_FRAGS: the pages are not shared with user space.</summary>
    public const int NoSharedFrags = 0x80000;
}
