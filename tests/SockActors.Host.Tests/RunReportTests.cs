using SockActors.Host.Commands;
using SockActors.Host.Configuration;
using SockActors.Host.Engines;
using SockActors.Host.Tests.Browser;
using SockActors.Host.TestSockmap;

namespace SockActors.Host.Tests;

/// <summary>
/// `run --html`: the whole matrix as a report, rendered in headless Chromium. One case is made to fail on purpose
/// (its expectation raised past what it can receive, in this test only), and the report must show it at the top and
/// link it to its picture.
/// </summary>
public sealed class RunReportTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string Broken = "ts/apply/pass-apply1/sendmsg/r1-i1-l1";

    internal static (int Exit, string Out, string Err) RunMatrix(RunCommand.Request req, IReadOnlyDictionary<string, string>? env = null)
    {
        env ??= new Dictionary<string, string>();
        var o = new StringWriter();
        var e = new StringWriter();
        var ctx = new HostContext(new StringReader(""), o, e, env, EngineRegistry.Default);
        var settings = HostSettings.From(HostConfiguration.Build(null, ["sockactors:engine=model"], env));
        int rc = RunCommand.Execute(settings, ctx, req);
        return (rc, o.ToString(), e.ToString());
    }

    internal static MatrixCase BreakOne(MatrixCase c) =>
        c.Name == Broken ? c with { Rule = BytesRule.Exact, ExpectedBytes = 2, Note = "broken on purpose by the test" } : c;

    [BrowserFact]
    public async Task The_full_matrix_report_renders_with_the_failing_case_on_top_and_linked_to_its_picture()
    {
        string dir = Artifacts.Dir("report");
        string report = Path.Combine(dir, "report.html");
        var (exit, _, err) = RunMatrix(new RunCommand.Request(null, false, Html: report) { Adjust = BreakOne });
        Assert.Equal(ExitCodes.Failed, exit);
        Assert.Contains("case pictures", err);

        await fixture.Browser.OpenAsync(report);
        await fixture.Browser.ScreenshotAsync(Path.Combine(dir, "report-top.png"), maxHeight: 1400);
        var top = await fixture.Browser.EvaluateAsync("""
(() => {
  const first = document.querySelector('tr.case');
  const fams = document.querySelector('table.families');
  const rows = [...document.querySelectorAll('table.families tr')].slice(1).map(r => [...r.cells].map(c => c.textContent));
  return { firstCase: first.dataset.case, firstFails: first.classList.contains('fail'),
           aboveFamilies: first.getBoundingClientRect().top < fams.getBoundingClientRect().top,
           link: first.querySelector('a').getAttribute('href'), cases: document.querySelectorAll('table.cases tr.case').length,
           families: rows, pageWidth: document.documentElement.scrollWidth, viewport: window.innerWidth };
})()
""");
        Assert.Equal(Broken, top.GetProperty("firstCase").GetString());
        Assert.True(top.GetProperty("firstFails").GetBoolean());
        Assert.True(top.GetProperty("aboveFamilies").GetBoolean(), "the failing case is not above the family table");
        Assert.Equal(Matrix.Build(Model.Kernel.KernelProfile.Linux618).Count, top.GetProperty("cases").GetInt32());
        // The failing family comes first in the counts, with one failure.
        var apply = top.GetProperty("families")[0];
        Assert.Equal("apply", apply[0].GetString());
        Assert.Equal("1", apply[3].GetString());
        Assert.True(top.GetProperty("pageWidth").GetInt32() <= top.GetProperty("viewport").GetInt32());

        // Its picture: one run mark per program run (this case runs the program once), the verdict on top.
        string picture = Path.Combine(dir, top.GetProperty("link").GetString()!);
        Assert.True(File.Exists(picture), picture);
        await fixture.Browser.OpenAsync(picture);
        await fixture.Browser.ScreenshotAsync(Path.Combine(dir, "report-broken-case.png"));
        var f = await PageFacts.MeasureAsync(fixture.Browser);
        Assert.Equal(1, f.RunMarks);
        Assert.Empty(f.Outside);
        var badge = await fixture.Browser.EvaluateAsync("document.querySelector('.badge.fail').textContent");
        Assert.StartsWith("FAIL: received 1 bytes, the kernel delivers 2", badge.GetString());
    }
}
