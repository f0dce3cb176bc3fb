using SockActors.Model.Programs;
using SockActors.Model.Scenarios;

namespace SockActors.Host.Explain;

/// <summary>
/// The picture of a scenario from a live kernel's result: the sends, the program runs as trace_map recorded them (the
/// first 256: size, len, helper return values, verdict) and what each receiver read. The kernel does not say where a
/// run's bytes went or where its message began, so runs are drawn in order and the flows are the receivers' totals.
/// </summary>
public static class KernelExplain
{
    public static ExplainPicture FromResult(Scenario scenario, string? input, ScenarioResult result, string profile, string engine = "kernel")
    {
        var sends = new List<ExplainSend>();
        long offset = 0;
        foreach (var s in result.Sends)
        {
            sends.Add(new ExplainSend(sends.Count, offset, s.Len, s.Rc));
            offset += s.Rc > 0 ? s.Rc : s.Len;
        }
        var p = scenario.Program;
        var runs = result.Runs.Select((r, i) => new ExplainRun
        {
            Index = i, Sock = "c1", Size = r.Size, SizeAfter = r.Size, Len = r.Len,
            Verdict = r.Verdict == SkAction.Drop ? "drop" : p.Action == ScenarioAction.Redirect ? "redirect" : "pass",
            // The contract's map: c1 at key 0, p2 at key 1.
            RedirectTo = r.Verdict != SkAction.Drop && p.Action == ScenarioAction.Redirect ? p.RedirectKey switch { 0 => "c1", 1 => "p2", _ => null } : null,
            Ingress = p.Ingress && p.Action == ScenarioAction.Redirect,
            ApplyRequested = p.Apply, CorkRequested = p.Cork,
            Helpers = Helpers(p, r),
            Md = new Dictionary<string, string>
            {
                ["size"] = r.Size.ToString(), ["data_end - data (after helpers)"] = r.Len.ToString(), ["source"] = "trace_map row",
            },
        }).ToList();
        return new ExplainPicture
        {
            Title = scenario.Name, Engine = engine, Profile = profile, Input = input, Sender = "c1",
            StreamBytes = offset, MessageBytes = offset, Sends = sends, Runs = runs, RunsTotal = result.RunsTotal,
            FlowsKnown = false,
            Receivers = ScenarioExplain.Receivers(result).Select(r => new ExplainReceiver(r.Name, r.Read, r.Fnv, null, null)).ToList(),
            Warnings = ScenarioExplain.Warnings(scenario, result),
        };
    }

    /// <summary>The helper calls the contract's program makes for this configuration, with the recorded return values.</summary>
    private static List<ExplainHelperCall> Helpers(ProgramSpec p, ProgramRun r)
    {
        var h = new List<ExplainHelperCall>();
        if (p.Apply != 0) h.Add(new("msg_apply_bytes", $"{p.Apply}", r.Apply, r.Apply < 0));
        if (p.Cork != 0) h.Add(new("msg_cork_bytes", $"{p.Cork}", r.Cork, r.Cork < 0));
        if (p.PullEnd != 0) h.Add(new("msg_pull_data", $"{p.PullStart}, {p.PullEnd}, 0", r.Pull, r.Pull < 0));
        if (p.PushLen != 0) h.Add(new("msg_push_data", $"{p.PushStart}, {p.PushLen}, 0", r.Push, r.Push < 0));
        if (p.PopLen != 0) h.Add(new("msg_pop_data", $"{p.PopStart}, {p.PopLen}, 0", r.Pop, r.Pop < 0));
        return h;
    }

    /// <summary>Kernel and simulation side by side: the contract's field differences, runs marked where they differ.</summary>
    public static IReadOnlyList<ExplainDifference> Compare(Scenario scenario, ScenarioResult kernel, ScenarioResult simulation) =>
        ResultDiff.Compare(scenario, kernel, simulation).Select(d => new ExplainDifference(d.Field, d.Expected, d.Actual)).ToList();

    /// <summary>The runs to outline in both pictures: those with a differing field, and those only one side has.</summary>
    public static IReadOnlySet<long> DifferingRuns(IReadOnlyList<ExplainDifference> diffs, ScenarioResult kernel, ScenarioResult simulation)
    {
        var runs = new HashSet<long>();
        foreach (var d in diffs)
            if (d.Field.StartsWith("runs[", StringComparison.Ordinal) && long.TryParse(d.Field[5..d.Field.IndexOf(']')], out long i)) runs.Add(i);
        for (long i = Math.Min(kernel.Runs.Count, simulation.Runs.Count); i < Math.Max(kernel.Runs.Count, simulation.Runs.Count); i++) runs.Add(i);
        return runs;
    }
}
