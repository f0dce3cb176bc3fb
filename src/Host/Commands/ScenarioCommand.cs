using System.CommandLine;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using SockActors.Host.Engines;
using SockActors.Model.Bpf;
using SockActors.Model.Scenarios;

namespace SockActors.Host.Commands;

/// <summary>
/// `sockactors scenario`: scenario JSON lines on stdin (bare scenarios or observed lines), one result line per
/// scenario on stdout. A line that does not follow the contract gets {"line", "name", "error"} instead, the other
/// lines still run, and the exit code is 2. Blank lines are skipped.
/// </summary>
public static class ScenarioCommand
{
    public static Command Create(CommonOptions common, HostContext ctx)
    {
        var program = new Option<string?>("--program")
        {
            Description = "A compiled BPF object (FILE.o with sock_map, cfg_map, trace_map and one sk_msg program) to run as the scenario program on the simulation's BPF VM",
        };
        var command = new Command("scenario", "Run scenario JSON lines from stdin; write one result line per scenario to stdout") { program };
        command.SetAction(parse => Execute(common.Settings(parse, ctx), ctx, parse.GetValue(program)));
        return command;
    }

    public static int Execute(Configuration.HostSettings settings, HostContext ctx, string? programPath = null)
    {
        var faults = new List<BpfFault>();
        BpfScenarioProgramFactory? factory = programPath is null ? null : BpfProgramFile.Load(programPath, faults.Add);
        var engine = ctx.Engines.Create(settings.Engine, settings);
        if (factory is not null)
        {
            if (engine is not IProgramEngine withProgram)
            {
                (engine as IDisposable)?.Dispose();
                throw new HostException(string.Equals(settings.Engine, "kernel", StringComparison.OrdinalIgnoreCase)
                    ? "--program runs a BPF object on the simulation's BPF VM; the kernel engine loads bpf/sk_msg_scenario.bpf.c itself (use --engine model)"
                    : $"engine '{engine.Name}' cannot run a --program object (use --engine model)");
            }
            engine = withProgram.WithProgram(factory);
        }
        try
        {
            int exit = ExitCodes.Ok;
            int lineNo = 0;
            string? line;
            while ((line = ctx.In.ReadLine()) is not null)
            {
                lineNo++;
                if (string.IsNullOrWhiteSpace(line)) continue;
                Scenario scenario;
                try
                {
                    scenario = ScenarioJson.ParseScenario(line);
                }
                catch (ScenarioFormatException e)
                {
                    ctx.Out.WriteLine(ErrorLine(lineNo, e.ScenarioName, e.Message));
                    exit = Math.Max(exit, ExitCodes.Usage);
                    continue;
                }
                ScenarioResult result;
                try
                {
                    faults.Clear();
                    result = KernelDefects.AnnotateWithModelCork(scenario, engine.Run(scenario, settings.Profile));
                    ReportFaults(scenario.Name, faults, ctx.Err);
                    foreach (var warning in result.Warnings) ctx.Err.WriteLine($"sockactors: scenario {scenario.Name}: warning: {warning}");
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // One scenario that breaks the engine must not hide the results of the others.
                    ctx.Out.WriteLine(ErrorLine(lineNo, scenario.Name, $"internal error in engine {engine.Name}: {e.GetType().Name}: {e.Message}"));
                    exit = exit == ExitCodes.Usage ? exit : ExitCodes.Failed;
                    continue;
                }
                ctx.Out.WriteLine(ScenarioJson.ResultLine(scenario.Name, result));
                ctx.Out.Flush();
            }
            return exit;
        }
        finally
        {
            (engine as IDisposable)?.Dispose();
        }
    }

    /// <summary>One stderr line per distinct fault of the scenario's program runs (the faulting run's verdict is SK_DROP,
    /// the scenario goes on and still gives its result).</summary>
    private static void ReportFaults(string scenario, List<BpfFault> faults, TextWriter err)
    {
        foreach (var g in faults.GroupBy(f => (f.Program, f.InstructionIndex, f.Location, f.Message)))
        {
            int n = g.Count();
            err.WriteLine($"sockactors: scenario {scenario}: {g.First()} (verdict SK_DROP; {n} run{(n == 1 ? "" : "s")})");
        }
        err.Flush();
    }

    /// <summary>{"line": N, "name": "..." or null, "error": "..."}</summary>
    public static string ErrorLine(int line, string? name, string error)
    {
        var buf = new MemoryStream();
        using (var w = new Utf8JsonWriter(buf, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteNumber("line", line);
            if (name is null) w.WriteNull("name"); else w.WriteString("name", name);
            w.WriteString("error", error.ReplaceLineEndings(" "));
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buf.ToArray());
    }
}
