using SockActors.Model;
using SockActors.Model.Maps;
using SockActors.Model.Net;
using SockActors.Model.Programs;
using SockActors.Model.Scenarios;
using SockActors.Model.SockOps;

namespace SockActors.Host.TestSockmap;

/// <summary>
/// The receive half of the original sample run (Linux 4.17 sockmap_user.c without -t base): bpf_prog1 as
/// BPF_SK_SKB_STREAM_PARSER and bpf_prog2 as BPF_SK_SKB_STREAM_VERDICT on sock_map, bpf_sockmap on the cgroup as
/// BPF_CGROUP_SOCK_OPS, attached before sockmap_init_sockets, so the sockops program inserts p1 (passive on 10000) at
/// key 1 and c2 (active to 10001) at key 10. c1's data reaches p1, whose verdict redirects it out of c2 to p2: the
/// test reads p2. The programs are the C# twins of bpf/sockmap_kern_417.bpf.c (its trace lines left out).
/// </summary>
public static class SkbStage
{
    /// <summary>Creates sock_map with the parser and verdict attached and the cgroup with the sockops program, and
    /// puts the kernel's new sockets in that cgroup. Returns sock_map.</summary>
    public static SockMap Install(SimKernel kernel, uint parserLength = 0)
    {
        var map = new SockMap("sock_map", 20);
        Check(map.Attach(SockAttachType.SkSkbStreamParser, new Prog1(parserLength)), "attach bpf_prog1 as stream parser");
        Check(map.Attach(SockAttachType.SkSkbStreamVerdict, new Prog2(map)), "attach bpf_prog2 as stream verdict");
        var cgroup = new Cgroup("/sockmap");
        Check(cgroup.AttachSockOps(new SockOpsProgram(map)), "attach bpf_sockmap to the cgroup");
        kernel.CurrentCgroup = cgroup;
        return map;
    }

    /// <summary>sockmap_test.sh's runs again through both halves, named "sh-skb/..." (the "sh/..." group stays the
    /// SK_MSG-only run). The expectations are the receiver's, which does not change with the stage in between.</summary>
    public static void AddBothHalves(List<MatrixCase> cases)
    {
        foreach (var c in cases.Where(c => c.Name.StartsWith("sh/", StringComparison.Ordinal)).ToList())
            cases.Add(c with { Name = "sh-skb/" + c.Name[3..], Options = c.Options with { SkSkb = true } });
    }

    /// <summary>
    /// The SK_SKB subtests of test_sockmap.c (Linux 6.x), which run through both halves and read p2: "txmsg test
    /// ingress parser" (txmsg_pass, skb_use_parser 512, two 256-byte sends: one 512-byte message) and "txmsg test
    /// ingress parser2" (skb_use_parser 10, one 20-byte send framed as two messages, check_recved_len: the receiver
    /// fails on more bytes than were sent, so the count is exact). Each in the sendmsg and sendpage runs.
    /// </summary>
    public static void AddTestSockmapSubtests(List<MatrixCase> cases)
    {
        var pass = new TxMsgOptions { SkSkb = true };
        foreach (var mode in new[] { SendMode.SendMsg, SendMode.SendFile })
        {
            string m = mode == SendMode.SendMsg ? "sendmsg" : "sendpage";
            cases.Add(Matrix.Make($"ts-skb/ingress-parser/pass-parser512/{m}/r2-i1-l256", pass with { SkbParserLength = 512 }, mode, 2, 1, 256));
            cases.Add(Matrix.Make($"ts-skb/ingress-parser2/parser10/{m}/r1-i1-l20", pass with { SkbParserLength = 10 }, mode, 1, 1, 20)
                with { Rule = BytesRule.Exact, ExpectedBytes = 20, Note = "check_recved_len: no more than the 20 bytes sent" });
        }
    }

    private static void Check(long rc, string what)
    {
        if (rc != 0) throw new InvalidOperationException($"test setup failed to {what}: {Errno.Name((int)-rc)}");
    }

    /// <summary>bpf_prog1 (SEC("sk_skb1")): the whole skb is one message; test_sockmap's version returns
    /// sock_skb_opts[2] instead when it is set (skb_use_parser).</summary>
    private sealed class Prog1(uint fixedLength) : ISkSkbProgram
    {
        public string Name => "bpf_prog1";
        public int Run(ISkSkbContext ctx) => fixedLength != 0 ? (int)fixedLength : (int)ctx.Len;
    }

    /// <summary>bpf_prog2 (SEC("sk_skb2")): from local port 10000 to sock_map[10], else to sock_map[1], egress.</summary>
    private sealed class Prog2(SockMap map) : ISkSkbProgram
    {
        public string Name => "bpf_prog2";
        public int Run(ISkSkbContext ctx) => (int)ctx.SkRedirectMap(map, ctx.Addresses.LocalPort == 10000 ? 10u : 1u, 0);
    }

    /// <summary>bpf_sockmap (SEC("sockops")): passive on 10000 -> key 1, active to 10001 -> key 10, BPF_NOEXIST.</summary>
    private sealed class SockOpsProgram(SockMap map) : ISockOpsProgram
    {
        public string Name => "bpf_sockmap";
        public int Run(ISockOpsContext ctx)
        {
            if (ctx.Op == SockOpsOp.PassiveEstablishedCb && ctx.Addresses.LocalPort == 10000)
                ctx.SockMapUpdate(map, 1, BpfUpdateFlags.NoExist);
            else if (ctx.Op == SockOpsOp.ActiveEstablishedCb && System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(ctx.Addresses.RemotePort) == 10001)
                ctx.SockMapUpdate(map, 10, BpfUpdateFlags.NoExist);
            return 0;
        }
    }
}
