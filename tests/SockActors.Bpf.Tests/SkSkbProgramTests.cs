using SockActors.Model.Bpf;
using SockActors.Model.Maps;
using SockActors.Model.Net;
using SockActors.Model.Programs;
using SockActors.Model.SkSkb;
using SockActors.Model.SockOps;

namespace SockActors.Bpf.Tests;

/// <summary>SK_SKB and SOCK_OPS programs compiled by clang, loaded and run on the VM inside the model.</summary>
public class SkSkbProgramTests
{
    private const string Prelude = Clang.Prelude + """
        struct __sk_buff {
            __u32 len, pkt_type, mark, queue_mapping, protocol, vlan_present, vlan_tci, vlan_proto, priority;
            __u32 ingress_ifindex, ifindex, tc_index, cb[5], hash, tc_classid, data, data_end, napi_id;
            __u32 family, remote_ip4, local_ip4, remote_ip6[4], local_ip6[4], remote_port, local_port;
            __u32 data_meta; union { void *flow_keys; __u64 :64; }; __u64 tstamp; __u32 wire_len, gso_segs;
            union { void *sk; __u64 :64; }; __u32 gso_size; __u8 tstamp_type; __u32 :24; __u64 hwtstamp;
        };
        struct bpf_sock_ops {
            __u32 op; union { __u32 args[4]; __u32 reply; __u32 replylong[4]; };
            __u32 family, remote_ip4, local_ip4, remote_ip6[4], local_ip6[4], remote_port, local_port;
            __u32 is_fullsock, snd_cwnd, srtt_us, bpf_sock_ops_cb_flags, state;
        };
        enum { BPF_MAP_TYPE_SOCKMAP = 15, BPF_MAP_TYPE_SOCKHASH = 18 };
        static long (*bpf_skb_load_bytes)(void *skb, __u32 off, void *to, __u32 len) = (void *)26;
        static long (*bpf_skb_change_tail)(void *skb, __u32 len, __u64 flags) = (void *)38;
        static long (*bpf_skb_pull_data)(void *skb, __u32 len) = (void *)39;
        static long (*bpf_skb_adjust_room)(void *skb, __s32 diff, __u32 mode, __u64 flags) = (void *)50;
        static long (*bpf_sk_redirect_map)(void *skb, void *map, __u32 key, __u64 flags) = (void *)52;
        static long (*bpf_sock_map_update)(void *ops, void *map, void *key, __u64 flags) = (void *)53;
        static long (*bpf_sock_hash_update)(void *ops, void *map, void *key, __u64 flags) = (void *)70;
        struct { __uint(type, BPF_MAP_TYPE_SOCKMAP); __uint(max_entries, 4); __type(key, __u32); __type(value, __u32); } sock_map SEC(".maps");
        """;

    private static BpfObject Compile(string body) => BpfObject.Load(Clang.Compile(Prelude + body), "skb.o");

    [ClangFact]
    public void A_length_prefix_parser_and_a_redirecting_verdict_run_from_C()
    {
        var obj = Compile("""
            SEC("sk_skb/stream_parser") int parser(struct __sk_buff *skb) {
                __u8 hdr[2];
                if (skb->len < 2) return 0;
                if (bpf_skb_load_bytes(skb, 0, hdr, 2)) return -1;
                return 2 + (hdr[0] << 8 | hdr[1]);
            }
            SEC("sk_skb/stream_verdict") int verdict(struct __sk_buff *skb) {
                return bpf_sk_redirect_map(skb, &sock_map, 1, 1 /* BPF_F_INGRESS */);
            }
            """);
        var parser = (SkSkbBpfProgram)obj.GetProgram("parser");
        var verdict = (SkSkbBpfProgram)obj.GetProgram("verdict");
        Assert.Equal(SockAttachType.SkSkbStreamParser, parser.ExpectedAttachType);
        var map = (SockMap)obj.GetMap("sock_map");
        var k = new SimKernel();
        var (c1, p1) = k.ConnectPair("c1", "p1");
        var (_, p2) = k.ConnectPair("c2", "p2");
        Assert.Equal(0, map.Attach(SockAttachType.SkSkbStreamParser, parser));
        Assert.Equal(0, map.Attach(SockAttachType.SkSkbStreamVerdict, verdict));
        Assert.Equal(0, map.Update(0, p1));
        Assert.Equal(0, map.Detach(SockAttachType.SkSkbStreamParser, parser));
        Assert.Equal(0, map.Detach(SockAttachType.SkSkbStreamVerdict, verdict));
        Assert.Equal(0, map.Update(1, p2));
        // One framed message of 2 + 5 bytes, sent in three pieces.
        byte[] msg = [0, 5, 10, 11, 12, 13, 14];
        SockIo.Send(c1, msg[..1]);
        SockIo.Send(c1, msg[1..4]);
        Assert.Equal(0, p2.IngressBytes);
        SockIo.Send(c1, msg[4..]);
        Assert.Null(parser.LastFault);
        Assert.Null(verdict.LastFault);
        Assert.Equal(msg, SockIo.ReadAll(p2));
    }

    [ClangFact]
    public void Direct_packet_access_after_pull_data_writes_the_skb()
    {
        var obj = Compile("""
            SEC("sk_skb/verdict") int verdict(struct __sk_buff *skb) {
                if (skb->data_end - skb->data != 0) return 0;   /* nothing linear before the pull */
                if (bpf_skb_pull_data(skb, 3)) return 0;
                __u8 *d = (void *)(long)skb->data;
                __u8 *end = (void *)(long)skb->data_end;
                if (d + 3 > end) return 0;
                d[1] = 'X';
                skb->tc_index = 7;
                return skb->tc_index == 7 ? 1 : 0;
            }
            """);
        var verdict = (SkSkbBpfProgram)obj.GetProgram("verdict");
        var k = new SimKernel();
        var (c1, p1) = k.ConnectPair();
        var map = (SockMap)obj.GetMap("sock_map");
        Assert.Equal(0, map.Attach(SockAttachType.SkSkbVerdict, verdict));
        Assert.Equal(0, map.Update(0, p1));
        SockIo.Send(c1, "abcd"u8.ToArray());
        Assert.Null(verdict.LastFault);
        Assert.Equal("aXcd"u8.ToArray(), SockIo.ReadAll(p1));
    }

    [ClangFact]
    public void Writing_a_read_only_sk_buff_field_or_reading_mark_faults_and_drops()
    {
        var obj = Compile("""
            SEC("sk_skb") int write_len(struct __sk_buff *skb) { skb->len = 1; return 1; }
            SEC("sk_skb") int read_mark(struct __sk_buff *skb) { return skb->mark == 0; }
            """);
        var k = new SimKernel();
        var (c, p) = k.ConnectPair();
        foreach (var name in new[] { "write_len", "read_mark" })
        {
            var prog = (SkSkbBpfProgram)obj.GetProgram(name);
            var ctx = new SkSkbProgramContext(p, new SkBuff(new byte[4]));
            Assert.Equal(0, prog.Run(ctx));
            Assert.NotNull(prog.LastFault);
        }
        Assert.Contains("tc_index and priority", ((SkSkbBpfProgram)obj.GetProgram("write_len")).LastFault!.Message);
    }

    [ClangFact]
    public void A_sockops_program_fills_a_sockmap_as_connections_establish()
    {
        var obj = Compile("""
            SEC("sockops") int ops(struct bpf_sock_ops *skops) {
                __u32 key;
                switch (skops->op) {
                case 4: /* BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB */
                    key = 0; return bpf_sock_map_update(skops, &sock_map, &key, 0);
                case 5: /* BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB */
                    key = skops->local_port == 10000 ? 1 : 2;
                    skops->reply = 3;
                    return bpf_sock_map_update(skops, &sock_map, &key, 0);
                }
                return 0;
            }
            """);
        var ops = (SockOpsBpfProgram)obj.GetProgram("ops");
        var map = (SockMap)obj.GetMap("sock_map");
        var k = new SimKernel();
        var cg = new Cgroup("/worker");
        Assert.Equal(0, cg.AttachSockOps(ops));
        k.CurrentCgroup = cg;
        var (c, p) = k.Connect(k.Listen("s", 10000));
        Assert.Null(ops.LastFault);
        Assert.Same(c, map.LookupSock(0));
        Assert.Same(p, map.LookupSock(1));
        Assert.Equal(4, ops.Runs); // listen, connect, active, passive
    }
}
