using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;

namespace SockActors.Kernel.Bpf;

/// <summary>
/// Compiles the repository's scenario program (embedded in this assembly from bpf/sk_msg_scenario.bpf.c) with clang's
/// BPF target into a cache directory keyed by the source's hash. The object is never committed: it is built on first use.
/// </summary>
public static class ScenarioObjectCompiler
{
    private const string ResourceName = "sk_msg_scenario.bpf.c";
    private static readonly object Gate = new();

    /// <summary>clang to use: $SOCKACTORS_CLANG, else llvm-14's clang, else clang on PATH; null if none exists.</summary>
    public static string? FindClang()
    {
        var env = Environment.GetEnvironmentVariable("SOCKACTORS_CLANG");
        if (!string.IsNullOrEmpty(env)) return File.Exists(env) ? env : null;
        if (File.Exists("/usr/lib/llvm-14/bin/clang")) return "/usr/lib/llvm-14/bin/clang";
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, "clang");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>The receive half's programs (bpf/sk_skb_scenario.bpf.c), embedded like the scenario program.</summary>
    public const string ReceiveHalfResourceName = "sk_skb_scenario.bpf.c";

    /// <summary>Returns the path of the compiled object, compiling it if the cache does not hold it yet.</summary>
    public static string EnsureCompiled(string? cacheDirectory = null) => EnsureCompiled(ResourceName, cacheDirectory);

    /// <summary>The compiled receive-half object (bpf/sk_skb_scenario.bpf.c), compiled on first use.</summary>
    public static string EnsureReceiveHalfCompiled(string? cacheDirectory = null) => EnsureCompiled(ReceiveHalfResourceName, cacheDirectory);

    private static string EnsureCompiled(string resourceName, string? cacheDirectory)
    {
        byte[] source = ReadEmbeddedSource(resourceName);
        string hash = Convert.ToHexStringLower(SHA256.HashData(source))[..16];
        string dir = cacheDirectory ?? Path.Combine(Path.GetTempPath(), "sockactors-bpf", hash);
        string obj = Path.Combine(dir, Path.ChangeExtension(resourceName, ".o"));
        lock (Gate)
        {
            if (File.Exists(obj)) return obj;
            Directory.CreateDirectory(dir);
            string src = Path.Combine(dir, resourceName);
            File.WriteAllBytes(src, source);
            string clang = FindClang() ?? throw new KernelDriverException(
                "clang not found: install clang-14 (apt-get install clang-14) or set SOCKACTORS_CLANG to a clang with the BPF target");
            // Compile to a process-unique name and rename, so concurrent processes never see a half-written object.
            string tmp = obj + "." + Environment.ProcessId + ".tmp";
            var psi = new ProcessStartInfo(clang) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in new[] { "-O2", "-g", "-target", "bpf", "-c", src, "-o", tmp }) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi) ?? throw new KernelDriverException($"could not start {clang}");
            string err = p.StandardError.ReadToEnd();
            p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0)
                throw new KernelDriverException($"clang failed to compile {resourceName} (exit {p.ExitCode}): {err.Trim()}");
            File.Move(tmp, obj, overwrite: true);
            return obj;
        }
    }

    private static byte[] ReadEmbeddedSource(string resourceName)
    {
        using var s = Assembly.GetExecutingAssembly().GetManifestResourceStream(resourceName)
            ?? throw new KernelDriverException($"embedded resource {resourceName} is missing from {typeof(ScenarioObjectCompiler).Assembly.GetName().Name}");
        using var m = new MemoryStream();
        s.CopyTo(m);
        return m.ToArray();
    }
}
