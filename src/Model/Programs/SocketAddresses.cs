namespace SockActors.Model.Programs;

/// <summary>
/// The address fields of struct sk_msg_md, as the program reads them (filter.c sk_msg_convert_ctx_access):
/// family; IPv4 addresses in network byte order as loaded into a u32; remote_port = htonl(port) (the 16-bit
/// skc_dport shifted left 16 on little-endian); local_port in host order; IPv6 words zero for an IPv4 socket.
/// </summary>
/// <param name="Family">AF_INET or AF_INET6.</param>
/// <param name="RemoteIp4">remote_ip4: the peer's IPv4 address in network byte order.</param>
/// <param name="LocalIp4">local_ip4: the socket's IPv4 address in network byte order.</param>
/// <param name="RemotePort">remote_port: htonl(peer port).</param>
/// <param name="LocalPort">local_port: the socket's port in host order.</param>
/// <param name="RemoteIp6">remote_ip6[4]: the peer's IPv6 address words (zero for IPv4).</param>
/// <param name="LocalIp6">local_ip6[4]: the socket's IPv6 address words (zero for IPv4).</param>
public sealed record SocketAddresses(
    uint Family,
    uint RemoteIp4,
    uint LocalIp4,
    uint RemotePort,
    uint LocalPort,
    uint[] RemoteIp6,
    uint[] LocalIp6)
{
    /// <summary>AF_INET, the family of an IPv4 socket.</summary>
    public const uint AfInet = 2;
    /// <summary>AF_INET6, the family of an IPv6 socket.</summary>
    public const uint AfInet6 = 10;

    /// <summary>
    /// The field at <paramref name="fromFamily"/> bytes past <c>family</c>: sk_msg_md, __sk_buff and bpf_sock_ops all
    /// lay out family, remote_ip4, local_ip4, remote_ip6[4], local_ip6[4], remote_port, local_port as consecutive u32s.
    /// </summary>
    public uint Field(int fromFamily) => fromFamily switch
    {
        0 => Family,
        4 => RemoteIp4,
        8 => LocalIp4,
        >= 12 and < 28 => RemoteIp6[(fromFamily - 12) / 4],
        >= 28 and < 44 => LocalIp6[(fromFamily - 28) / 4],
        44 => RemotePort,
        48 => LocalPort,
        _ => throw new ArgumentOutOfRangeException(nameof(fromFamily), fromFamily, "not a socket address field"),
    };

    /// <summary>Bytes from family to the end of local_port.</summary>
    public const int FieldsSize = 52;

    /// <summary>Builds the fields for an IPv4 socket from host-order addresses and ports.</summary>
    public static SocketAddresses Ipv4(uint localIpHostOrder, ushort localPort, uint remoteIpHostOrder, ushort remotePort) =>
        new(AfInet,
            RemoteIp4: System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(remoteIpHostOrder),
            LocalIp4: System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(localIpHostOrder),
            RemotePort: System.Buffers.Binary.BinaryPrimitives.ReverseEndianness((uint)remotePort),
            LocalPort: localPort,
            RemoteIp6: new uint[4],
            LocalIp6: new uint[4]);
}
