using System.CommandLine;
using SockActors.Host.Configuration;

namespace SockActors.Host.Commands;

/// <summary>
/// Options every command takes. Each one that is given becomes a command-line configuration setting, the layer that
/// overrides hocon.conf and the environment.
/// </summary>
public sealed class CommonOptions
{
    public Option<string?> Engine { get; } = new("--engine")
    {
        Description = "Engine that runs the scenarios (configuration key sockactors:engine; default actors); for bench: model, kernel, actors or all (default all)",
        Recursive = true,
    };

    public Option<string?> Profile { get; } = new("--profile")
    {
        Description = "Kernel profile: linux-6.18 or linux-4.17 (sockactors:profile)",
        Recursive = true,
    };

    public Option<string?> Config { get; } = new("--config")
    {
        Description = "HOCON file to read instead of the hocon.conf next to the executable",
        Recursive = true,
    };

    public Option<string[]> Set { get; } = new("--set")
    {
        Description = "Override any configuration key, e.g. --set sockactors:seed=7 (repeatable)",
        Recursive = true,
        Arity = ArgumentArity.ZeroOrMore,
    };

    public void AddTo(Command root)
    {
        root.Add(Engine);
        root.Add(Profile);
        root.Add(Config);
        root.Add(Set);
    }

    /// <summary>Builds the settings: hocon.conf &lt; SOCKACTORS_ environment &lt; command line.</summary>
    public HostSettings Settings(ParseResult parse, HostContext ctx)
    {
        var commandLine = new List<string>(parse.GetValue(Set) ?? []);
        if (parse.GetValue(Engine) is { } engine) commandLine.Add($"sockactors:engine={engine}");
        if (parse.GetValue(Profile) is { } profile) commandLine.Add($"sockactors:profile={profile}");
        var configuration = HostConfiguration.Build(parse.GetValue(Config), commandLine, ctx.Environment);
        return HostSettings.From(configuration);
    }
}
