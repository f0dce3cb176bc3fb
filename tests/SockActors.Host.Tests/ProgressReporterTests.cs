using SockActors.Host.Engines;

namespace SockActors.Host.Tests;

/// <summary>The progress bar of long commands: counts, percent and ETA on a terminal; nothing when piped.</summary>
public class ProgressReporterTests
{
    [Fact]
    public void The_status_line_shows_counts_percent_and_an_eta_from_the_mean_time_per_item()
    {
        // 12 items in 21 s: 1.75 s each, 45 left: 78.75 s.
        string line = TerminalProgress.Line(12, 57, TimeSpan.FromSeconds(21), "kernel vs simulation", "sendm-apply-split");
        Assert.Equal("kernel vs simulation [######........................] 12/57 21% ETA 1:18 sendm-apply-split", line);
        Assert.DoesNotContain("ETA", TerminalProgress.Line(57, 57, TimeSpan.FromSeconds(99), "x", null));
    }

    [Fact]
    public void On_a_terminal_the_bar_is_drawn_in_place_and_erased_before_other_output()
    {
        var err = new StringWriter();
        var t = TimeSpan.Zero;
        using (var bar = new TerminalProgress(err, 3, "recording", () => t))
        {
            bar.Advance("a");
            t += TimeSpan.FromSeconds(1);
            bar.Advance("b");
            Assert.EndsWith("recording [####################..........] 2/3 66% ETA 0:00 b", err.ToString());
            bar.Clear();
            Assert.EndsWith("\r\u001b[K", err.ToString());
        }
        Assert.StartsWith("\r\u001b[Krecording [##########....................] 1/3 33% ETA 0:00 a", err.ToString());
    }

    [Fact]
    public void Piped_output_gets_no_progress_at_all()
    {
        var err = new StringWriter();
        var ctx = new HostContext(new StringReader(""), new StringWriter(), err, new Dictionary<string, string>(), EngineRegistry.Default);
        using var bar = Progress.For(ctx, 10, "x");
        bar.Advance("a");
        Assert.IsType<QuietProgress>(bar);
        Assert.Equal("", err.ToString());
    }
}
