using SockActors.Model.Msg;

namespace SockActors.Model.Net;

/// <summary>
/// The points where the kernel's send path lets go of the sender (a redirect releases the socket lock; a full buffer
/// sleeps in sk_stream_wait_memory). The sequential engine answers them in place; the actor runtime turns them into
/// messages to the socket that owns the state and resumes the send with the answer. The model decides nothing here:
/// every rule stays in the code that awaits.
/// </summary>
public interface ISockEnvironment
{
    /// <summary>
    /// tcp_bpf_sendmsg_redir: hand the front ranges of the sender's message (up to the apply window) to
    /// <paramref name="target"/>'s egress or ingress, by calling <see cref="TcpBpf.SendMsgRedirAsync"/> where the
    /// target's state lives. Returns 0 or -errno and the bytes the target took.
    /// </summary>
    ValueTask<RedirectOutcome> SendMsgRedirAsync(Sock target, bool ingress, RedirectSegments segments, int flags);

    /// <summary>
    /// sk_stream_wait_memory: wait until <paramref name="sk"/> has send buffer space, at most <paramref name="timeoNs"/>
    /// of virtual time. Returns the remaining timeout (&gt;= 0) or -errno (-EAGAIN on timeout or for timeo 0, -EPIPE).
    /// </summary>
    ValueTask<long> WaitForMemoryAsync(Sock sk, long timeoNs);
}
