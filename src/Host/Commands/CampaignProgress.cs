namespace SockActors.Host.Commands;

/// <summary>Where a kernel campaign reports how far it is (a terminal progress bar can stand in for the stderr lines).</summary>
public interface ICampaignProgress
{
    /// <summary>Called after each scenario: <paramref name="done"/> of <paramref name="total"/> (resumed ones included).</summary>
    void Report(int done, int total, CampaignCounts counts);
}

/// <summary>Status counts of a campaign so far.</summary>
public readonly record struct CampaignCounts(int Ok, int Unstable, int Known, int Differ, int NotRun);

/// <summary>A stderr line every <see cref="Every"/> scenarios and at the end.</summary>
public sealed class StderrCampaignProgress(TextWriter err) : ICampaignProgress
{
    public const int Every = 50;

    public void Report(int done, int total, CampaignCounts c)
    {
        if (done % Every != 0 && done != total) return;
        err.WriteLine($"campaign: {done}/{total} scenarios: {c.Ok} ok, {c.Unstable} unstable (kernel majority matches), {c.Known} known, {c.Differ} differ, {c.NotRun} not run");
        err.Flush();
    }
}
