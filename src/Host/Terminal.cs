using Spectre.Console;

namespace SockActors.Host;

/// <summary>
/// Whether a command talks to a person (tables, colours, progress bars) or to a script (plain lines, exactly as
/// before). Output is a terminal when it is the process's own console and not redirected; SOCKACTORS_TERMINAL=1 or 0
/// forces the answer (tests, or a script that wants the summary).
/// </summary>
public static class Terminal
{
    public const string ForceVariable = "SOCKACTORS_TERMINAL";

    public static bool IsInteractive(HostContext ctx, bool stderr = false)
    {
        string? force = ctx.Environment is { } env ? env.GetValueOrDefault(ForceVariable) : Environment.GetEnvironmentVariable(ForceVariable);
        if (force == "1") return true;
        if (force == "0") return false;
        return stderr
            ? ReferenceEquals(ctx.Err, System.Console.Error) && !System.Console.IsErrorRedirected
            : ReferenceEquals(ctx.Out, System.Console.Out) && !System.Console.IsOutputRedirected;
    }

    /// <summary>A Spectre console over <paramref name="writer"/>: colours only where it is the real terminal.</summary>
    public static IAnsiConsole For(TextWriter writer, bool colours)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = colours ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = colours ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = colours ? InteractionSupport.Detect : InteractionSupport.No,
        });
        // A writer that is not the console has no width of its own; case names are long.
        if (!colours) console.Profile.Width = 200;
        return console;
    }
}
