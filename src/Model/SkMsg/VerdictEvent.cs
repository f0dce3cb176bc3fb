namespace SockActors.Model.Msg;

/// <summary>
/// One run of an SK_MSG program as sk_psock_msg_verdict ends it: which socket sent, how large the message was, the
/// verdict (after sk_psock_map_verd), the apply and cork windows the run asked for (msg->apply_bytes and
/// msg->cork_bytes, which tcp_bpf_send_verdict acts on next), and for a redirect the target socket and direction.
/// Published on <see cref="Net.SimKernel.ProgramRan"/> so that tests, pictures and actors can observe the verdict
/// path without changing it.
/// </summary>
/// <param name="SockId">The sending socket's id.</param>
/// <param name="SockName">The sending socket's name.</param>
/// <param name="RunIndex">The run's number among the kernel's runs, from 0.</param>
/// <param name="Size">msg->sg.size the program saw, in bytes.</param>
/// <param name="Verdict">The verdict after sk_psock_map_verd.</param>
/// <param name="ApplyBytes">msg->apply_bytes the run set (0 = none).</param>
/// <param name="CorkBytes">msg->cork_bytes the run set (0 = none).</param>
/// <param name="RedirectSockId">The redirect target's id, 0 unless the verdict is a redirect.</param>
/// <param name="Ingress">The redirect goes to the target's ingress.</param>
/// <param name="NowNs">The kernel's virtual clock at the run, in ns.</param>
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
