using System.Buffers.Binary;
using System.Text.Json;
using SockActors.Model.Scenarios;

namespace SockActors.Host.Tests;

/// <summary>`sockactors scenario --program FILE.o`: the object runs on the simulation's BPF VM.</summary>
public class ProgramOptionTests
{
    private static string[] ObservedLines() =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "conformance", "observed-linux-6.18.jsonl"))
            .Where(l => l.Length > 0).ToArray();

    [ClangFact]
    public void The_compiled_scenario_program_gives_the_observed_results()
    {
        var lines = ObservedLines().Where(l => !l.Contains("\"runaway\"")).ToArray();
        var run = HostRun.Invoke(["scenario", "--program", BpfObjects.Scenario()], string.Join('\n', lines));
        Assert.True(run.ExitCode == 0, run.Err);
        // No fault lines: stderr holds only the kernel-defect warnings of the published quirks (sticky drops, ...).
        Assert.All(run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => Assert.Contains(": warning: ", l));
        Assert.Equal(lines.Length, run.OutLines.Length);
        var failures = new List<string>();
        for (int i = 0; i < lines.Length; i++)
        {
            var (scenario, expected, _) = ScenarioJson.ParseObserved(lines[i]);
            using var actual = JsonDocument.Parse(run.OutLines[i]);
            var diffs = ResultDiff.Compare(scenario, expected, ScenarioJson.ParseResult(actual.RootElement.GetProperty("result")));
            if (diffs.Count > 0) failures.Add($"{scenario.Name}: {string.Join("; ", diffs)}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void A_missing_object_is_one_line_and_exit_2()
    {
        var run = HostRun.Invoke(["scenario", "--program", "/nonexistent/prog.o"], "{\"name\":\"x\",\"sends\":[1]}");
        AssertUsageError(run, "/nonexistent/prog.o", "no such file");
    }

    [ClangFact]
    public void A_truncated_object_is_one_line_and_exit_2()
    {
        foreach (int keep in new[] { 0, 10, 63, 200, 1000 })
        {
            string path = BpfObjects.TempCopy(BpfObjects.Scenario(), b => b[..Math.Min(keep, b.Length)]);
            try
            {
                var run = HostRun.Invoke(["scenario", "--program", path], "{\"name\":\"x\",\"sends\":[1]}");
                AssertUsageError(run, path, "not a usable BPF object");
            }
            finally
            {
                File.Delete(path);
            }
        }
    }

    [ClangFact]
    public void An_object_for_another_machine_is_one_line_and_exit_2()
    {
        string path = BpfObjects.TempCopy(BpfObjects.Scenario(), b =>
        {
            BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(18), 62); // EM_X86_64
            return b;
        });
        try
        {
            var run = HostRun.Invoke(["scenario", "--program", path], "{\"name\":\"x\",\"sends\":[1]}");
            AssertUsageError(run, path, "EM_BPF");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [ClangFact]
    public void An_object_without_the_contract_maps_is_one_line_and_exit_2()
    {
        var run = HostRun.Invoke(["scenario", "--program", BpfObjects.WithoutTraceMap()], "{\"name\":\"x\",\"sends\":[1]}");
        AssertUsageError(run, "no-trace", "trace_map");
    }

    [ClangFact]
    public void A_program_fault_is_a_diagnostic_and_the_scenario_still_gives_its_result()
    {
        // A 5-byte message: the unchecked 8-byte read faults (verdict SK_DROP); a 100-byte one passes.
        var run = HostRun.Invoke(["scenario", "--program", BpfObjects.Unchecked()],
            "{\"name\":\"short\",\"sends\":[5]}\n{\"name\":\"long\",\"sends\":[100]}");
        Assert.True(run.ExitCode == 0, run.Out + run.Err);
        Assert.False(run.HasStackTrace, run.Err);
        var err = run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(err);
        Assert.StartsWith("sockactors: scenario short: BPF program 'sk_msg_scenario' faulted at instruction ", line);
        Assert.Contains("SK_DROP", line);
        Assert.Equal(2, run.OutLines.Length);
        using var shortResult = JsonDocument.Parse(run.OutLines[0]);
        var r = ScenarioJson.ParseResult(shortResult.RootElement.GetProperty("result"));
        Assert.Equal(0, r.P1.Bytes);
        Assert.Equal(1, r.RunsTotal);
        using var longResult = JsonDocument.Parse(run.OutLines[1]);
        Assert.Equal(100, ScenarioJson.ParseResult(longResult.RootElement.GetProperty("result")).P1.Bytes);
    }

    [ClangFact]
    public void The_kernel_engine_does_not_take_a_program()
    {
        var run = HostRun.Invoke(["scenario", "--engine", "kernel", "--program", BpfObjects.Scenario()], "{\"name\":\"x\",\"sends\":[1]}");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.False(run.HasStackTrace, run.Err);
    }

    private static void AssertUsageError(HostRun run, string mentions, string problem)
    {
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.False(run.HasStackTrace, run.Err);
        var line = Assert.Single(run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(mentions, line);
        Assert.Contains(problem, line);
    }
}

public class ProgramOptionActorsTests
{
    [ClangFact]
    public void The_actor_engine_runs_a_program_object_and_reports_its_faults()
    {
        var run = HostRun.Invoke(["scenario", "--engine", "actors", "--program", BpfObjects.Unchecked()],
            "{\"name\":\"short\",\"sends\":[5]}\n{\"name\":\"long\",\"sends\":[100]}");
        Assert.True(run.ExitCode == 0, run.Out + run.Err);
        Assert.Contains("sockactors: scenario short: BPF program 'sk_msg_scenario' faulted at instruction ", run.Err);
        Assert.Equal(2, run.OutLines.Length);
        Assert.Contains("\"p1\":{\"bytes\":100", run.OutLines[1].Replace(" ", ""));
    }
}
