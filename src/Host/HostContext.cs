using SockActors.Host.Configuration;
using SockActors.Host.Engines;

namespace SockActors.Host;

/// <summary>What a command runs with: the process's streams, its environment and the engines of this build.</summary>
public sealed class HostContext(TextReader stdin, TextWriter stdout, TextWriter stderr,
    IReadOnlyDictionary<string, string>? environment, EngineRegistry engines)
{
    public TextReader In { get; } = stdin;
    public TextWriter Out { get; } = stdout;
    public TextWriter Err { get; } = stderr;

    /// <summary>Replaces the process environment when set (tests).</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; } = environment;

    public EngineRegistry Engines { get; } = engines;
}
