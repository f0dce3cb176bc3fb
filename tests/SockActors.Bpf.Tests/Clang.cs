using System.Diagnostics;

namespace SockActors.Bpf.Tests;

/// <summary>Finds clang with the BPF target and compiles C snippets for tests.</summary>
internal static class Clang
{
    public static readonly string? Path = Find();

    public const string Missing = "clang not found (looked for /usr/lib/llvm-14/bin/clang and clang on PATH): C-compiled BPF tests are skipped";

    private static string? Find()
    {
        if (File.Exists("/usr/lib/llvm-14/bin/clang")) return "/usr/lib/llvm-14/bin/clang";
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator))
        {
            var p = System.IO.Path.Combine(dir, "clang");
            if (File.Exists(p)) return p;
        }
        return null;
    }

    /// <summary>Compiles C source with -O2 -g -target bpf and returns the object's bytes.</summary>
    public static byte[] Compile(string source, string extraArgs = "")
    {
        var dir = Directory.CreateTempSubdirectory("bpf-test-");
        try
        {
            var src = System.IO.Path.Combine(dir.FullName, "p.bpf.c");
            File.WriteAllText(src, source);
            return File.ReadAllBytes(CompileFile(src, System.IO.Path.Combine(dir.FullName, "p.o"), extraArgs));
        }
        finally { dir.Delete(true); }
    }

    public static string CompileFile(string src, string obj, string extraArgs = "")
    {
        var psi = new ProcessStartInfo(Path ?? throw new InvalidOperationException(Missing), $"-O2 -g -target bpf {extraArgs} -c \"{src}\" -o \"{obj}\"")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"clang failed: {err}");
        return obj;
    }

    /// <summary>The repository's scenario program, compiled once per test run.</summary>
    public static string ScenarioObject => LazyScenario.Value;

    private static readonly Lazy<string> LazyScenario = new(() =>
    {
        var src = System.IO.Path.Combine(AppContext.BaseDirectory, "bpf", "sk_msg_scenario.bpf.c");
        var obj = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"sk_msg_scenario-{Environment.ProcessId}.o");
        return CompileFile(src, obj);
    });

    /// <summary>Linux 4.17's samples/sockmap/sockmap_kern.c as ported into bpf/, compiled once per test run.</summary>
    public static string Sample417Object => LazySample417.Value;

    private static readonly Lazy<string> LazySample417 = new(() =>
    {
        var src = System.IO.Path.Combine(AppContext.BaseDirectory, "bpf", "sockmap_kern_417.bpf.c");
        return CompileFile(src, System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"sockmap_kern_417-{Environment.ProcessId}.o"));
    });

    /// <summary>A common prelude for C snippets: types, SEC, map macros and helper declarations.</summary>
    public const string Prelude = """
        typedef unsigned int __u32; typedef int __s32; typedef unsigned long long __u64; typedef long long __s64;
        typedef unsigned char __u8; typedef unsigned short __u16;
        #define SEC(name) __attribute__((section(name), used))
        #define __uint(name, val) int (*name)[val]
        #define __type(name, val) typeof(val) *name
        struct sk_msg_md {
            union { void *data; __u64 :64; };
            union { void *data_end; __u64 :64; };
            __u32 family, remote_ip4, local_ip4, remote_ip6[4], local_ip6[4], remote_port, local_port, size;
            union { void *sk; __u64 :64; };
        };
        static void *(*bpf_map_lookup_elem)(void *map, const void *key) = (void *)1;
        static long (*bpf_map_update_elem)(void *map, const void *key, const void *value, __u64 flags) = (void *)2;
        static long (*bpf_map_delete_elem)(void *map, const void *key) = (void *)3;
        static __u64 (*bpf_ktime_get_ns)(void) = (void *)5;
        static long (*bpf_trace_printk)(const char *fmt, __u32 fmt_size, ...) = (void *)6;
        static long (*bpf_msg_redirect_map)(struct sk_msg_md *msg, void *map, __u32 key, __u64 flags) = (void *)60;
        static long (*bpf_msg_pull_data)(struct sk_msg_md *msg, __u32 start, __u32 end, __u64 flags) = (void *)63;
        static long (*bpf_msg_redirect_hash)(struct sk_msg_md *msg, void *map, void *key, __u64 flags) = (void *)71;
        """;
}

/// <summary>A fact that is skipped, with a message saying why, where clang is not installed.</summary>
public sealed class ClangFactAttribute : FactAttribute
{
    public ClangFactAttribute()
    {
        if (Clang.Path is null) Skip = Clang.Missing;
    }
}
