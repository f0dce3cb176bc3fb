namespace SockActors.Model.Scenarios;

/// <summary>One field where two results differ, e.g. ("runs[3].len", "70", "40").</summary>
/// <param name="Field">The field's path in the result ("p1.fnv", "runs[3].len").</param>
/// <param name="Expected">The expected result's value.</param>
/// <param name="Actual">The actual result's value.</param>
public readonly record struct FieldDifference(string Field, string Expected, string Actual);

/// <summary>
/// Compares two results field by field as the contract asks: every field, except that the checksums are skipped where
/// the kernel's bytes are undefined (the program pushes, or apply &gt; 0 with cork &gt; apply).
/// </summary>
public static class ResultDiff
{
    /// <summary>The fields where <paramref name="actual"/> differs from <paramref name="expected"/> (empty when they agree),
    /// checksums skipped where <paramref name="scenario"/>'s content is undefined.</summary>
    public static IReadOnlyList<FieldDifference> Compare(Scenario scenario, ScenarioResult expected, ScenarioResult actual)
    {
        var d = new List<FieldDifference>();
        if (expected.Runaway || actual.Runaway)
        {
            if (expected.Runaway != actual.Runaway) d.Add(new("runaway", expected.Runaway.ToString(), actual.Runaway.ToString()));
            return d;
        }
        bool compareFnv = !scenario.Program.ContentIsUndefined;
        if (expected.Sends.Count != actual.Sends.Count)
            d.Add(new("sends.length", expected.Sends.Count.ToString(), actual.Sends.Count.ToString()));
        for (int i = 0; i < Math.Min(expected.Sends.Count, actual.Sends.Count); i++)
        {
            if (expected.Sends[i].Len != actual.Sends[i].Len) d.Add(new($"sends[{i}].len", expected.Sends[i].Len.ToString(), actual.Sends[i].Len.ToString()));
            if (expected.Sends[i].Rc != actual.Sends[i].Rc) d.Add(new($"sends[{i}].rc", expected.Sends[i].Rc.ToString(), actual.Sends[i].Rc.ToString()));
        }
        foreach (var (key, e, a) in new[] { ("p1", expected.P1, actual.P1), ("c2", expected.C2, actual.C2), ("p2", expected.P2, actual.P2) })
        {
            if (e.Bytes != a.Bytes) d.Add(new($"{key}.bytes", e.Bytes.ToString(), a.Bytes.ToString()));
            if (compareFnv && e.Fnv != a.Fnv) d.Add(new($"{key}.fnv", e.Fnv, a.Fnv));
        }
        if (expected.RunsTotal != actual.RunsTotal) d.Add(new("runs_total", expected.RunsTotal.ToString(), actual.RunsTotal.ToString()));
        if (expected.Runs.Count != actual.Runs.Count) d.Add(new("runs.length", expected.Runs.Count.ToString(), actual.Runs.Count.ToString()));
        // Where p1's verdict redirects to p2's egress, the SK_MSG program also runs on p2 (from the psock backlog, a
        // work item) and its runs interleave with c1's as the scheduler lets them: the runs are compared as a multiset.
        // Past 256 runs, which runs were recorded depends on that order too: only the count is compared then.
        bool unordered = scenario.Skb is { RedirectsToEgress: true, RedirectKey: 1 };
        var expectedRuns = unordered ? Sorted(expected.Runs) : expected.Runs;
        var actualRuns = unordered ? Sorted(actual.Runs) : actual.Runs;
        int compared = unordered && expected.RunsTotal > ScenarioResult.MaxRecordedRuns ? 0 : Math.Min(expected.Runs.Count, actual.Runs.Count);
        for (int i = 0; i < compared; i++)
        {
            var e = expectedRuns[i];
            var a = actualRuns[i];
            void F(string f, long x, long y) { if (x != y) d.Add(new($"runs[{i}].{f}", x.ToString(), y.ToString())); }
            F("size", e.Size, a.Size); F("len", e.Len, a.Len); F("apply", e.Apply, a.Apply); F("cork", e.Cork, a.Cork);
            F("pull", e.Pull, a.Pull); F("push", e.Push, a.Push); F("pop", e.Pop, a.Pop); F("verdict", e.Verdict, a.Verdict);
        }
        CompareSkb(d, expected.Skb, actual.Skb);
        if (expected.SockOps != actual.SockOps)
        {
            if (expected.SockOps is not { } e || actual.SockOps is not { } a)
                d.Add(new("sockops", expected.SockOps is null ? "absent" : "present", actual.SockOps is null ? "absent" : "present"));
            else
            {
                void F(string f, long x, long y) { if (x != y) d.Add(new($"sockops.{f}", x.ToString(), y.ToString())); }
                F("active", e.Active, a.Active); F("passive", e.Passive, a.Passive);
                F("updates", e.Updates, a.Updates); F("update_errors", e.UpdateErrors, a.UpdateErrors);
            }
        }
        return d;
    }

    private static IReadOnlyList<ProgramRun> Sorted(IReadOnlyList<ProgramRun> runs) =>
        runs.OrderBy(r => r.Size).ThenBy(r => r.Len).ThenBy(r => r.Apply).ThenBy(r => r.Cork).ThenBy(r => r.Pull)
            .ThenBy(r => r.Push).ThenBy(r => r.Pop).ThenBy(r => r.Verdict).ToList();

    /// <summary>The receive half's trace: totals, then each recorded parser and verdict run (socket, len, r0).</summary>
    private static void CompareSkb(List<FieldDifference> d, SkbTrace? expected, SkbTrace? actual)
    {
        if (expected is null && actual is null) return;
        if (expected is null || actual is null)
        {
            d.Add(new("skb", expected is null ? "absent" : "present", actual is null ? "absent" : "present"));
            return;
        }
        void Rows(string key, IReadOnlyList<SkbRun> e, long eTotal, IReadOnlyList<SkbRun> a, long aTotal)
        {
            if (eTotal != aTotal) d.Add(new($"skb.{key}_total", eTotal.ToString(), aTotal.ToString()));
            if (e.Count != a.Count) d.Add(new($"skb.{key}_runs.length", e.Count.ToString(), a.Count.ToString()));
            for (int i = 0; i < Math.Min(e.Count, a.Count); i++)
            {
                if (e[i].Sk != a[i].Sk) d.Add(new($"skb.{key}_runs[{i}].sk", e[i].Sk.ToString(), a[i].Sk.ToString()));
                if (e[i].Len != a[i].Len) d.Add(new($"skb.{key}_runs[{i}].len", e[i].Len.ToString(), a[i].Len.ToString()));
                if (e[i].Rc != a[i].Rc) d.Add(new($"skb.{key}_runs[{i}].rc", e[i].Rc.ToString(), a[i].Rc.ToString()));
            }
        }
        Rows("parser", expected.ParserRuns, expected.ParserTotal, actual.ParserRuns, actual.ParserTotal);
        Rows("verdict", expected.VerdictRuns, expected.VerdictTotal, actual.VerdictRuns, actual.VerdictTotal);
    }
}
