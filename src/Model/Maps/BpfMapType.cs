namespace SockActors.Model.Maps;

/// <summary>enum bpf_map_type values (include/uapi/linux/bpf.h) for the maps the simulation knows.</summary>
public enum BpfMapType : uint
{
    Hash = 1,
    Array = 2,
    PercpuArray = 6,
    SockMap = 15,
    SockHash = 18,
}

/// <summary>Map update flags (include/uapi/linux/bpf.h).</summary>
public static class BpfUpdateFlags
{
    public const ulong Any = 0;
    public const ulong NoExist = 1;
    public const ulong Exist = 2;
}
