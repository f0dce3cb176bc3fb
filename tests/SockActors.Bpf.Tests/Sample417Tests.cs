using SockActors.Model.Bpf;
using SockActors.Model.Maps;
using SockActors.Model.Net;
using SockActors.Model.SockOps;

namespace SockActors.Bpf.Tests;

/// <summary>The original series' sample (Linux 4.17 samples/sockmap/sockmap_kern.c, bpf/sockmap_kern_417.bpf.c):
/// its objects load unchanged and its sockops, parser, verdict and SK_MSG programs run together on the VM.</summary>
public class Sample417Tests
{

    [ClangFact]
    public void Every_program_of_the_sample_loads_with_its_type()
    {
        var obj = BpfObject.Load(Clang.Sample417Object);
        Assert.IsType<SkSkbBpfProgram>(obj.GetProgram("bpf_prog1"));
        Assert.IsType<SkSkbBpfProgram>(obj.GetProgram("bpf_prog2"));
        Assert.IsType<SockOpsBpfProgram>(obj.GetProgram("bpf_sockmap"));
        foreach (var n in new[] { "bpf_prog4", "bpf_prog5", "bpf_prog6", "bpf_prog7", "bpf_prog8", "bpf_prog9", "bpf_prog10" })
            Assert.IsType<SkMsgBpfProgram>(obj.GetProgram(n));
        Assert.IsType<SockMap>(obj.GetMap("sock_map"));
    }

    [ClangFact]
    public void The_sockops_program_maps_p1_and_c2_and_the_skb_verdict_forwards_c1_to_p2_and_back()
    {
        var obj = BpfObject.Load(Clang.Sample417Object);
        var map = (SockMap)obj.GetMap("sock_map");
        var parser = (SkSkbBpfProgram)obj.GetProgram("bpf_prog1");
        var verdict = (SkSkbBpfProgram)obj.GetProgram("bpf_prog2");
        var ops = (SockOpsBpfProgram)obj.GetProgram("bpf_sockmap");
        var msg = (SkMsgBpfProgram)obj.GetProgram("bpf_prog4");
        var txmsg = (SockMap)obj.GetMap("sock_map_txmsg");
        ((ArrayMap)obj.GetMap("sock_apply_bytes")).UpdateValue(BitConverter.GetBytes(0), BitConverter.GetBytes(64), 0);

        var k = new SimKernel();
        var trace = new List<string>();
        k.Trace += trace.Add;
        var cg = new Cgroup("/sockmap");
        // sockmap_user.c: parser and verdict on sock_map, sockops on the cgroup, then the sockets.
        Assert.Equal(0, map.Attach(SockAttachType.SkSkbStreamParser, parser));
        Assert.Equal(0, map.Attach(SockAttachType.SkSkbStreamVerdict, verdict));
        Assert.Equal(0, cg.AttachSockOps(ops));
        k.CurrentCgroup = cg;
        var s1 = k.Listen("s1", 10000);
        var s2 = k.Listen("s2", 10001);
        var (c1, p1) = k.Connect(s1, "c1", "p1");
        var (c2, p2) = k.Connect(s2, "c2", "p2");
        Assert.Same(p1, map.LookupSock(1));
        Assert.Same(c2, map.LookupSock(10));
        Assert.Contains(trace, l => l.StartsWith("passive(10000 -> ") && l.Contains("err: 0"));
        Assert.Contains(trace, l => l.StartsWith("active(") && l.Contains("-> 10001) map ctx update err: 0"));
        // --txmsg: the SK_MSG program on c1 (sock_map_txmsg key 0).
        Assert.Equal(0, txmsg.Attach(SockAttachType.SkMsgVerdict, msg));
        Assert.Equal(0, txmsg.Update(0, c1));

        var data = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();
        Assert.Equal(1000, SockIo.Send(c1, data));
        Assert.Equal(data, SockIo.ReadAll(p2));
        Assert.True(msg.Runs > 0);
        Assert.Contains(trace, l => l == $"sockmap: 10000 -> {c1.LocalPort} @ 10\n" || l == $"sockmap: 10000 -> {c1.LocalPort} @ 10");

        var back = Enumerable.Range(0, 300).Select(i => (byte)(i * 3)).ToArray();
        Assert.Equal(300, SockIo.Send(p2, back));
        Assert.Equal(back, SockIo.ReadAll(c1));
        Assert.Null(parser.LastFault);
        Assert.Null(verdict.LastFault);
        Assert.Null(ops.LastFault);
    }
}
