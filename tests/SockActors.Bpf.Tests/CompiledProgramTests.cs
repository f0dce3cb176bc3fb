using SockActors.Model.Bpf;
using SockActors.Model.Maps;

namespace SockActors.Bpf.Tests;

/// <summary>Real clang output: globals, subprograms, loops, hash maps, legacy maps, several programs per section.</summary>
public class CompiledProgramTests
{
    [ClangFact]
    public void GlobalsSubprogramsAndLoops()
    {
        var obj = BpfObject.Load(Clang.Compile(Clang.Prelude + """
            __u64 runs;                       /* .bss */
            __u32 bias = 3;                   /* .data */
            const volatile __u32 factor = 5;  /* .rodata */
            static __attribute__((noinline)) __u32 sum_bytes(__u8 *p, __u8 *end) {
                __u32 s = 0;
                for (int i = 0; i < 64 && p + i + 1 <= end; i++) s += p[i];
                return s;
            }
            static __attribute__((noinline)) __u32 scale(__u32 v) { return v * factor + bias; }
            SEC("sk_msg") int prog(struct sk_msg_md *msg) {
                runs++;
                __u32 s = sum_bytes(msg->data, msg->data_end);
                char fmt[] = "sum %u runs %llu";
                bpf_trace_printk(fmt, sizeof(fmt), s, runs);
                return scale(s) & 0xffff;
            }
            """), "g.o");
        var p = obj.SingleSkMsgProgram();
        var ctx = new FakeContext(10);
        uint sum = 0;
        for (int i = 0; i < 10; i++) sum += ctx.Buffer[i];
        Assert.Equal((int)((sum * 5 + 3) & 0xffff), p.Run(ctx));
        Assert.Null(p.LastFault);
        p.Run(ctx);
        Assert.Equal(["sum " + sum + " runs 1", "sum " + sum + " runs 2"], ctx.Trace);
        var bss = (ArrayMap)obj.GetMap(".bss");
        Assert.Equal(2UL, BitConverter.ToUInt64(bss.Storage));
        Assert.True(((ArrayMap)obj.GetMap(".rodata")).ReadOnlyForPrograms);
    }

    [ClangFact]
    public void HashMapAndLegacyMapsSection()
    {
        var obj = BpfObject.Load(Clang.Compile(Clang.Prelude + """
            struct bpf_map_def { __u32 type, key_size, value_size, max_entries, map_flags; };
            struct bpf_map_def SEC("maps") legacy = { .type = 2, .key_size = 4, .value_size = 8, .max_entries = 2 };
            struct { __uint(type, 1); __uint(max_entries, 8); __uint(key_size, 4); __uint(value_size, 8); } by_size SEC(".maps");
            SEC("sk_msg") int prog(struct sk_msg_md *msg) {
                __u32 key = msg->size;
                __u64 one = 1, *v = bpf_map_lookup_elem(&by_size, &key);
                if (v) __sync_fetch_and_add(v, 1);
                else bpf_map_update_elem(&by_size, &key, &one, 1);
                __u32 z = 0; __u64 *l = bpf_map_lookup_elem(&legacy, &z);
                if (l) *l += key;
                return 1;
            }
            """), "h.o");
        var p = obj.SingleSkMsgProgram();
        foreach (int size in new[] { 5, 5, 7, 5 }) Assert.Equal(1, p.Run(new FakeContext(size)));
        var hash = (HashMap)obj.GetMap("by_size");
        Assert.Equal(4u, hash.KeySize);
        Assert.True(hash.TryLookupValue(BitConverter.GetBytes(5u), out var v5));
        Assert.Equal(3UL, BitConverter.ToUInt64(v5));
        Assert.Equal(22UL, BitConverter.ToUInt64(((ArrayMap)obj.GetMap("legacy")).Value(0)));
    }

    [ClangFact]
    public void SeveralProgramsInOneSection()
    {
        var obj = BpfObject.Load(Clang.Compile(Clang.Prelude + """
            SEC("sk_msg") int pass_all(struct sk_msg_md *msg) { return 1; }
            SEC("sk_msg") int drop_small(struct sk_msg_md *msg) { return msg->size > 8; }
            SEC("sk_skb/stream_verdict") int skb(void *skb) { return 0; }
            """), "m.o");
        Assert.Equal(["pass_all", "drop_small", "skb"], obj.Programs.Select(p => p.Name));
        var drop = (SkMsgBpfProgram)obj.GetProgram("drop_small");
        Assert.Equal(0, drop.Run(new FakeContext(4)));
        Assert.Equal(1, drop.Run(new FakeContext(40)));
        Assert.Equal("sk_skb", obj.GetProgram("skb").Kind);
    }

    [ClangFact]
    public void AtomicsAndSignedOpsFromC()
    {
        var obj = BpfObject.Load(Clang.Compile(Clang.Prelude + """
            __s64 acc;
            SEC("sk_msg") int prog(struct sk_msg_md *msg) {
                __s64 x = -(__s64)msg->size;
                __sync_fetch_and_add(&acc, x);
                __s64 old = __sync_val_compare_and_swap(&acc, x, 100);
                return (int)old;
            }
            """, "-mcpu=v3"), "a.o");
        var p = obj.SingleSkMsgProgram();
        Assert.Equal(-9, p.Run(new FakeContext(9)));
        Assert.Null(p.LastFault);
    }

    [ClangFact]
    public void PacketBoundsCheckedProgramFaultsWithoutItsCheck()
    {
        var obj = BpfObject.Load(Clang.Compile(Clang.Prelude + """
            SEC("sk_msg") int prog(struct sk_msg_md *msg) { __u8 *d = msg->data; return d[100]; }
            """), "f.o");
        var p = obj.SingleSkMsgProgram();
        Assert.Equal(0, p.Run(new FakeContext(10)));
        Assert.Contains("sk_msg+", p.LastFault!.Location);
        Assert.Contains("packet", p.LastFault.Message);
    }
}
