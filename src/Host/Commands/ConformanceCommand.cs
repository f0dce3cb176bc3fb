using System.CommandLine;
using System.Text.Json;
using SockActors.Host.Configuration;
using SockActors.Model.Scenarios;

namespace SockActors.Host.Commands;

/// <summary>
/// `sockactors conformance`: runs the scenarios of an observed file (shared/conformance contract) through an engine and
/// prints every difference field by field (<see cref="ResultDiff"/>); exit 1 on any difference.
/// The expected results come from an <see cref="IConformanceReference"/>: the recorded file today; the live kernel
/// (run each scenario on the "kernel" engine, skipping those that can run away, and compare) plugs in as a second
/// reference.
/// </summary>
public static class ConformanceCommand
{
    public static Command Create(CommonOptions common, HostContext ctx)
    {
        var scenarios = new Option<string?>("--scenarios")
        {
            Description = "Observed file ({name, scenario, kernel, result} lines); default: conformance/observed-linux-6.18.jsonl at the repository root",
        };
        var kernel = new Option<bool>("--kernel")
        {
            Description = "Run each scenario on the live kernel and on the simulation and compare them (skipped, exit 0, where the kernel cannot run scenarios)",
        };
        var random = new Option<long?>("--random") { Description = "With --kernel: random scenarios from this seed instead of a file" };
        var count = new Option<int>("--count") { Description = "With --random: how many scenarios (default 100)", DefaultValueFactory = _ => 100 };
        var json = new Option<bool>("--json") { Description = "With --kernel: one JSON object per scenario and a summary object" };
        var families = KernelConformanceCommand.FamiliesOption();
        var receive = KernelConformanceCommand.ReceiveOption();
        var campaign = new Option<string?>("--campaign")
        {
            Description = "With --kernel: append one line per scenario to FILE and skip the scenarios FILE already has (a resumable campaign); the summary counts the whole file",
        };
        var command = new Command("conformance", "Check an engine against recorded kernel results, or the simulation against the live kernel, field by field")
        {
            scenarios, kernel, random, count, json, families, receive, campaign,
        };
        command.Add(KernelConformanceCommand.CreateRecord(common, ctx));
        command.SetAction(parse =>
        {
            var settings = common.Settings(parse, ctx);
            if (parse.GetValue(kernel))
            {
                var source = KernelConformanceCommand.Source(parse.GetValue(scenarios), parse.GetValue(random), parse.GetValue(count), settings, parse.GetValue(families), parse.GetValue(receive));
                return KernelConformanceCommand.Execute(settings, source, parse.GetValue(json), ctx, parse.GetValue(campaign));
            }
            if (parse.GetValue(random) is not null || parse.GetValue(json) || parse.GetValue(families) || parse.GetValue(receive) || parse.GetValue(campaign) is not null)
                throw new HostException("--random, --families, --receive, --campaign and --json go with --kernel (the recorded file has its own scenarios)");
            string path = parse.GetValue(scenarios) is { } given ? RequireFile(given) : FindDefault(settings.ConformanceScenarios);
            return Execute(settings, new ObservedFileReference(path), ctx);
        });
        return command;
    }

    public static int Execute(HostSettings settings, IConformanceReference reference, HostContext ctx)
    {
        var cases = reference.Load();
        var engine = ctx.Engines.Create(settings.Engine, settings);
        try
        {
            int same = 0, differ = 0;
            foreach (var c in cases)
            {
                var actual = engine.Run(c.Scenario, settings.Profile);
                var diffs = ResultDiff.Compare(c.Scenario, c.Expected, actual);
                if (diffs.Count == 0)
                {
                    same++;
                    ctx.Out.WriteLine($"ok    {c.Scenario.Name}");
                    continue;
                }
                differ++;
                ctx.Out.WriteLine($"DIFF  {c.Scenario.Name} (line {c.Line})");
                foreach (var d in diffs)
                    ctx.Out.WriteLine($"        {d.Field}: expected {d.Expected}, {engine.Name} gave {d.Actual}");
            }
            ctx.Out.WriteLine($"{cases.Count} scenarios from {reference.Description}: {same} match, {differ} differ " +
                              $"(engine {engine.Name}, profile {settings.Profile.Name})");
            return differ == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        }
        finally
        {
            (engine as IDisposable)?.Dispose();
        }
    }

    private static string RequireFile(string path) =>
        File.Exists(path) ? path : throw new HostException($"scenario file {path} does not exist");

    /// <summary>The configured path as given if it exists, else searched from the executable's directory upwards and
    /// then from the current directory upwards (the repository root holds conformance/).</summary>
    public static string FindDefault(string relative)
    {
        if (Path.IsPathRooted(relative)) return RequireFile(relative);
        if (File.Exists(relative)) return Path.GetFullPath(relative);
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, relative);
                if (File.Exists(candidate)) return candidate;
            }
        }
        throw new HostException($"cannot find {relative} above {AppContext.BaseDirectory} or {Directory.GetCurrentDirectory()}; give --scenarios FILE");
    }
}

/// <summary>One scenario with the result the engine must reproduce.</summary>
public sealed record ConformanceCase(int Line, Scenario Scenario, ScenarioResult Expected);

/// <summary>Where the expected results come from.</summary>
public interface IConformanceReference
{
    string Description { get; }
    IReadOnlyList<ConformanceCase> Load();
}

/// <summary>A recorded file of observed lines; a line that is not one is a usage error naming the line.</summary>
public sealed class ObservedFileReference(string path) : IConformanceReference
{
    public string Description => path;

    public IReadOnlyList<ConformanceCase> Load()
    {
        var cases = new List<ConformanceCase>();
        int lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                var (scenario, result, _) = ScenarioJson.ParseObserved(line);
                cases.Add(new ConformanceCase(lineNo, scenario, result));
            }
            catch (Exception e) when (e is ScenarioFormatException or JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new HostException($"{path}:{lineNo}: not an observed line: {e.Message}");
            }
        }
        return cases;
    }
}
