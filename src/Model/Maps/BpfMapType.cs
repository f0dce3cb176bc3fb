namespace SockActors.Model.Maps;

/// <summary>enum bpf_map_type values (include/uapi/linux/bpf.h) for the maps the simulation knows.</summary>
public enum BpfMapType : uint
{
    /// <summary>BPF_MAP_TYPE_HASH (<see cref="HashMap"/>).</summary>
    Hash = 1,
    /// <summary>BPF_MAP_TYPE_ARRAY (<see cref="ArrayMap"/>; also .data/.rodata/.bss).</summary>
    Array = 2,
    /// <summary>BPF_MAP_TYPE_PERCPU_ARRAY: one CPU in the simulation, so an array.</summary>
    PercpuArray = 6,
    /// <summary>BPF_MAP_TYPE_SOCKMAP (<see cref="SockMap"/>): sockets by u32 index.</summary>
    SockMap = 15,
    /// <summary>BPF_MAP_TYPE_SOCKHASH (<see cref="SockHash"/>): sockets by key bytes.</summary>
    SockHash = 18,
}

/// <summary>Map update flags (include/uapi/linux/bpf.h).</summary>
public static class BpfUpdateFlags
{
    /// <summary>BPF_ANY: create or update.</summary>
    public const ulong Any = 0;
    /// <summary>BPF_NOEXIST: create only (-EEXIST when the key is there).</summary>
    public const ulong NoExist = 1;
    /// <summary>BPF_EXIST: update only (-ENOENT when the key is not there).</summary>
    public const ulong Exist = 2;
}
