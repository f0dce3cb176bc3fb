namespace SockActors.Model.Programs;

/// <summary>
/// The address fields of struct sk_msg_md, as the program reads them (filter.c sk_msg_convert_ctx_access):
/// family; IPv4 addresses in network byte order as loaded into a u32; remote_port = htonl(port) (the 16-bit
/// skc_dport shifted left 16 on little-endian); local_port in host order; IPv6 words zero for an IPv4 socket.
/// </summary>
public sealed record SocketAddresses(
    uint Family,
    uint RemoteIp4,
    uint LocalIp4,
    uint RemotePort,
    uint LocalPort,
    uint[] RemoteIp6,
    uint[] LocalIp6)
{
    public const uint AfInet = 2;
    public const uint AfInet6 = 10;

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
