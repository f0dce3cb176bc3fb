using SockActors.Host.Commands;

namespace SockActors.Host.Tests;

/// <summary>`run` prints a grouped summary on a terminal and the line-per-case table when piped or --verbose.</summary>
public class RunSummaryTests
{
    private static readonly Dictionary<string, string> OnTerminal = new() { [Terminal.ForceVariable] = "1" };

    [Fact]
    public void On_a_terminal_run_prints_counts_per_family_and_spells_out_only_the_failing_case()
    {
        var (exit, output, _) = RunReportTests.RunMatrix(new RunCommand.Request("ts/apply/", false) { Adjust = RunReportTests.BreakOne }, OnTerminal);
        Assert.Equal(ExitCodes.Failed, exit);
        Assert.Contains("run matrix by family", output);
        Assert.Contains("apply: 1 failed", output);
        Assert.Contains("ts/apply/pass-apply1/sendmsg/r1-i1-l1", output);
        Assert.Contains("received 1 bytes, the kernel delivers 2", output);
        // A passing case is not listed; the closing summary line stays as scripts read it.
        Assert.DoesNotContain("ts/apply/pass-apply1/sendmsg/r1-i1024-l1", output);
        Assert.Matches(@"\d+ cases: \d+ passed, 1 failed \(engine model", output.TrimEnd().Split('\n')[^1]);
    }

    [Fact]
    public void Verbose_on_a_terminal_and_piped_output_both_print_every_case_line_by_line()
    {
        var verbose = RunReportTests.RunMatrix(new RunCommand.Request("ts/apply/", false, Verbose: true), OnTerminal);
        var piped = RunReportTests.RunMatrix(new RunCommand.Request("ts/apply/", false));
        string[] Lines(string s) => s.Split('\n').Where(l => l.StartsWith("ts/apply/", StringComparison.Ordinal)).ToArray();
        Assert.Equal(Lines(piped.Out), Lines(verbose.Out));
        Assert.True(Lines(piped.Out).Length > 10);
        Assert.All(Lines(piped.Out), l => Assert.EndsWith("PASS", l));
        Assert.DoesNotContain("run matrix by family", piped.Out);
    }
}
