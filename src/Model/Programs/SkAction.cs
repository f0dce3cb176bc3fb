namespace SockActors.Model.Programs;

/// <summary>Return codes of an SK_MSG program (include/uapi/linux/bpf.h, enum sk_action).</summary>
public static class SkAction
{
    public const int Drop = 0;
    public const int Pass = 1;
}

/// <summary>Flags of the msg redirect helpers (include/uapi/linux/bpf.h).</summary>
public static class BpfRedirectFlags
{
    /// <summary>BPF_F_INGRESS: queue on the target's ingress_msg instead of its egress.</summary>
    public const ulong Ingress = 1;
}
