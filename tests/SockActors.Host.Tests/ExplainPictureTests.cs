using System.Text.Json;
using SockActors.Host.Tests.Browser;

namespace SockActors.Host.Tests;

/// <summary>
/// `explain` pictures of published scenarios, rendered in a real headless Chromium and checked for what a person
/// sees: one run mark per program run, the windows, failing helper codes, the destination rows, warnings, nothing
/// outside the picture or the page, and the sk_msg_md fields on hover. Screenshots are kept in .ci/out/explain.
/// </summary>
public sealed class ExplainPictureTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    /// <summary>A published scenario line of conformance/observed-linux-6.18.jsonl, by name.</summary>
    public static string Observed(string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "conformance", "observed-linux-6.18.jsonl");
        foreach (var line in File.ReadLines(path))
        {
            using var doc = JsonDocument.Parse(line);
            if (doc.RootElement.GetProperty("name").GetString() == name) return line;
        }
        throw new InvalidOperationException($"no published scenario named {name}");
    }

    private static long RunsTotal(string observedLine)
    {
        using var doc = JsonDocument.Parse(observedLine);
        return doc.RootElement.GetProperty("result").GetProperty("runs_total").GetInt64();
    }

    /// <summary>Runs `explain` on the line, writes the page into the artifacts, opens it and measures it.</summary>
    private async Task<PageFacts> RenderAsync(string name)
    {
        string dir = Artifacts.Dir("explain");
        string html = Path.Combine(dir, $"{name}.html");
        var run = HostRun.Invoke(["explain", "-o", html], Observed(name));
        Assert.True(run.ExitCode == 0, run.Err);
        await fixture.Browser.OpenAsync(html);
        await fixture.Browser.ScreenshotAsync(Path.Combine(dir, $"{name}.png"));
        return await PageFacts.MeasureAsync(fixture.Browser);
    }

    private static void AssertInsidePage(PageFacts f)
    {
        Assert.True(f.Outside.Length == 0, "outside their picture: " + string.Join("; ", f.Outside));
        Assert.True(f.PageWidth <= f.ViewportWidth, $"the page ({f.PageWidth} px) is wider than the window ({f.ViewportWidth} px)");
    }

    [BrowserFact]
    public async Task Redirect_egress_draws_one_mark_per_run_and_arrows_to_c2_through_p2()
    {
        var f = await RenderAsync("sendm-redir-egress");
        Assert.Equal(RunsTotal(Observed("sendm-redir-egress")), f.RunMarks);
        Assert.Contains("c2 \u2190 p2 egress", f.LaneLabels);
        Assert.DoesNotContain(f.LaneLabels, l => l.StartsWith("p1", StringComparison.Ordinal));
        AssertInsidePage(f);
    }

    [BrowserFact]
    public async Task Apply_split_shows_a_run_and_an_apply_window_per_30_byte_window()
    {
        var f = await RenderAsync("sendm-apply-split");
        Assert.Equal(4, RunsTotal(Observed("sendm-apply-split")));
        Assert.Equal(4, f.RunMarks);
        Assert.Equal(4, f.ApplyWindows);
        Assert.Contains("p1 \u2190 c1 TCP", f.LaneLabels);
        AssertInsidePage(f);
    }

    [BrowserFact]
    public async Task Cork_accumulate_shows_the_cork_window_and_every_run()
    {
        var f = await RenderAsync("sendm-cork-accumulate");
        Assert.Equal(RunsTotal(Observed("sendm-cork-accumulate")), f.RunMarks);
        Assert.Equal(f.RunMarks, f.CorkWindows);
        AssertInsidePage(f);
    }

    [BrowserFact]
    public async Task Drop_after_apply_shows_the_dropped_bytes()
    {
        var f = await RenderAsync("sendm-apply-drop-quirk");
        Assert.Equal(RunsTotal(Observed("sendm-apply-drop-quirk")), f.RunMarks);
        Assert.Contains("dropped", f.LaneLabels);
        AssertInsidePage(f);
    }

    [BrowserFact]
    public async Task Push_and_pop_pictures_show_their_runs_and_the_push_warning()
    {
        var push = await RenderAsync("sendm-push-middle");
        Assert.Equal(RunsTotal(Observed("sendm-push-middle")), push.RunMarks);
        Assert.Contains(push.Warnings, w => w.Contains("push_data", StringComparison.Ordinal));
        AssertInsidePage(push);
        var pop = await RenderAsync("sendm-pop-middle");
        Assert.Equal(RunsTotal(Observed("sendm-pop-middle")), pop.RunMarks);
        Assert.Empty(pop.Warnings);
        AssertInsidePage(pop);
    }

    [BrowserFact]
    public async Task Redirecting_the_cork_shows_egress_freed_and_corked_bytes_with_both_windows()
    {
        var f = await RenderAsync("sendm-redir-cork");
        Assert.Equal(RunsTotal(Observed("sendm-redir-cork")), f.RunMarks);
        Assert.Equal(f.RunMarks, f.ApplyWindows);
        Assert.Equal(f.RunMarks, f.CorkWindows);
        Assert.Contains("c2 \u2190 p2 egress", f.LaneLabels);
        Assert.Contains("freed (lost)", f.LaneLabels);
        Assert.Contains("corked, purged", f.LaneLabels);
        Assert.Contains(f.Warnings, w => w.Contains("cork > apply", StringComparison.Ordinal));
        AssertInsidePage(f);
        // The picture alone, for the README (docs/explain-redir-cork.png is a copy of this file).
        await fixture.Browser.EvaluateAsync("document.querySelector('details').open = false");
        await fixture.Browser.ScreenshotAsync(Path.Combine(Artifacts.Dir("explain"), "sendm-redir-cork-picture.png"), maxHeight: 560);
    }

    [BrowserFact]
    public async Task A_failing_helper_shows_its_error_code_in_the_picture()
    {
        var f = await RenderAsync("sendm-pull-bad-order");
        Assert.Contains(f.HelperErrors, t => t.Contains("msg_pull_data(50, 20, 0) = -22 EINVAL", StringComparison.Ordinal));
        AssertInsidePage(f);
    }

    [BrowserFact]
    public async Task Hovering_a_run_shows_its_sk_msg_md_fields()
    {
        await RenderAsync("sendm-apply-split");
        var (x, y) = await PageFacts.CentreOfAsync(fixture.Browser, "svg rect.run[data-run='1']");
        await fixture.Browser.MoveMouseAsync(x, y);
        var tip = await fixture.Browser.EvaluateAsync("(() => { const t = document.getElementById('tip'); return t.hidden ? '' : t.textContent; })()");
        string text = tip.GetString() ?? "";
        Assert.Contains("run 1 on c1: pass", text);
        Assert.Contains("local_port = ", text);
        Assert.Contains("remote_ip4 = 127.0.0.1", text);
        Assert.Contains("size = 70", text);
        await fixture.Browser.ScreenshotAsync(Path.Combine(Artifacts.Dir("explain"), "sendm-apply-split-hover.png"));
    }
}
