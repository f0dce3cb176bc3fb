using System.CommandLine;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using SockActors.Host.Configuration;
using SockActors.Kernel;
using SockActors.Kernel.Conformance;
using SockActors.Model.Scenarios;

namespace SockActors.Host.Commands;

/// <summary>
/// `sockactors conformance --kernel`: each scenario on the live kernel and on the simulation, differences field by field
/// (<see cref="KernelConformance.Compare"/>); exit 1 on a difference that is not in <see cref="DivergenceCatalogue"/>.
/// `sockactors conformance record`: observed lines for the running kernel (<see cref="KernelConformance.Record"/>).
/// Where the kernel cannot run scenarios both print "skipped: reason" and exit 0. Runaway-capable scenarios never run
/// on the kernel: they are listed, and the simulation must report a runaway for them.
/// </summary>
public static class KernelConformanceCommand
{
    /// <summary>Kernel runs a scenario may take before a difference counts (timing at the edge of the read windows).</summary>
    public const int Attempts = 3;

    public static Command CreateRecord(CommonOptions common, HostContext ctx)
    {
        var scenarios = new Option<string?>("--scenarios") { Description = "Scenario lines (bare or observed) to record; default: the published scenarios" };
        var random = new Option<long?>("--random") { Description = "Random scenarios from this seed (runaway-capable ones left out)" };
        var count = new Option<int>("--count") { Description = "With --random: how many (default 100)", DefaultValueFactory = _ => 100 };
        var output = new Option<string?>("--out") { Description = "Write the observed lines to FILE (default stdout)" };
        var families = FamiliesOption();
        var receive = ReceiveOption();
        var command = new Command("record", "Run scenarios on the live kernel and write observed lines {name, scenario, kernel, result}")
        {
            scenarios, random, count, output, families, receive,
        };
        command.SetAction(parse =>
        {
            var settings = common.Settings(parse, ctx);
            var source = Source(parse.GetValue(scenarios), parse.GetValue(random), parse.GetValue(count), settings, parse.GetValue(families), parse.GetValue(receive));
            return Record(source, parse.GetValue(output), ctx);
        });
        return command;
    }

    /// <summary>--families: draw random scenarios from the families where kernel and simulation have differed.</summary>
    public static Option<bool> FamiliesOption() => new("--families")
    {
        Description = "With --random: draw mostly from the families where kernel and simulation have differed (drop after apply, apply below/above cork, megabyte sends, sendfile with pops); scenarios are named families-SEED-N",
    };

    /// <summary>--receive: draw random scenarios from the receive half (SK_SKB, SOCK_OPS).</summary>
    public static Option<bool> ReceiveOption() => new("--receive")
    {
        Description = "With --random: draw every scenario from the receive half (SK_SKB parsers and verdicts, SOCK_OPS, redirects between the halves); scenarios are named receive-SEED-N",
    };

    /// <summary>The scenarios: a file of scenario lines, random ones, or by default the published file's.</summary>
    public static (string Description, IReadOnlyList<Scenario> Scenarios) Source(string? file, long? seed, int count, HostSettings settings, bool families = false, bool receive = false)
    {
        if (file is not null && seed is not null) throw new HostException("give either --scenarios FILE or --random SEED, not both");
        if (families && seed is null) throw new HostException("--families goes with --random SEED");
        if (receive && seed is null) throw new HostException("--receive goes with --random SEED");
        if (families && receive) throw new HostException("give either --families or --receive, not both");
        if (seed is { } s)
        {
            if (count < 1) throw new HostException($"--count must be at least 1, got {count}");
            string kind = families ? "random scenarios (families mode)" : receive ? "random scenarios (receive half)" : "random scenarios";
            return ($"{count} {kind} (seed {s})", new RandomScenarioGenerator(s) { Families = families, ReceiveHalf = receive }.Take(count).ToList());
        }
        string path = file is not null
            ? (File.Exists(file) ? file : throw new HostException($"scenario file {file} does not exist"))
            : ConformanceCommand.FindDefault(settings.ConformanceScenarios);
        var list = new List<Scenario>();
        int lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                list.Add(ScenarioJson.ParseScenario(line));
            }
            catch (ScenarioFormatException e)
            {
                throw new HostException($"{path}:{lineNo}: not a scenario line: {e.Message}");
            }
        }
        return (path, list);
    }

    public static int Execute(HostSettings settings, (string Description, IReadOnlyList<Scenario> Scenarios) source, bool json, HostContext ctx,
        string? campaignLog = null)
    {
        string simName = string.Equals(settings.Engine, "kernel", StringComparison.OrdinalIgnoreCase) ? "model" : settings.Engine;
        var (available, reason) = KernelSupport.Probe();
        if (!available)
        {
            ctx.Out.WriteLine(json ? Json(w => { w.WriteBoolean("skipped", true); w.WriteString("reason", reason); }) : $"skipped: {reason}");
            return ExitCodes.Ok;
        }
        var simulation = ctx.Engines.Create(simName, settings);
        using var campaign = campaignLog is null ? null : CampaignLog.Open(campaignLog, source.Scenarios.Count, new StderrCampaignProgress(ctx.Err));
        try
        {
            ConformanceReport report;
            using var bar = Progress.For(ctx, source.Scenarios.Count, "kernel vs simulation");
            try
            {
                report = KernelConformance.Compare(source.Scenarios, s => WithTimerEdge(s, simulation.Run(s, settings.Profile), settings),
                    progress: c =>
                    {
                        bar.Clear();
                        Print(c, json, simulation.Name, ctx.Out);
                        campaign?.Add(c);
                        bar.Advance(c.Scenario.Name);
                    },
                    attempts: Attempts, skip: campaign is null ? null : s => campaign.Done(s.Name));
                bar.Clear();
            }
            catch (KernelUnavailableException e)
            {
                ctx.Out.WriteLine($"skipped: {e.Message}");
                return ExitCodes.Ok;
            }
            catch (KernelDriverException e)
            {
                throw new HostException($"the kernel driver failed: {e.Message}");
            }
            if (!report.KernelAvailable)
            {
                ctx.Out.WriteLine(json ? Json(w => { w.WriteBoolean("skipped", true); w.WriteString("reason", report.SkipReason); }) : $"skipped: {report.SkipReason}");
                return ExitCodes.Ok;
            }
            if (campaign is not null)
            {
                ctx.Out.WriteLine(campaign.Summary(source.Description, report.Kernel, simulation.Name));
                return campaign.Failures == 0 ? ExitCodes.Ok : ExitCodes.Failed;
            }
            int notRun = report.Scenarios.Count(c => !c.KernelRan);
            int agree = report.Scenarios.Count(c => c.Agrees);
            int catalogued = report.Scenarios.Count(c => !c.Agrees && c.Catalogued is not null);
            if (json)
            {
                ctx.Out.WriteLine(Json(w =>
                {
                    w.WriteString("summary", source.Description);
                    w.WriteString("kernel", report.Kernel);
                    w.WriteString("simulation", simulation.Name);
                    w.WriteNumber("scenarios", report.Scenarios.Count);
                    w.WriteNumber("agree", agree);
                    w.WriteNumber("differ", report.Failures);
                    w.WriteNumber("catalogued", catalogued);
                    w.WriteNumber("not_run_on_kernel", notRun);
                }));
            }
            else
            {
                ctx.Out.WriteLine($"{report.Scenarios.Count} scenarios from {source.Description} on {report.Kernel} vs engine {simulation.Name} " +
                                  $"(profile {settings.Profile.Name}): {agree} agree, {report.Failures} differ, {catalogued} differ as catalogued, " +
                                  $"{notRun} not run on the kernel (runaway-capable, simulation only)");
            }
            return report.Failures == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        }
        finally
        {
            (simulation as IDisposable)?.Dispose();
        }
    }

    /// <summary>
    /// Only the sequential model computes p1's other answer at the probe-timer edge (<see cref="ScenarioResult.P1IfHeldArrive"/>);
    /// for another engine's result that agrees with the model on p1, the model's is taken, so that every engine is
    /// judged by the same rule.
    /// </summary>
    private static ScenarioResult WithTimerEdge(Scenario s, ScenarioResult r, HostSettings settings)
    {
        if (r.Runaway || r.P1IfHeldArrive is not null) return r;
        var model = ScenarioRunner.Run(s, profile: settings.Profile);
        return model.P1IfHeldArrive is { } late && model.P1 == r.P1 ? r with { P1IfHeldArrive = late } : r;
    }

    private static void Print(ScenarioComparison c, bool json, string sim, TextWriter o)
    {
        string status = CampaignLog.Status(c);
        if (json)
        {
            o.WriteLine(Json(w =>
            {
                w.WriteString("name", c.Scenario.Name);
                w.WriteString("status", status);
                w.WriteBoolean("kernel_ran", c.KernelRan);
                CampaignLog.WriteJudgement(w, c, sim);
            }));
            o.Flush();
            return;
        }
        string note = !c.KernelRan ? "  (runaway-capable: not run on the kernel; the simulation must report a runaway)"
            : c.Attempts > 1 ? $"  ({c.Attempts} kernel runs, {c.Matching} matching)" : "";
        o.WriteLine($"{status,-8} {c.Scenario.Name}{note}");
        if (c.Note is not null) o.WriteLine($"        {c.Note}");
        if (!c.Agrees)
        {
            if (c.Catalogued is not null) o.WriteLine($"        catalogued: {c.Catalogued}");
            int width = Math.Max(5, c.Differences.Max(d => d.Field.Length));
            o.WriteLine($"        {"field".PadRight(width)}  {"kernel",20}  {sim,20}");
            foreach (var d in c.Differences)
                o.WriteLine($"        {d.Field.PadRight(width)}  {d.Expected,20}  {d.Actual,20}");
        }
        o.Flush();
    }

    public static int Record((string Description, IReadOnlyList<Scenario> Scenarios) source, string? outPath, HostContext ctx)
    {
        var (available, reason) = KernelSupport.Probe();
        if (!available)
        {
            ctx.Out.WriteLine($"skipped: {reason}");
            return ExitCodes.Ok;
        }
        TextWriter writer;
        try
        {
            writer = outPath is null ? ctx.Out : new StreamWriter(outPath, append: false, new UTF8Encoding(false));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HostException($"cannot write {outPath}: {e.Message}");
        }
        // The summary goes to stderr when the lines go to stdout, so that stdout stays a clean observed file.
        var summary = outPath is null ? ctx.Err : ctx.Out;
        RecordReport report;
        // No bar while the observed lines themselves go to the terminal; refused scenarios are not run.
        using var bar = outPath is null && Terminal.IsInteractive(ctx) ? QuietProgress.Instance
            : Progress.For(ctx, source.Scenarios.Count(s => !s.Program.CanRunAwayOnKernel), "recording");
        try
        {
            report = KernelConformance.Record(source.Scenarios, writer, progress: (s, _) => bar.Advance(s.Name));
            bar.Clear();
        }
        catch (KernelDriverException e)
        {
            throw new HostException($"the kernel driver failed: {e.Message}");
        }
        finally
        {
            if (outPath is not null) writer.Dispose();
        }
        if (!report.KernelAvailable)
        {
            summary.WriteLine($"skipped: {report.SkipReason}");
            return ExitCodes.Ok;
        }
        foreach (var name in report.Refused) summary.WriteLine($"not run on the kernel (runaway-capable): {name}");
        summary.WriteLine($"recorded {report.Written} of {source.Scenarios.Count} scenarios from {source.Description} on {report.Kernel}" +
                          (outPath is null ? "" : $" into {outPath}") + $"; {report.Refused.Count} refused as runaway-capable");
        return ExitCodes.Ok;
    }

    private static string Json(Action<Utf8JsonWriter> body)
    {
        var buf = new MemoryStream();
        using (var w = new Utf8JsonWriter(buf, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buf.ToArray());
    }
}
