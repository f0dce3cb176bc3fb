using System.Diagnostics;

namespace SockActors.Host;

/// <summary>
/// Progress of long work (kernel conformance, recording, campaigns): a bar with counts and an ETA on a terminal,
/// nothing when the output is piped. A command calls <see cref="Advance"/> per item and <see cref="Clear"/> before it
/// prints a line of its own, so that the bar never mixes into the command's output.
/// </summary>
public interface IProgressReporter : IDisposable
{
    void Advance(string? item = null);

    void Clear();
}

public static class Progress
{
    /// <summary>A bar on stderr when stderr is a terminal (or SOCKACTORS_TERMINAL=1), else a reporter that does nothing.</summary>
    public static IProgressReporter For(HostContext ctx, int total, string title) =>
        Terminal.IsInteractive(ctx, stderr: true) ? new TerminalProgress(ctx.Err, total, title) : QuietProgress.Instance;
}

/// <summary>Piped output: no progress at all.</summary>
public sealed class QuietProgress : IProgressReporter
{
    public static QuietProgress Instance { get; } = new();
    public void Advance(string? item = null) { }
    public void Clear() { }
    public void Dispose() { }
}

/// <summary>
/// One status line, redrawn in place: "title [#####.....] 12/57 21% ETA 0:34 last-item". The ETA is the mean time per
/// item so far times the items left. At most ten redraws a second; the line is erased when the work ends.
/// </summary>
public sealed class TerminalProgress(TextWriter err, int total, string title, Func<TimeSpan>? clock = null) : IProgressReporter
{
    private const int BarWidth = 30;
    private readonly Func<TimeSpan> _clock = clock ?? Elapsed(Stopwatch.StartNew());
    private TimeSpan? _lastDraw;
    private int _done;
    private bool _shown;

    public int Done => _done;

    private static Func<TimeSpan> Elapsed(Stopwatch watch) => () => watch.Elapsed;

    public void Advance(string? item = null)
    {
        _done++;
        var now = _clock();
        if (_done < total && _lastDraw is { } last && now - last < TimeSpan.FromMilliseconds(100)) return;
        _lastDraw = now;
        err.Write("\r\u001b[K" + Line(_done, total, now, title, item));
        err.Flush();
        _shown = true;
    }

    public void Clear()
    {
        if (!_shown) return;
        err.Write("\r\u001b[K");
        err.Flush();
        _shown = false;
    }

    public void Dispose() => Clear();

    /// <summary>The status line for <paramref name="done"/> of <paramref name="total"/> items after <paramref name="elapsed"/>.</summary>
    public static string Line(int done, int total, TimeSpan elapsed, string title, string? item)
    {
        int filled = total <= 0 ? BarWidth : (int)Math.Min(BarWidth, (long)done * BarWidth / total);
        string eta = done <= 0 || done >= total ? "" : " ETA " + Format(elapsed / done * (total - done));
        int percent = total <= 0 ? 100 : (int)((long)done * 100 / total);
        string tail = item is null ? "" : " " + (item.Length > 40 ? item[..40] : item);
        return $"{title} [{new string('#', filled)}{new string('.', BarWidth - filled)}] {done}/{total} {percent}%{eta}{tail}";
    }

    private static string Format(TimeSpan t) => t.TotalHours >= 1 ? $"{(int)t.TotalHours}:{t.Minutes:D2}:{t.Seconds:D2}" : $"{t.Minutes}:{t.Seconds:D2}";
}
