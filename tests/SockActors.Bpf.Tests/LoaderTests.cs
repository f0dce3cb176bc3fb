using System.Buffers.Binary;
using System.Text;
using SockActors.Model.Bpf;

namespace SockActors.Bpf.Tests;

/// <summary>Malformed or unsupported objects are refused with a BpfLoadException that names the problem.</summary>
public class LoaderTests
{
    private const string Minimal = Clang.Prelude + """
        struct { __uint(type, 2); __uint(max_entries, 1); __type(key, __u32); __type(value, __u64); } counters SEC(".maps");
        SEC("sk_msg") int prog(struct sk_msg_md *msg) {
            __u32 k = 0; __u64 *v = bpf_map_lookup_elem(&counters, &k);
            if (v) (*v)++;
            return 1;
        }
        char _license[] SEC("license") = "GPL";
        """;

    [Fact]
    public void NotAnElf() => Assert.Contains("not an ELF", Assert.Throws<BpfLoadException>(() => BpfObject.Load(new byte[100], "x.o")).Message);

    [Fact]
    public void TruncatedHeader() => Assert.Contains("truncated", Assert.Throws<BpfLoadException>(() => BpfObject.Load([0x7f, (byte)'E', (byte)'L', (byte)'F', 2, 1], "x.o")).Message);

    [ClangFact]
    public void TruncatedFile()
    {
        var obj = Clang.Compile(Minimal);
        var e = Assert.Throws<BpfLoadException>(() => BpfObject.Load(obj[..(obj.Length / 2)], "half.o"));
        Assert.Contains("truncated", e.Message);
        Assert.Contains("half.o", e.Message);
    }

    [ClangFact]
    public void WrongMachine()
    {
        var obj = Clang.Compile(Minimal);
        BinaryPrimitives.WriteUInt16LittleEndian(obj.AsSpan(18), 62); // EM_X86_64
        Assert.Contains("EM_BPF", Assert.Throws<BpfLoadException>(() => BpfObject.Load(obj, "x.o")).Message);
    }

    [ClangFact]
    public void UnknownRelocationType()
    {
        var obj = Clang.Compile(Minimal);
        var (off, size) = FindSection(obj, ".relsk_msg");
        Assert.True(size >= 16);
        BinaryPrimitives.WriteUInt32LittleEndian(obj.AsSpan(off + 8), 77); // r_info type of the first relocation
        var e = Assert.Throws<BpfLoadException>(() => BpfObject.Load(obj, "x.o"));
        Assert.Contains("unknown relocation type 77", e.Message);
        Assert.Contains("counters", e.Message);
    }

    [ClangFact]
    public void UnknownHelper()
    {
        var obj = Clang.Compile(Clang.Prelude + """
            static long (*bpf_xdp_adjust_head)(void *ctx, int delta) = (void *)44;
            SEC("sk_msg") int prog(struct sk_msg_md *msg) { return bpf_xdp_adjust_head(msg, 4); }
            """);
        var e = Assert.Throws<BpfLoadException>(() => BpfObject.Load(obj, "x.o"));
        Assert.Contains("helper function 44", e.Message);
        Assert.Contains("'prog'", e.Message);
    }

    [ClangFact]
    public void UnknownHelperInANonSkMsgProgramDoesNotStopLoading()
    {
        var obj = Clang.Compile(Clang.Prelude + """
            static long (*bpf_xdp_adjust_head)(void *ctx, int delta) = (void *)44;
            SEC("xdp") int x(void *ctx) { return bpf_xdp_adjust_head(ctx, 4); }
            SEC("sk_msg") int m(struct sk_msg_md *msg) { return 1; }
            """);
        var o = BpfObject.Load(obj, "x.o");
        Assert.Equal(2, o.Programs.Count);
        Assert.Equal("xdp", o.GetProgram("x").Kind);
        Assert.IsNotType<SkMsgBpfProgram>(o.GetProgram("x"));
        Assert.Equal("m", o.SingleSkMsgProgram().Name);
    }

    [ClangFact]
    public void UnsupportedMapType()
    {
        var obj = Clang.Compile(Clang.Prelude + """
            struct { __uint(type, 27); __uint(max_entries, 4096); } rb SEC(".maps");
            SEC("sk_msg") int prog(struct sk_msg_md *msg) { return 1; }
            """);
        var e = Assert.Throws<BpfLoadException>(() => BpfObject.Load(obj, "x.o"));
        Assert.Contains("'rb'", e.Message);
        Assert.Contains("RINGBUF", e.Message);
    }

    [ClangFact]
    public void A_sockhash_declared_in_maps_becomes_the_simulations_sockhash_and_redirect_hash_uses_it()
    {
        var obj = Clang.Compile(Clang.Prelude + """
            struct { __uint(type, 18); __uint(max_entries, 4); __type(key, __u32); __type(value, __u32); } sh SEC(".maps");
            SEC("sk_msg") int prog(struct sk_msg_md *msg) { __u32 key = 7; return bpf_msg_redirect_hash(msg, &sh, &key, 0); }
            """);
        var o = BpfObject.Load(obj, "x.o");
        var sh = Assert.IsType<SockActors.Model.Maps.SockHash>(o.GetMap("sh"));
        Assert.Equal(4u, sh.KeySize);

        var kernel = new SockActors.Model.Net.SimKernel();
        var (c1, _) = kernel.ConnectPair("c1", "p1");
        var (c2, p2) = kernel.ConnectPair("c2", "p2");
        Assert.Equal(0, sh.Attach(SockActors.Model.Maps.SockAttachType.SkMsgVerdict, o.SingleSkMsgProgram()));
        Assert.Equal(0, sh.Update(BitConverter.GetBytes(1u), c1));
        Assert.Equal(-SockActors.Model.Errno.EACCES, c1.SendMsgAsync(new byte[10]).GetAwaiter().GetResult()); // key 7 empty: SK_DROP
        // A fresh socket (DROP sticks on c1's psock), then the target at key 7: egress out of p2, read at c2.
        var (c3, _) = kernel.ConnectPair("c3", "p3");
        Assert.Equal(0, sh.Update(BitConverter.GetBytes(2u), c3));
        Assert.Equal(0, sh.Update(BitConverter.GetBytes(7u), p2));
        Assert.Equal(10, c3.SendMsgAsync(new byte[10]).GetAwaiter().GetResult());
        Assert.Equal(10, c2.Recv(new byte[64]));
    }

    [ClangFact]
    public void ExternIsRefused()
    {
        var obj = Clang.Compile(Clang.Prelude + """
            extern int CONFIG_HZ __attribute__((section(".kconfig"), weak));
            SEC("sk_msg") int prog(struct sk_msg_md *msg) { return CONFIG_HZ; }
            """);
        Assert.Contains("extern", Assert.Throws<BpfLoadException>(() => BpfObject.Load(obj, "x.o")).Message);
    }

    /// <summary>(file offset, size) of a section, by name.</summary>
    internal static (int Offset, int Size) FindSection(byte[] elf, string name)
    {
        int shoff = (int)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(0x28));
        int shnum = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x3C));
        int shstrndx = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x3E));
        int strOff = (int)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(shoff + shstrndx * 64 + 24));
        for (int i = 0; i < shnum; i++)
        {
            var h = elf.AsSpan(shoff + i * 64);
            int n = (int)BinaryPrimitives.ReadUInt32LittleEndian(h);
            int end = Array.IndexOf(elf, (byte)0, strOff + n);
            if (Encoding.ASCII.GetString(elf, strOff + n, end - strOff - n) == name)
                return ((int)BinaryPrimitives.ReadUInt64LittleEndian(h[24..]), (int)BinaryPrimitives.ReadUInt64LittleEndian(h[32..]));
        }
        throw new InvalidOperationException($"no section {name}");
    }
}
