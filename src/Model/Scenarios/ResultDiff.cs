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
        for (int i = 0; i < Math.Min(expected.Runs.Count, actual.Runs.Count); i++)
        {
            var e = expected.Runs[i];
            var a = actual.Runs[i];
            void F(string f, long x, long y) { if (x != y) d.Add(new($"runs[{i}].{f}", x.ToString(), y.ToString())); }
            F("size", e.Size, a.Size); F("len", e.Len, a.Len); F("apply", e.Apply, a.Apply); F("cork", e.Cork, a.Cork);
            F("pull", e.Pull, a.Pull); F("push", e.Push, a.Push); F("pop", e.Pop, a.Pop); F("verdict", e.Verdict, a.Verdict);
        }
        return d;
    }
}
