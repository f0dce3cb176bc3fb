using SockActors.Model.Msg;

namespace SockActors.Model.Net;

/// <summary>
/// The points where the kernel lets go of a calling task: a redirect releases the sender's socket lock
/// (tcp_bpf_sendmsg_redir), a full send buffer sleeps in sk_stream_wait_memory, an empty receive queue sleeps in
/// tcp_msg_wait_data / sk_wait_data, and a wake-up on a socket's wait queue ends such sleeps. The sequential engine
/// answers them in place or with its cooperative scheduler; the actor runtime turns them into messages to the socket
/// that owns the state and resumes the call with the answer. The model decides nothing here: when a sleep ends is
/// <see cref="Sock.StreamWaitMemoryStep"/> / <see cref="Sock.WaitDataStep"/>, when a wake-up is sent is the model's.
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
    /// tcp_bpf_send_verdict for one chunk of a send, run where the psock's verdict state lives, with the sender's
    /// socket lock held on the call's behalf; returns 0 or -errno. In place by default (the sequential engine); the
    /// actor runtime runs it in the socket's verdict actor and resumes the send with the result.
    /// </summary>
    ValueTask<int> SendVerdictAsync(SendVerdictCall call) => call.RunAsync();

    /// <summary>
    /// sk_stream_wait_memory: returns the remaining timeout (&gt;= 0) or -errno as <see cref="Sock.StreamWaitMemoryStep"/>
    /// decides, on entry and after each <see cref="Wake"/> of <paramref name="sk"/>; SO_SNDTIMEO runs on virtual time.
    /// The socket lock is released while it sleeps.
    /// </summary>
    ValueTask<long> WaitForMemoryAsync(Sock sk, long timeoNs);

    /// <summary>
    /// tcp_msg_wait_data / sk_wait_data for a blocking receive: returns the remaining timeout (&gt;= 0) once
    /// <see cref="Sock.WaitDataStep"/> says data, shutdown or an error is there, or -EAGAIN when SO_RCVTIMEO ran out.
    /// The socket lock is released while it sleeps.
    /// </summary>
    ValueTask<long> WaitForDataAsync(Sock sk, long timeoNs);

    /// <summary>wake_up on <paramref name="sk"/>'s wait queue (sk_write_space, sk_data_ready, sk_state_change): its
    /// sleepers re-check their conditions, after the current call has let go of the socket. Called only when
    /// <see cref="Sock.Sleepers"/> is non-zero.</summary>
    void Wake(Sock sk);
}
