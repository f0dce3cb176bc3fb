using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using SockActors.Model.Bpf;
using SockActors.Model.Scenarios;

namespace SockActors.Benchmarks;

/// <summary>
/// The BPF VM: a loop-heavy assembled program (100,000 iterations, ~800k instructions per run) and the contract's
/// scenario program compiled by clang (one run per op, as the send path calls it). Instructions per second =
/// instructions per op / time per op; <see cref="InstructionsPerOp"/> is printed in the global setup.
/// </summary>
[MemoryDiagnoser]
public class BpfVmBenchmarks
{
    private SkMsgBpfProgram _loop = null!;
    private SkMsgBpfProgram? _scenario;
    private readonly BpfVmBenchmark.BenchContext _ctx = new();

    [GlobalSetup]
    public void Setup()
    {
        _loop = BpfVmBenchmark.LoopProgram();
        _loop.InstructionBudget = long.MaxValue;
        _loop.Run(_ctx);
        Console.WriteLine($"// loop program: {_loop.LastInstructionCount} instructions per run");
        if (ScenarioObject.Path is { } obj)
        {
            var sp = (BpfScenarioProgram)new BpfScenarioProgramFactory(obj).Create();
            sp.Configure(new ProgramSpec { Action = ScenarioAction.Redirect, Apply = 10, PullEnd = 8 });
            _scenario = sp.BpfProgram;
            _scenario.Run(_ctx);
            Console.WriteLine($"// scenario program: {_scenario.LastInstructionCount} instructions per run");
        }
    }

    [Benchmark(Description = "loop program, one run")]
    public int Loop() => _loop.Run(_ctx);

    [Benchmark(Description = "scenario program (clang), one run")]
    public int Scenario() => _scenario?.Run(_ctx) ?? 0;
}

/// <summary>Compiles bpf/sk_msg_scenario.bpf.c with clang if it is installed.</summary>
internal static class ScenarioObject
{
    public static readonly string? Path = Compile();

    private static string? Compile()
    {
        string clang = File.Exists("/usr/lib/llvm-14/bin/clang") ? "/usr/lib/llvm-14/bin/clang" : "clang";
        var src = System.IO.Path.Combine(AppContext.BaseDirectory, "bpf", "sk_msg_scenario.bpf.c");
        var obj = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"sk_msg_scenario-bench-{Environment.ProcessId}.o");
        try
        {
            using var p = Process.Start(new ProcessStartInfo(clang, $"-O2 -g -target bpf -c \"{src}\" -o \"{obj}\"") { RedirectStandardError = true })!;
            p.WaitForExit();
            return p.ExitCode == 0 ? obj : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
