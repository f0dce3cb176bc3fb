using SockActors.Model.Maps;
using SockActors.Model.Net;
using SockActors.Model.Programs;
using SockActors.Model.SockOps;

namespace SockActors.Model.Tests.SkSkb;

/// <summary>BPF_CGROUP_SOCK_OPS programs: which callbacks the model's connections make, the bpf_sock_ops fields and
/// bpf_sock_map_update / bpf_sock_hash_update.</summary>
public class SockOpsTests
{
    private sealed class OpsProgram(Func<ISockOpsContext, int> run) : ISockOpsProgram
    {
        public string Name => "ops";
        public List<(uint Op, uint Lport, uint Rport, uint State)> Calls { get; } = new();
        public int Run(ISockOpsContext ctx)
        {
            Calls.Add((ctx.Op, ctx.Addresses.LocalPort, ctx.Addresses.RemotePort, ctx.State));
            return run(ctx);
        }
    }

    private static uint Ntohl(uint v) => System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(v);

    [Fact]
    public void The_sample_sockops_program_puts_both_ends_in_the_map_as_they_establish()
    {
        var k = new SimKernel();
        var map = new SockMap("sock_map", 20);
        var updates = new List<long>();
        // samples/sockmap/sockmap_kern.c (4.17) bpf_sockmap: passive on port 10000 -> key 1, active to 10001 -> key 10.
        var prog = new OpsProgram(ctx =>
        {
            if (ctx.Op == SockOpsOp.PassiveEstablishedCb && ctx.Addresses.LocalPort == 10000)
                updates.Add(ctx.SockMapUpdate(map, 1, BpfUpdateFlags.NoExist));
            if (ctx.Op == SockOpsOp.ActiveEstablishedCb && Ntohl(ctx.Addresses.RemotePort) == 10001)
                updates.Add(ctx.SockMapUpdate(map, 10, BpfUpdateFlags.NoExist));
            return 0;
        });
        var cg = new Cgroup("/sockmap");
        Assert.Equal(0, cg.AttachSockOps(prog));
        k.CurrentCgroup = cg;
        var s1 = k.Listen("s1", 10000);
        var s2 = k.Listen("s2", 10001);
        var (c1, p1) = k.Connect(s1, "c1", "p1");
        var (c2, p2) = k.Connect(s2, "c2", "p2");
        Assert.Equal(new long[] { 0, 0 }, updates);
        Assert.Same(p1, map.LookupSock(1));
        Assert.Same(c2, map.LookupSock(10));
        Assert.Equal(new[] { SockOpsOp.TcpListenCb, SockOpsOp.TcpListenCb, SockOpsOp.TcpConnectCb, SockOpsOp.ActiveEstablishedCb,
            SockOpsOp.PassiveEstablishedCb, SockOpsOp.TcpConnectCb, SockOpsOp.ActiveEstablishedCb, SockOpsOp.PassiveEstablishedCb },
            prog.Calls.Select(c => c.Op));
        var passive = prog.Calls[4];
        Assert.Equal(10000u, passive.Lport);
        Assert.Equal((uint)c1.LocalPort, Ntohl(passive.Rport));
        Assert.Equal(SockOpsOp.TcpEstablished, passive.State);
    }

    [Fact]
    public void Map_updates_from_other_callbacks_are_EOPNOTSUPP()
    {
        var k = new SimKernel();
        var map = new SockMap("m", 4);
        long rc = 1;
        var cg = new Cgroup("/x");
        cg.AttachSockOps(new OpsProgram(ctx =>
        {
            if (ctx.Op == SockOpsOp.TcpConnectCb) rc = ctx.SockMapUpdate(map, 0, 0);
            return 0;
        }));
        k.CurrentCgroup = cg;
        k.ConnectPair();
        Assert.Equal(-Errno.EOPNOTSUPP, rc);
        Assert.Null(map.LookupSock(0));
    }

    [Fact]
    public void Sock_hash_update_inserts_under_the_program_key()
    {
        var k = new SimKernel();
        var hash = new SockHash("h", 8, 4);
        var cg = new Cgroup("/x");
        cg.AttachSockOps(new OpsProgram(ctx =>
        {
            if (ctx.Op == SockOpsOp.ActiveEstablishedCb)
                Assert.Equal(0, ctx.SockHashUpdate(hash, BitConverter.GetBytes(ctx.Addresses.LocalPort), BpfUpdateFlags.Any));
            return 0;
        }));
        k.CurrentCgroup = cg;
        var (c, _) = k.ConnectPair();
        Assert.Same(c, hash.LookupSock(BitConverter.GetBytes((uint)c.LocalPort)));
    }

    [Fact]
    public void Sockets_outside_the_cgroup_run_no_program()
    {
        var k = new SimKernel();
        var prog = new OpsProgram(_ => 0);
        new Cgroup("/x").AttachSockOps(prog);
        k.ConnectPair();
        Assert.Empty(prog.Calls);
    }

    [Fact]
    public void State_callbacks_come_only_after_the_program_sets_the_flag()
    {
        var k = new SimKernel();
        var prog = new OpsProgram(ctx =>
        {
            if (ctx.Op == SockOpsOp.ActiveEstablishedCb) Assert.Equal(0, ctx.SetCbFlags(SockOpsOp.StateCbFlag));
            return 0;
        });
        var cg = new Cgroup("/x");
        cg.AttachSockOps(prog);
        k.CurrentCgroup = cg;
        var (c, p) = k.ConnectPair();
        Assert.DoesNotContain(prog.Calls, x => x.Op == SockOpsOp.StateCb);
        p.Close();
        c.Close();
        var states = prog.Calls.Where(x => x.Op == SockOpsOp.StateCb).Select(x => x.State).ToList();
        Assert.Equal(2, states.Count); // c: ESTABLISHED -> CLOSE_WAIT, then CLOSE_WAIT -> CLOSE
        Assert.Equal(0x80u, new SockOpsContext(c, 0, new uint[4]).SetCbFlags(0x80));
    }
}
