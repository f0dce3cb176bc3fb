using System.CommandLine;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using SockActors.Host.Engines;
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
        var command = new Command("scenario", "Run scenario JSON lines from stdin; write one result line per scenario to stdout");
        command.SetAction(parse => Execute(common.Settings(parse, ctx), ctx));
        return command;
    }

    public static int Execute(Configuration.HostSettings settings, HostContext ctx)
    {
        var engine = ctx.Engines.Create(settings.Engine, settings);
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
                    result = engine.Run(scenario, settings.Profile);
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
