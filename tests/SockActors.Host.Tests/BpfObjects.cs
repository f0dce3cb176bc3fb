using System.Diagnostics;
using SockActors.Kernel;
using SockActors.Kernel.Bpf;

namespace SockActors.Host.Tests;

/// <summary>BPF objects for --program tests, compiled from bpf/sk_msg_scenario.bpf.c (optionally edited) with clang.</summary>
internal static class BpfObjects
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, string> Cache = [];

    public static string Source => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "bpf", "sk_msg_scenario.bpf.c"));

    /// <summary>The scenario program as published.</summary>
    public static string Scenario() => Compile("scenario", Source);

    /// <summary>Reads the first 8 bytes of the window without checking data_end: the verifier would refuse it, the VM
    /// faults on a window shorter than 8 bytes.</summary>
    public static string Unchecked() => Compile("unchecked", Replace(Source, "if (data + 8 <= data_end) {", "if (1) {"));

    /// <summary>The scenario program with its trace map renamed: not a scenario program any more.</summary>
    public static string WithoutTraceMap() => Compile("no-trace", Source.Replace("trace_map", "other_map"));

    private static string Replace(string s, string from, string to) =>
        s.Contains(from) ? s.Replace(from, to) : throw new InvalidOperationException($"the scenario source no longer contains '{from}'");

    public static string Compile(string name, string source)
    {
        lock (Gate)
        {
            if (Cache.TryGetValue(name, out var cached)) return cached;
            string clang = ScenarioObjectCompiler.FindClang() ?? throw new InvalidOperationException("clang not found");
            string dir = Directory.CreateTempSubdirectory("sockactors-host-tests-").FullName;
            string src = Path.Combine(dir, name + ".bpf.c"), obj = Path.Combine(dir, name + ".bpf.o");
            File.WriteAllText(src, source);
            var psi = new ProcessStartInfo(clang) { RedirectStandardError = true };
            foreach (var a in new[] { "-O2", "-g", "-target", "bpf", "-c", src, "-o", obj }) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            string err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0) throw new InvalidOperationException($"clang failed: {err}");
            Cache[name] = obj;
            return obj;
        }
    }

    public static string TempCopy(string obj, Func<byte[], byte[]> edit)
    {
        string path = Path.Combine(Path.GetTempPath(), $"sockactors-edited-{Guid.NewGuid():N}.o");
        File.WriteAllBytes(path, edit(File.ReadAllBytes(obj)));
        return path;
    }
}

/// <summary>A fact that needs clang with the BPF target (skipped with a reason where it is missing).</summary>
public sealed class ClangFactAttribute : FactAttribute
{
    public ClangFactAttribute()
    {
        if (ScenarioObjectCompiler.FindClang() is null) Skip = "clang with the BPF target is not installed: --program tests need a compiled object";
    }
}

/// <summary>A fact that needs the live kernel (skipped with the probe's reason).</summary>
public sealed class KernelFactAttribute : FactAttribute
{
    public KernelFactAttribute()
    {
        var (available, reason) = KernelSupport.Probe();
        if (!available) Skip = reason;
    }
}
