namespace SockActors.Model.Programs;

/// <summary>Return codes of an SK_MSG program (include/uapi/linux/bpf.h, enum sk_action).</summary>
public static class SkAction
{
    /// <summary>SK_DROP: drop the message (sendmsg returns -EACCES).</summary>
    public const int Drop = 0;
    /// <summary>SK_PASS: send it on (or redirect, after a successful redirect helper).</summary>
    public const int Pass = 1;
}

/// <summary>Flags of the msg redirect helpers (include/uapi/linux/bpf.h).</summary>
public static class BpfRedirectFlags
{
    /// <summary>BPF_F_INGRESS: queue on the target's ingress_msg instead of its egress.</summary>
    public const ulong Ingress = 1;
}
