namespace SockActors.Model.Bpf;

/// <summary>
/// struct sk_msg_md (include/uapi/linux/bpf.h) as a program addresses it, and the access rule of
/// net/core/filter.c sk_msg_is_valid_access: no writes; offset aligned to the size; data, data_end and sk are
/// 8-byte loads; every other field is an exact 4-byte load; nothing past sk.
/// </summary>
public static class SkMsgContextLayout
{
    /// <summary>Byte offsets of the fields of struct sk_msg_md: data, data_end (8-byte pointers), family, remote_ip4,
    /// local_ip4, remote_ip6[4], local_ip6[4], remote_port, local_port, size (bytes in the message), sk (8-byte pointer).</summary>
    public const int Data = 0, DataEnd = 8, Family = 16, RemoteIp4 = 20, LocalIp4 = 24, RemoteIp6 = 28, LocalIp6 = 44,
        RemotePort = 60, LocalPort = 64, Size = 68, Sk = 72;

    /// <summary>sizeof(struct sk_msg_md).</summary>
    public const int StructSize = 80;

    /// <summary>Null when the access is valid, else why not.</summary>
    public static string? CheckAccess(int offset, int size, bool write)
    {
        if (write) return $"write of {size} bytes to sk_msg_md+{offset}: the context is read-only (sk_msg_is_valid_access)";
        if (offset < 0 || offset >= StructSize) return $"read at sk_msg_md{(offset < 0 ? "" : "+")}{offset}: outside struct sk_msg_md ({StructSize} bytes)";
        if (offset % size != 0) return $"misaligned {size}-byte read of sk_msg_md+{offset}";
        bool pointerField = offset is Data or DataEnd or Sk;
        if (pointerField && size != 8) return $"{size}-byte read of sk_msg_md.{FieldName(offset)}: pointer fields must be read with 8-byte loads";
        if (!pointerField && size != 4) return $"{size}-byte read of sk_msg_md.{FieldName(offset)}: the field must be read with a 4-byte load";
        if (offset is DataEnd + 4 or Data + 4 or Sk + 4) return $"read of the upper half of sk_msg_md.{FieldName(offset & ~7)}";
        return null;
    }

    /// <summary>The kernel's name of the sk_msg_md field at byte <paramref name="offset"/> ("remote_ip6[2]"), or "+offset".</summary>
    public static string FieldName(int offset) => offset switch
    {
        Data => "data", DataEnd => "data_end", Family => "family", RemoteIp4 => "remote_ip4", LocalIp4 => "local_ip4",
        >= RemoteIp6 and < LocalIp6 => $"remote_ip6[{(offset - RemoteIp6) / 4}]",
        >= LocalIp6 and < RemotePort => $"local_ip6[{(offset - LocalIp6) / 4}]",
        RemotePort => "remote_port", LocalPort => "local_port", Size => "size", Sk => "sk",
        _ => $"+{offset}",
    };
}
