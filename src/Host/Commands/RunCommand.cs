using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SockActors.Host.Configuration;
using SockActors.Host.Explain;
using SockActors.Host.TestSockmap;

namespace SockActors.Host.Commands;

/// <summary>
/// `sockactors run`: the sockmap_test.sh / test_sockmap matrix on the simulation; exit 1 if any case fails. Piped (or
/// with --verbose), a table with one PASS/FAIL line per case and a summary line; on a terminal, the counts per family
/// and only the failing cases. --html FILE writes the report with a picture per case (<see cref="MatrixReport"/>).
/// </summary>
public static class RunCommand
{
    public static Command Create(CommonOptions common, HostContext ctx)
    {
        var filter = new Option<string?>("--filter") { Description = "Run only the cases whose name contains TEXT" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per case instead of the table" };
        var verbose = new Option<bool>("--verbose") { Description = "On a terminal too, print every case (the line-per-case table that piped output gets)" };
        var html = new Option<string?>("--html") { Description = "Also write the matrix as an HTML report to FILE, with a picture per case in FILE's .cases folder" };
        var command = new Command("run", "Run the sockmap_test.sh / test_sockmap SK_MSG matrix on the simulation") { filter, json, verbose, html };
        command.SetAction(parse => Execute(common.Settings(parse, ctx), ctx,
            new Request(parse.GetValue(filter), parse.GetValue(json), parse.GetValue(verbose), parse.GetValue(html))));
        return command;
    }

    /// <summary>What `run` was asked. <see cref="Adjust"/> changes cases before they run (tests: a deliberate failure
    /// without touching the real matrix).</summary>
    public sealed record Request(string? Filter, bool Json, bool Verbose = false, string? Html = null)
    {
        internal Func<MatrixCase, MatrixCase>? Adjust { get; init; }
    }

    public static int Execute(HostSettings settings, string? filter, bool json, HostContext ctx) =>
        Execute(settings, ctx, new Request(filter, json));

    public static int Execute(HostSettings settings, HostContext ctx, Request req)
    {
        string? filter = req.Filter;
        bool json = req.Json;
        bool pictures = req.Html is not null;
        bool actors = string.Equals(settings.Engine, "actors", StringComparison.OrdinalIgnoreCase);
        if (!actors && !string.Equals(settings.Engine, "model", StringComparison.OrdinalIgnoreCase))
        {
            // The matrix drives sockets call by call in its own topology: the model does it in place, the actor
            // runtime through its socket actors; the live kernel has its own test_sockmap.
            if (!ctx.Engines.Contains(settings.Engine))
                throw new HostException($"unknown engine '{settings.Engine}' (known: {string.Join(", ", ctx.Engines.Names.Order())})");
            throw new HostException($"engine '{settings.Engine}' cannot run the test matrix; use --engine model or --engine actors");
        }
        var cases = Matrix.Build(settings.Profile)
            .Where(c => filter is null || c.Name.Contains(filter, StringComparison.OrdinalIgnoreCase))
            .Select(c => req.Adjust is null ? c : req.Adjust(c)).ToList();
        if (cases.Count == 0) throw new HostException($"no case name contains \"{filter}\"");

        var watch = Stopwatch.StartNew();
        var results = new CaseResult[cases.Count];
        if (actors)
        {
            // One deterministic actor system for the run; each case gets its own kernel actor and runs on this thread.
            using var engine = new Actors.Scenarios.ActorScenarioEngine();
            for (int i = 0; i < cases.Count; i++)
                results[i] = MatrixRunner.Run(cases[i], settings.Profile, settings.Seed, settings.Socket, engine, pictures);
        }
        else
        {
            // Every case has its own simulated kernel; cases run in parallel and print in order.
            Parallel.For(0, cases.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
                i => results[i] = MatrixRunner.Run(cases[i], settings.Profile, settings.Seed, settings.Socket, explain: pictures));
        }

        var warnings = cases.Select(MatrixWarnings.For).ToArray();
        bool terminal = Terminal.IsInteractive(ctx);
        if (json)
            for (int i = 0; i < results.Length; i++) ctx.Out.WriteLine(JsonLine(results[i], warnings[i]));
        else if (req.Verbose || !terminal)
            PrintTable(results, ctx.Out);
        else
            RunSummary.Print(results, Terminal.For(ctx.Out, colours: ReferenceEquals(ctx.Out, Console.Out)));
        // Known kernel defects the cases trip (MatrixWarnings), one line each.
        if (!json)
            for (int i = 0; i < results.Length; i++)
                foreach (var w in warnings[i]) ctx.Out.WriteLine($"warning: {results[i].Case.Name}: {w}");
        int failed = results.Count(r => !r.Passed);
        string summary = $"{results.Length} cases: {results.Length - failed} passed, {failed} failed " +
                         $"(engine {(actors ? "actors" : "model")}, profile {settings.Profile.Name}, seed {settings.Seed}, {watch.Elapsed.TotalSeconds:F1} s)";
        ctx.Out.WriteLine(summary);
        if (req.Html is not null)
        {
            int files;
            try
            {
                files = MatrixReport.Write(req.Html, results, summary);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new HostException($"--html {req.Html}: cannot write it: {e.Message.ReplaceLineEndings(" ")}");
            }
            ctx.Err.WriteLine($"sockactors: wrote {req.Html} and {files - 1} case pictures");
        }
        return failed == 0 ? ExitCodes.Ok : ExitCodes.Failed;
    }

    private static void PrintTable(CaseResult[] results, TextWriter o)
    {
        int nameWidth = Math.Max(4, results.Max(r => r.Case.Name.Length));
        int optWidth = Math.Max(7, results.Max(r => r.Case.Options.ToString().Length));
        o.WriteLine($"{"case".PadRight(nameWidth)}  {"mode",-8}  {"options".PadRight(optWidth)}  {"expected",12}  {"received",12}  {"runs",8}  result");
        foreach (var r in results)
        {
            var c = r.Case;
            string expected = ExpectedText(c);
            string result = r.Passed ? "PASS" : $"FAIL: {r.Reason}";
            o.WriteLine($"{c.Name.PadRight(nameWidth)}  {c.ModeName,-8}  {c.Options.ToString().PadRight(optWidth)}  {expected,12}  {r.BytesReceived,12}  {r.ProgramRuns,8}  {result}");
        }
        o.WriteLine("expected: n = at least n bytes; =n = exactly n (the kernel's behaviour, see the case's note); ~n = cork tolerance (any count, data intact); none = drop");
    }

    /// <summary>The expectation as the table shows it: n at least, =n exactly, ~n cork tolerance, none for a drop.</summary>
    internal static string ExpectedText(MatrixCase c) => c.Rule switch
    {
        BytesRule.Nothing => "none",
        BytesRule.Exact => $"={c.ExpectedBytes.ToString(CultureInfo.InvariantCulture)}",
        BytesRule.CorkTolerant => $"~{c.ExpectedBytes.ToString(CultureInfo.InvariantCulture)}",
        _ => c.ExpectedBytes.ToString(CultureInfo.InvariantCulture),
    };

    private static string JsonLine(CaseResult r, IReadOnlyList<Model.Scenarios.KernelWarning> warnings)
    {
        var c = r.Case;
        return JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["case"] = c.Name,
            ["mode"] = c.ModeName,
            ["options"] = c.Options.ToString(),
            ["rate"] = c.Rate,
            ["iov_count"] = c.IovCount,
            ["iov_length"] = c.IovLength,
            ["rule"] = c.Rule.ToString().ToLowerInvariant(),
            ["bytes_expected"] = c.ExpectedBytes,
            ["bytes_received"] = r.BytesReceived,
            ["program_runs"] = r.ProgramRuns,
            ["sends_ok"] = r.SendsOk,
            ["sends_failed"] = r.SendsFailed,
            ["data_checked"] = c.VerifyData,
            ["data_errors"] = r.DataErrors,
            ["result"] = r.Passed ? "PASS" : "FAIL",
            ["reason"] = r.Reason,
            ["note"] = c.Note,
            ["ms"] = Math.Round(r.Elapsed.TotalMilliseconds, 1),
            ["warnings"] = warnings.Select(w => new Dictionary<string, string> { ["defect"] = w.Defect, ["function"] = w.Function, ["condition"] = w.Condition }).ToList(),
        });
    }
}
