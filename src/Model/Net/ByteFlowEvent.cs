namespace SockActors.Model.Net;

/// <summary>Where a socket's bytes went at one step of the send path (see <see cref="ByteFlowEvent"/>).</summary>
public enum ByteFlowKind
{
    /// <summary>tcp_sendmsg_locked queued the bytes on this socket's TCP write queue, bound for its peer.</summary>
    TcpQueued,

    /// <summary>bpf_tcp_ingress queued the bytes on this socket's ingress_msg (a redirect with BPF_F_INGRESS).</summary>
    Ingress,

    /// <summary>tcp_bpf_send_verdict freed the message on an SK_DROP verdict.</summary>
    Dropped,

    /// <summary>tcp_bpf_send_verdict freed what was left of a message: after a redirect of the cork message, or after
    /// the push or redirect failed.</summary>
    Freed,
}

/// <summary>
/// One step of the byte flow: <paramref name="Bytes"/> bytes of <paramref name="SockName"/>'s send path went where
/// <paramref name="Kind"/> says. Published on <see cref="SimKernel.BytesMoved"/> for observers (the explain picture);
/// the send path does not depend on who listens.
/// </summary>
public readonly record struct ByteFlowEvent(int SockId, string SockName, ByteFlowKind Kind, long Bytes, long NowNs);
