using System.CommandLine;
using SockActors.Host.Configuration;
using SockActors.Host.Explain;
using SockActors.Model.Bpf;
using SockActors.Model.Scenarios;

namespace SockActors.Host.Commands;

/// <summary>
/// `sockactors explain`: one scenario (a JSON line as an argument or on stdin, or --program FILE.o with --sends) as a
/// self-contained HTML picture of how the program cut the byte stream (or its data with --json). The simulation
/// draws it by default; --engine kernel draws the live kernel's trace; --compare draws both and marks differences.
/// </summary>
public static class ExplainCommand
{
    public static Command Create(CommonOptions common, HostContext ctx)
    {
        var line = new Argument<string?>("scenario") { Description = "A scenario JSON line (or an observed line); read from stdin when absent", Arity = ArgumentArity.ZeroOrOne };
        var program = new Option<string?>("--program") { Description = "A compiled BPF object (FILE.o with sock_map, cfg_map, trace_map and one sk_msg program) to run on the simulation's BPF VM" };
        var sends = new Option<string?>("--sends") { Description = "Instead of a scenario line: the send sizes, e.g. 100,200 (a pass scenario; with --program the object runs with a zeroed configuration)" };
        var mode = new Option<string?>("--mode") { Description = "With --sends: sendmsg (default) or sendfile" };
        var output = new Option<string?>("--output", "-o") { Description = "Write the HTML (or JSON) to FILE instead of stdout" };
        var json = new Option<bool>("--json") { Description = "Write the picture's data as JSON instead of HTML" };
        var compare = new Option<bool>("--compare") { Description = "Run the scenario on the live kernel and the simulation, draw both and mark where they differ" };
        var command = new Command("explain", "Draw one scenario as a self-contained HTML picture: sends, program runs, where the bytes went")
        {
            line, program, sends, mode, output, json, compare,
        };
        command.SetAction(parse => Execute(common.Settings(parse, ctx), parse.GetValue(common.Engine), ctx, new Request(
            parse.GetValue(line), parse.GetValue(program), parse.GetValue(sends), parse.GetValue(mode),
            parse.GetValue(output), parse.GetValue(json), parse.GetValue(compare))));
        return command;
    }

    public sealed record Request(string? Line, string? Program, string? Sends, string? Mode, string? Output, bool Json, bool Compare);

    public static int Execute(HostSettings settings, string? engineOption, HostContext ctx, Request req)
    {
        var (scenario, input) = ReadScenario(req, ctx);
        var faults = new List<BpfFault>();
        IScenarioProgramFactory? program = req.Program is null ? null : BpfProgramFile.Load(req.Program, faults.Add);
        // explain draws the simulation unless the kernel is asked for: the actor runtime runs the same model.
        string engine = engineOption ?? "model";
        bool kernel = string.Equals(engine, "kernel", StringComparison.OrdinalIgnoreCase);
        if (!kernel && !string.Equals(engine, "model", StringComparison.OrdinalIgnoreCase))
            throw new HostException($"explain draws --engine model or --engine kernel, not '{engine}'");
        if ((kernel || req.Compare) && program is not null)
            throw new HostException("--program runs on the simulation's BPF VM; the kernel loads bpf/sk_msg_scenario.bpf.c itself (drop --engine kernel / --compare)");

        var pictures = new List<ExplainPicture>();
        var differing = new HashSet<long>();
        if (kernel || req.Compare)
        {
            var kernelResult = RunOnKernel(scenario, settings, ctx);
            var kernelPicture = KernelExplain.FromResult(scenario, input, kernelResult, settings.Profile.Name);
            if (req.Compare)
            {
                var (sim, simResult) = ScenarioExplain.Simulate(scenario, input, program, settings.Profile);
                var diffs = KernelExplain.Compare(scenario, kernelResult, simResult);
                differing.UnionWith(KernelExplain.DifferingRuns(diffs, kernelResult, simResult));
                pictures.Add(kernelPicture with { Differences = diffs });
                pictures.Add(sim with { Differences = diffs });
            }
            else pictures.Add(kernelPicture);
        }
        else
        {
            pictures.Add(ScenarioExplain.Simulate(scenario, input, program, settings.Profile).Picture);
        }
        foreach (var g in faults.GroupBy(f => (f.Program, f.InstructionIndex, f.Message)))
            ctx.Err.WriteLine($"sockactors: explain {scenario.Name}: {g.First()} (verdict SK_DROP; {g.Count()} runs)");

        string text = req.Json ? ExplainJson.Serialize(pictures) + "\n" : ExplainDocument.Scenario(pictures, differing);
        if (req.Output is null) ctx.Out.Write(text);
        else
        {
            try
            {
                File.WriteAllText(req.Output, text);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or DirectoryNotFoundException)
            {
                throw new HostException($"--output {req.Output}: cannot write it: {e.Message.ReplaceLineEndings(" ")}");
            }
            ctx.Err.WriteLine($"sockactors: wrote {req.Output}");
        }
        return ExitCodes.Ok;
    }

    private static ScenarioResult RunOnKernel(Scenario scenario, HostSettings settings, HostContext ctx)
    {
        var engine = ctx.Engines.Create("kernel", settings);
        try
        {
            return engine.Run(scenario, settings.Profile);
        }
        finally
        {
            (engine as IDisposable)?.Dispose();
        }
    }

    /// <summary>The scenario part of the line as given (an observed line also carries the kernel's result).</summary>
    private static string ScenarioText(string line)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(line);
        return doc.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object && doc.RootElement.TryGetProperty("scenario", out var s)
            ? s.GetRawText()
            : line.Trim();
    }

    /// <summary>The scenario: the argument or the first non-blank stdin line, or --program with --sends.</summary>
    private static (Scenario, string?) ReadScenario(Request req, HostContext ctx)
    {
        if (req.Sends is not null)
        {
            if (req.Line is not null) throw new HostException("give a scenario line or --sends, not both");
            var sizes = new List<int>();
            foreach (var part in req.Sends.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                if (!int.TryParse(part, out int n) || n <= 0) throw new HostException($"--sends: '{part}' is not a positive byte count");
                else sizes.Add(n);
            if (sizes.Count == 0) throw new HostException("--sends: no send sizes given");
            var mode = req.Mode?.ToLowerInvariant() switch
            {
                null or "sendmsg" => SendMode.SendMsg,
                "sendfile" => SendMode.SendFile,
                _ => throw new HostException($"--mode: '{req.Mode}' is neither sendmsg nor sendfile"),
            };
            string name = req.Program is null ? "explain" : Path.GetFileNameWithoutExtension(req.Program);
            return (new Scenario { Name = name, Mode = mode, Sends = sizes }, null);
        }
        if (req.Mode is not null) throw new HostException("--mode goes with --sends");
        // The argument takes any token, so an unknown option would arrive here as the scenario.
        if (req.Line is { } arg && arg.StartsWith('-')) throw new HostException($"unknown option '{arg}' (see 'sockactors explain --help')");
        string? line = req.Line;
        if (line is null)
        {
            string? l;
            while ((l = ctx.In.ReadLine()) is not null)
                if (!string.IsNullOrWhiteSpace(l)) { line = l; break; }
        }
        if (line is null) throw new HostException("no scenario: give a JSON line as the argument or on stdin, or --program FILE.o --sends 100,200");
        try
        {
            return (ScenarioJson.ParseScenario(line), ScenarioText(line));
        }
        catch (ScenarioFormatException e)
        {
            throw new HostException($"scenario line: {e.Message.ReplaceLineEndings(" ")}");
        }
    }
}
