using System.Diagnostics;

namespace SockActors.Actors.Tests;

/// <summary>Compiles the repository's bpf/sk_msg_scenario.bpf.c with clang's BPF target for tests that load it.</summary>
internal static class BpfObjects
{
    public static readonly string? Clang =
        new[] { Environment.GetEnvironmentVariable("SOCKACTORS_CLANG"), "/usr/lib/llvm-14/bin/clang" }
            .Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(d => Path.Combine(d, "clang")))
            .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));

    public const string Missing = "clang not found (SOCKACTORS_CLANG, /usr/lib/llvm-14/bin/clang, PATH): BPF object tests are skipped";

    private static readonly Lazy<string> Scenario = new(() =>
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "bpf", "sk_msg_scenario.bpf.c"))) dir = Path.GetDirectoryName(dir);
        if (dir is null) throw new FileNotFoundException("bpf/sk_msg_scenario.bpf.c not found above the test directory");
        var obj = Path.Combine(Directory.CreateTempSubdirectory("sockactors-actors-").FullName, "sk_msg_scenario.o");
        var psi = new ProcessStartInfo(Clang!, $"-O2 -g -target bpf -c \"{Path.Combine(dir, "bpf", "sk_msg_scenario.bpf.c")}\" -o \"{obj}\"")
        {
            RedirectStandardError = true,
        };
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"clang failed: {err}");
        return obj;
    });

    /// <summary>The compiled scenario program (maps sock_map, cfg_map, trace_map).</summary>
    public static string ScenarioObject => Scenario.Value;
}

/// <summary>A fact that skips with a clear message where clang is missing.</summary>
public sealed class ClangFactAttribute : FactAttribute
{
    public ClangFactAttribute()
    {
        if (BpfObjects.Clang is null) Skip = BpfObjects.Missing;
    }
}
