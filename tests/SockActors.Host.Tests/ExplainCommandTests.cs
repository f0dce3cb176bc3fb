using System.Text.Json;

namespace SockActors.Host.Tests;

/// <summary>`explain` without a browser: the JSON data, the page's self-containment, bad input.</summary>
public class ExplainCommandTests
{
    [Fact]
    public void Json_has_one_run_per_program_run_and_flows_that_account_for_every_byte_read()
    {
        string line = ExplainPictureTests.Observed("sendm-redir-cork");
        var run = HostRun.Invoke(["explain", "--json"], line);
        Assert.True(run.ExitCode == 0, run.Err);
        using var doc = JsonDocument.Parse(run.Out);
        using var observed = JsonDocument.Parse(line);
        var root = doc.RootElement;
        var result = observed.RootElement.GetProperty("result");
        Assert.Equal(result.GetProperty("runs_total").GetInt64(), root.GetProperty("runs").GetArrayLength());
        Assert.Equal(result.GetProperty("runs_total").GetInt64(), root.GetProperty("runs_total").GetInt64());
        // Every byte c2 read came out of p2's egress by a redirect; the rest of the cork was freed or stayed corked.
        var flows = root.GetProperty("flows").EnumerateArray().ToList();
        long egress = flows.Where(f => f.GetProperty("kind").GetString() == "redirect-egress").Sum(f => f.GetProperty("bytes").GetInt64());
        Assert.Equal(result.GetProperty("c2").GetProperty("bytes").GetInt64(), egress);
        Assert.Contains(flows, f => f.GetProperty("kind").GetString() == "freed");
        Assert.Contains(flows, f => f.GetProperty("kind").GetString() == "corked");
        Assert.All(root.GetProperty("runs").EnumerateArray(), r => Assert.Equal("p2", r.GetProperty("redirect_to").GetString()));
        Assert.Contains(root.GetProperty("warnings").EnumerateArray(), w => w.GetProperty("code").GetString() == "kernel-defect");
    }

    [Fact]
    public void The_page_is_self_contained_no_network_and_no_external_script_or_font()
    {
        var run = HostRun.Invoke(["explain"], ExplainPictureTests.Observed("sendm-apply-split"));
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("<!DOCTYPE html>", run.Out);
        Assert.DoesNotContain("src=", run.Out);
        Assert.DoesNotContain("@import", run.Out);
        Assert.DoesNotContain("url(", run.Out);
        Assert.DoesNotContain("<link", run.Out);
        Assert.DoesNotContain("https://", run.Out);
    }

    [ClangFact]
    public void A_bpf_object_with_sends_on_the_command_line_is_drawn_from_the_vm()
    {
        string obj = BpfObjects.Scenario();
        var run = HostRun.Invoke(["explain", "--json", "--program", obj, "--sends", "100,200"]);
        Assert.True(run.ExitCode == 0, run.Err);
        using var doc = JsonDocument.Parse(run.Out);
        Assert.Equal(2, doc.RootElement.GetProperty("runs").GetArrayLength());
        Assert.Equal(300, doc.RootElement.GetProperty("receivers")[0].GetProperty("read").GetInt64());
    }

    [Theory]
    [InlineData("{\"name\": \"x\", \"sends\": [100]", "scenario line")]
    [InlineData("not json", "scenario line")]
    [InlineData("{\"name\": \"x\", \"sends\": [-5]}", "scenario line")]
    public void A_malformed_scenario_line_is_one_line_and_exit_2(string line, string expected)
    {
        var run = HostRun.Invoke(["explain"], line);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Single(run.Err.Trim().Split('\n'));
        Assert.Contains(expected, run.Err);
        Assert.False(run.HasStackTrace, run.Err);
    }

    [Fact]
    public void An_unreadable_object_unknown_flags_and_bad_sends_are_one_line_and_exit_2()
    {
        string garbage = Path.Combine(Path.GetTempPath(), $"sockactors-garbage-{Environment.ProcessId}.o");
        File.WriteAllText(garbage, "not an ELF file");
        try
        {
            foreach (var (args, expected) in new (string[], string)[]
                     {
                         (["explain", "--program", garbage, "--sends", "100"], "not a usable BPF object"),
                         (["explain", "--program", "/nonexistent/x.o", "--sends", "100"], "no such file"),
                         (["explain", "--frobnicate"], "--frobnicate"),
                         (["explain", "--sends", "100,abc"], "'abc' is not a positive byte count"),
                         (["explain", "--engine", "actors", "{\"name\":\"x\",\"sends\":[1]}"], "explain draws --engine model or --engine kernel"),
                         (["explain"], "no scenario"),
                     })
            {
                var run = HostRun.Invoke(args);
                Assert.True(run.ExitCode == 2, string.Join(' ', args) + ": " + run.Err);
                Assert.Contains(expected, run.Err);
                Assert.False(run.HasStackTrace, run.Err);
                Assert.Equal("", run.Out);
            }
        }
        finally
        {
            File.Delete(garbage);
        }
    }
}

/// <summary>--compare's page marks the fields and the runs where the kernel and the simulation differ.</summary>
public class ExplainCompareTests
{
    [Fact]
    public void Runs_that_differ_are_outlined_in_both_pictures_and_listed_field_by_field()
    {
        using var doc = JsonDocument.Parse(ExplainPictureTests.Observed("sendm-apply-split"));
        var scenario = Model.Scenarios.ScenarioJson.ParseScenario(doc.RootElement.GetProperty("scenario"));
        var kernel = Model.Scenarios.ScenarioJson.ParseResult(doc.RootElement.GetProperty("result"));
        var (sim, simResult) = Explain.ScenarioExplain.Simulate(scenario, null, null, Model.Kernel.KernelProfile.Linux618);
        // The simulation as it is agrees; a kernel that had cut run 2 differently does not.
        Assert.Empty(Explain.KernelExplain.Compare(scenario, kernel, simResult));
        var runs = kernel.Runs.ToList();
        runs[2] = runs[2] with { Len = 39 };
        var other = kernel with { Runs = runs };
        var diffs = Explain.KernelExplain.Compare(scenario, other, simResult);
        var differing = Explain.KernelExplain.DifferingRuns(diffs, other, simResult);
        Assert.Equal([2L], differing);
        string html = Explain.ExplainDocument.Scenario(
            [Explain.KernelExplain.FromResult(scenario, null, other, "linux-6.18") with { Differences = diffs }, sim with { Differences = diffs }], differing);
        Assert.Contains("<td>runs[2].len</td><td>39</td><td>40</td>", html);
        Assert.Equal(2, html.Split("class=\"run pass differs\" data-run=\"2\"").Length - 1);
        Assert.DoesNotContain("differs\" data-run=\"1\"", html);
    }
}

/// <summary>A runaway scenario is drawn up to where the model stopped it, with the runaway as a warning.</summary>
public class ExplainRunawayTests
{
    [Fact]
    public void A_runaway_scenario_is_a_picture_with_a_runaway_warning_and_exit_0()
    {
        var run = HostRun.Invoke(["explain", "--json"], ExplainPictureTests.Observed("sendmsg-runaway-apply1-push"));
        Assert.True(run.ExitCode == 0, run.Err);
        using var doc = JsonDocument.Parse(run.Out);
        Assert.Contains(doc.RootElement.GetProperty("warnings").EnumerateArray(), w => w.GetProperty("code").GetString() == "runaway");
        Assert.Equal(Explain.ExplainRecorder.MaxRuns, doc.RootElement.GetProperty("runs").GetArrayLength());
        Assert.True(doc.RootElement.GetProperty("runs_total").GetInt64() > Explain.ExplainRecorder.MaxRuns);
    }
}
