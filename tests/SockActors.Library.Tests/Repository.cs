using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace SockActors.Library.Tests;

/// <summary>Paths of the repository the tests run in, and clang for the tests that compile bpf/sk_msg_scenario.bpf.c.</summary>
internal static class Repository
{
    public static readonly string Root = FindRoot();

    public static readonly string? Clang =
        new[] { Environment.GetEnvironmentVariable("SOCKACTORS_CLANG"), "/usr/lib/llvm-14/bin/clang" }
            .Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(d => Path.Combine(d, "clang")))
            .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));

    private static readonly Lazy<string> Scenario = new(() =>
    {
        var obj = Path.Combine(Directory.CreateTempSubdirectory("sockactors-library-").FullName, "sk_msg_scenario.o");
        Run(Clang!, $"-O2 -g -target bpf -c \"{Path.Combine(Root, "bpf", "sk_msg_scenario.bpf.c")}\" -o \"{obj}\"", Root);
        return obj;
    });

    /// <summary>bpf/sk_msg_scenario.bpf.c compiled once per test run (maps sock_map, cfg_map, trace_map).</summary>
    public static string ScenarioObject => Scenario.Value;

    /// <summary>Runs a process to its end; its output, or an exception with the output when it fails.</summary>
    public static string Run(string file, string args, string workDir, IDictionary<string, string>? env = null, int timeoutMs = 180_000)
    {
        var psi = new ProcessStartInfo(file, args)
        {
            WorkingDirectory = workDir,
            // Under xunit v3 the test process talks to its runner over stdin/stdout: a child must not inherit them.
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        // No MSBuild node or build server outlives the command (it would keep this process's pipes open).
        psi.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        psi.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(timeoutMs))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(file)} {args} did not finish within {timeoutMs / 1000} s");
        }
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(file)} {args} exited {p.ExitCode}:\n{stdout}\n{stderr.Result}");
        return stdout;
    }

    private static string FindRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "SockActors.sln"))) dir = Path.GetDirectoryName(dir);
        return dir ?? throw new DirectoryNotFoundException("SockActors.sln not found above the test directory");
    }
}

/// <summary>A fact that skips with a clear message where clang is missing.</summary>
public sealed class ClangFactAttribute : FactAttribute
{
    public ClangFactAttribute([CallerFilePath] string? sourceFilePath = null, [CallerLineNumber] int sourceLineNumber = -1)
        : base(sourceFilePath, sourceLineNumber)
    {
        if (Repository.Clang is null) Skip = "clang not found (SOCKACTORS_CLANG, /usr/lib/llvm-14/bin/clang, PATH): BPF object tests are skipped";
    }
}
