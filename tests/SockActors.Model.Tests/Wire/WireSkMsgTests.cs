using SockActors.Model.Maps;
using SockActors.Model.Net;
using SockActors.Model.Programs;
using SockActors.Model.Tests.Support;

namespace SockActors.Model.Tests.Wire;

/// <summary>
/// The SK_MSG path on the sending host is the model's, unchanged: the same programs (pass, redirect to a local socket
/// that is connected to another host, apply, cork) and the same sends give the same bytes at the far end of a
/// connection between hosts as at the far end of a loopback connection.
/// </summary>
public class WireSkMsgTests
{
    public static TheoryData<string> Programs => new() { "pass", "redirect", "redirect-ingress", "apply-pass", "apply-redirect", "cork", "cork-redirect" };

    private static Func<ISkMsgContext, int> Program(string name, Func<SockMap> map) => name switch
    {
        "pass" => _ => SkAction.Pass,
        "redirect" => ctx => (int)ctx.MsgRedirectMap(map(), 1, 0),
        "redirect-ingress" => ctx => (int)ctx.MsgRedirectMap(map(), 1, BpfRedirectFlags.Ingress),
        "apply-pass" => ctx =>
        {
            ctx.MsgApplyBytes(1000);
            return SkAction.Pass;
        },
        "apply-redirect" => ctx =>
        {
            ctx.MsgApplyBytes(3000);
            return (int)ctx.MsgRedirectMap(map(), 1, 0);
        },
        "cork" => ctx =>
        {
            ctx.MsgCorkBytes(4096);
            return SkAction.Pass;
        },
        "cork-redirect" => ctx =>
        {
            ctx.MsgCorkBytes(10_000);
            return (int)ctx.MsgRedirectMap(map(), 1, 0);
        },
        _ => throw new ArgumentException(name),
    };

    private static readonly int[] Sends = [1, 100, 5000, 70_000, 300, 4096, 200_000, 17, 65_483, 9];

    /// <summary>Sender S (key 0, with the program) and target T (key 1) on host-1; what their far ends read.</summary>
    private static async Task<(byte[] AtSPeer, byte[] AtTPeer, byte[] AtT)> Run(string program, bool remote)
    {
        SockMap? map = null;
        var net = new SimNetwork(remote ? new TcpLink(LatencyNs: 10_000, BytesPerSecond: 1_000_000_000) : null);
        var a = net.AddHost("host-1");
        var b = net.AddHost("host-2");
        Sock s, sPeer, t, tPeer;
        if (remote)
        {
            (s, sPeer) = net.Connect(a, b.Listen("l1"), "s", "s-peer");
            (t, tPeer) = net.Connect(a, b.Listen("l2"), "t", "t-peer");
        }
        else
        {
            (s, sPeer) = a.Connect(a.Listen("l1"), "s", "s-peer");
            (t, tPeer) = a.Connect(a.Listen("l2"), "t", "t-peer");
        }
        map = new SockMap("sock_map", 4);
        var prog = new DelegateProgram(Program(program, () => map));
        Assert.Equal(0, map.Attach(SockAttachType.SkMsgVerdict, prog));
        Assert.Equal(0, map.Update(0, s));
        Assert.Equal(0, map.Update(1, t));
        long offset = 0;
        foreach (int len in Sends)
        {
            int rc = await s.SendMsgAsync(WireRig.Pattern(offset, len));
            Assert.True(rc > 0, $"send {len}: {rc}");
            offset += rc;
            net.RunUntilIdle();
        }
        net.RunUntil(net.NowNs + Sock.TcpRtoMinNs); // MSG_MORE-style tails the probe timer releases
        net.RunUntilIdle();
        // Read everything, letting the window updates of each read bring the rest.
        var got = new[] { new List<byte>(), new List<byte>(), new List<byte>() };
        var readers = new[] { sPeer, tPeer, t };
        while (true)
        {
            bool any = false;
            for (int i = 0; i < 3; i++)
            {
                var bytes = WireRig.ReadAvailable(readers[i]);
                got[i].AddRange(bytes);
                any |= bytes.Length > 0;
            }
            net.RunUntilIdle();
            if (!any && net.EventsInFlight == 0) break;
        }
        return (got[0].ToArray(), got[1].ToArray(), got[2].ToArray());
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public async Task A_program_on_the_sending_host_gives_the_same_bytes_over_the_wire_as_over_loopback(string program)
    {
        var loopback = await Run(program, remote: false);
        var wire = await Run(program, remote: true);
        Assert.True(loopback.AtSPeer.Length + loopback.AtTPeer.Length + loopback.AtT.Length > 0, "the program delivered nothing");
        Assert.Equal(loopback.AtSPeer, wire.AtSPeer);
        Assert.Equal(loopback.AtTPeer, wire.AtTPeer);
        Assert.Equal(loopback.AtT, wire.AtT);
    }
}
