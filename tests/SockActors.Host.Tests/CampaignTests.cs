using System.Text.Json;

namespace SockActors.Host.Tests;

/// <summary>`conformance --kernel --campaign FILE` (resumable), `--families`, and the warnings `scenario` prints.</summary>
[Collection(KernelCollection.Name)]
public class CampaignTests
{
    [Theory]
    [InlineData(new[] { "conformance", "--kernel", "--families" }, "--families goes with --random SEED")]
    [InlineData(new[] { "conformance", "--campaign", "x.jsonl" }, "go with --kernel")]
    [InlineData(new[] { "conformance", "--families" }, "go with --kernel")]
    [InlineData(new[] { "conformance", "--kernel", "--receive" }, "--receive goes with --random SEED")]
    [InlineData(new[] { "conformance", "--kernel", "--random", "1", "--receive", "--families" }, "either --families or --receive")]
    [InlineData(new[] { "conformance", "--receive" }, "go with --kernel")]
    public void Campaign_options_without_their_partners_are_a_one_line_error(string[] args, string message)
    {
        using var _ = KernelCollection.PretendNoBpf();
        var run = HostRun.Invoke(args);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Err);
        Assert.DoesNotContain("   at ", run.Err);
    }

    [KernelFact]
    public void A_campaign_resumes_where_its_file_stops_and_counts_the_whole_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"campaign-{Guid.NewGuid():N}.jsonl");
        try
        {
            var first = HostRun.Invoke(["conformance", "--kernel", "--engine", "model", "--random", "5", "--families", "--count", "2", "--campaign", path]);
            Assert.True(first.ExitCode is 0 or 1, first.Out + first.Err);
            Assert.Equal(2, File.ReadAllLines(path).Length);
            var second = HostRun.Invoke(["conformance", "--kernel", "--engine", "model", "--random", "5", "--families", "--count", "3", "--campaign", path]);
            var lines = File.ReadAllLines(path);
            Assert.Equal(3, lines.Length);
            Assert.Equal(["families-5-0", "families-5-1", "families-5-2"], lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("name").GetString()));
            // Only the new scenario ran the second time; the summary counts all three.
            Assert.Single(second.OutLines, l => l.Contains("families-5-"));
            Assert.Contains("campaign: 3 scenarios in the file", second.Out);
            Assert.Contains("campaign: 3/3 scenarios", second.Err);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_campaign_file_with_a_bad_line_is_a_one_line_error()
    {
        var path = Path.Combine(Path.GetTempPath(), $"campaign-{Guid.NewGuid():N}.jsonl");
        File.WriteAllText(path, "{\"name\":\"families-5-0\",\"status\":\"ok\"}\nnot json\n");
        try
        {
            var e = Assert.Throws<HostException>(() => Commands.CampaignLog.Open(path, 3, new Commands.StderrCampaignProgress(TextWriter.Null)));
            Assert.Contains($"{path}:2: not a campaign line", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Scenario_prints_each_warning_on_stderr_and_in_the_result_line()
    {
        var run = HostRun.Invoke(["scenario", "--engine", "model"],
            "{\"name\":\"sticky\",\"program\":{\"apply\":64,\"drop_every\":2},\"iov\":3,\"sends\":[1000,1000]}");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("sockactors: scenario sticky: warning: sticky-drop: ", run.Err);
        using var doc = JsonDocument.Parse(run.OutLines.Single());
        var w = doc.RootElement.GetProperty("warnings").EnumerateArray().Single();
        Assert.Equal("sticky-drop", w.GetProperty("defect").GetString());
        Assert.Contains("tcp_bpf_send_verdict", w.GetProperty("function").GetString());
    }

    [Fact]
    public void The_actor_engine_gets_the_same_warnings_through_the_host()
    {
        var run = HostRun.Invoke(["scenario", "--engine", "actors"], "{\"name\":\"hang\",\"program\":{\"cork\":5000},\"sends\":[100]}");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("warning: hanging-cork: cork 5000 not reached: 100 accepted bytes", run.Err);
    }
}

/// <summary>`sockactors run` names the kernel defects a matrix case trips.</summary>
public class RunWarningTests
{
    [Fact]
    public void Run_prints_the_hanging_cork_of_a_cork_that_is_never_reached_and_json_carries_it()
    {
        var run = HostRun.Invoke(["run", "--engine", "model", "--filter", "cork2048-never-reached/txmsg/sendmsg"]);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains(run.OutLines, l => l.StartsWith("warning: sh/cork2048-never-reached/txmsg/sendmsg: hanging-cork: cork 2048 not reached"));
        var json = HostRun.Invoke(["run", "--engine", "model", "--json", "--filter", "cork2048-never-reached/txmsg/sendmsg"]);
        using var doc = JsonDocument.Parse(json.OutLines.First(l => l.StartsWith('{')));
        Assert.Equal("hanging-cork", doc.RootElement.GetProperty("warnings")[0].GetProperty("defect").GetString());
    }

    [Fact]
    public void A_case_without_cork_or_push_has_no_warnings()
    {
        var run = HostRun.Invoke(["run", "--engine", "model", "--filter", "sh/basic"]);
        Assert.DoesNotContain(run.OutLines, l => l.StartsWith("warning:"));
    }
}
