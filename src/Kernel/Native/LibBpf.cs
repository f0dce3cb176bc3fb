using System.Runtime.InteropServices;

namespace SockActors.Kernel.Native;

/// <summary>The few libbpf 1.x entry points the driver needs. libbpf 1.x returns NULL / -errno and sets errno.</summary>
internal static unsafe partial class LibBpf
{
    private const string Lib = "libbpf.so.1";

    /// <summary>enum bpf_attach_type in include/uapi/linux/bpf.h: BPF_SK_MSG_VERDICT is the 8th entry.</summary>
    public const int BpfSkMsgVerdict = 7;

    /// <summary>enum bpf_attach_type: BPF_CGROUP_SOCK_OPS, BPF_SK_SKB_STREAM_PARSER, BPF_SK_SKB_STREAM_VERDICT, BPF_SK_SKB_VERDICT.</summary>
    public const int BpfCgroupSockOps = 3, BpfSkSkbStreamParser = 4, BpfSkSkbStreamVerdict = 5, BpfSkSkbVerdict = 38;

    /// <summary>BPF_ANY for bpf_map_update_elem.</summary>
    public const ulong BpfAny = 0;

    [LibraryImport(Lib, EntryPoint = "bpf_object__open_file", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial nint ObjectOpenFile(string path, nint opts);

    [LibraryImport(Lib, EntryPoint = "bpf_object__load", SetLastError = true)]
    public static partial int ObjectLoad(nint obj);

    [LibraryImport(Lib, EntryPoint = "bpf_object__close")]
    public static partial void ObjectClose(nint obj);

    [LibraryImport(Lib, EntryPoint = "bpf_object__find_map_by_name", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint FindMapByName(nint obj, string name);

    [LibraryImport(Lib, EntryPoint = "bpf_map__fd")]
    public static partial int MapFd(nint map);

    [LibraryImport(Lib, EntryPoint = "bpf_map__value_size")]
    public static partial uint MapValueSize(nint map);

    [LibraryImport(Lib, EntryPoint = "bpf_object__find_program_by_name", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint FindProgramByName(nint obj, string name);

    [LibraryImport(Lib, EntryPoint = "bpf_object__next_program")]
    public static partial nint NextProgram(nint obj, nint prev);

    [LibraryImport(Lib, EntryPoint = "bpf_program__fd")]
    public static partial int ProgramFd(nint prog);

    [LibraryImport(Lib, EntryPoint = "bpf_prog_attach", SetLastError = true)]
    public static partial int ProgAttach(int progFd, int attachableFd, int type, uint flags);

    [LibraryImport(Lib, EntryPoint = "bpf_prog_detach2", SetLastError = true)]
    public static partial int ProgDetach2(int progFd, int attachableFd, int type);

    /// <summary>bpf_map__reuse_fd: before load, makes the object's map the existing map behind <paramref name="fd"/>.</summary>
    [LibraryImport(Lib, EntryPoint = "bpf_map__reuse_fd", SetLastError = true)]
    public static partial int MapReuseFd(nint map, int fd);

    [LibraryImport(Lib, EntryPoint = "bpf_map_update_elem", SetLastError = true)]
    public static partial int MapUpdateElem(int fd, void* key, void* value, ulong flags);

    [LibraryImport(Lib, EntryPoint = "bpf_map_lookup_elem", SetLastError = true)]
    public static partial int MapLookupElem(int fd, void* key, void* value);

    /// <summary>Silences libbpf's own stderr logging (the driver reports errors itself).</summary>
    [LibraryImport(Lib, EntryPoint = "libbpf_set_print")]
    public static partial nint SetPrint(nint fn);
}
