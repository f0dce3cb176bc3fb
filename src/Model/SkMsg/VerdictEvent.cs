namespace SockActors.Model.Msg;

/// <summary>
/// One run of an SK_MSG program as sk_psock_msg_verdict ends it: which socket sent, how large the message was, the
/// verdict (after sk_psock_map_verd), the apply and cork windows the run asked for (msg->apply_bytes and
/// msg->cork_bytes, which tcp_bpf_send_verdict acts on next), and for a redirect the target socket and direction.
/// Published on <see cref="Net.SimKernel.ProgramRan"/> so that tests, pictures and actors can observe the verdict
/// path without changing it.
/// </summary>
public readonly record struct VerdictEvent(
    int SockId,
    string SockName,
    long RunIndex,
    uint Size,
    SkVerdict Verdict,
    uint ApplyBytes,
    uint CorkBytes,
    int RedirectSockId,
    bool Ingress,
    long NowNs);
