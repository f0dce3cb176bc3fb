using System.Buffers.Binary;
using SockActors.Model.Maps;
using SockActors.Model.Net;
using SockActors.Model.Programs;
using SockActors.Model.Tests.Support;

namespace SockActors.Model.Tests.Context;

/// <summary>The address fields of struct sk_msg_md as filter.c sk_msg_convert_ctx_access presents them.</summary>
public class SkMsgMdFieldTests
{
    [Fact]
    public async Task Family_addresses_and_ports_are_those_of_the_sending_socket_in_the_kernels_byte_orders()
    {
        var kernel = new SimKernel();
        var listener = kernel.Listen("s1", 10000);
        var (c1, p1) = kernel.Connect(listener, "c1", "p1");
        SocketAddresses? seen = null;
        var map = new SockMap("m", 4);
        map.Attach(SockAttachType.SkMsgVerdict, new DelegateProgram(ctx => { seen = ctx.Addresses; return SkAction.Pass; }));
        Assert.Equal(0, map.Update(0, c1));

        Assert.Equal(10, await c1.SendMsgAsync(new byte[10]));

        Assert.NotNull(seen);
        Assert.Equal(SocketAddresses.AfInet, seen!.Family);                                  // AF_INET
        Assert.Equal(BinaryPrimitives.ReverseEndianness(0x7f000001u), seen.LocalIp4);       // 127.0.0.1, network order
        Assert.Equal(BinaryPrimitives.ReverseEndianness(0x7f000001u), seen.RemoteIp4);
        Assert.Equal((uint)c1.LocalPort, seen.LocalPort);                                    // host order
        Assert.Equal(BinaryPrimitives.ReverseEndianness(10000u), seen.RemotePort);          // htonl(port): dport << 16 on LE
        Assert.Equal(10000u, BinaryPrimitives.ReverseEndianness(seen.RemotePort));          // bpf_ntohl gives the port
        Assert.All(seen.LocalIp6.Concat(seen.RemoteIp6), w => Assert.Equal(0u, w));         // no IPv6 on an IPv4 socket
    }

    [Fact]
    public async Task Size_is_the_current_chunk_and_follows_push_and_pop()
    {
        var kernel = new SimKernel();
        var (c1, _) = kernel.ConnectPair("c1", "p1");
        var sizes = new List<uint>();
        var map = new SockMap("m", 4);
        map.Attach(SockAttachType.SkMsgVerdict, new DelegateProgram(ctx =>
        {
            sizes.Add(ctx.Size);
            ctx.MsgPushData(0, 10, 0);
            sizes.Add(ctx.Size);
            ctx.MsgPopData(0, 4, 0);
            sizes.Add(ctx.Size);
            return SkAction.Pass;
        }));
        Assert.Equal(0, map.Update(0, c1));

        Assert.Equal(100, await c1.SendMsgAsync(new byte[100]));

        Assert.Equal(new uint[] { 100, 110, 106 }, sizes);
    }
}
