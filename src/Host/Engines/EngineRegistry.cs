using SockActors.Host.Configuration;

namespace SockActors.Host.Engines;

/// <summary>
/// The engines the host knows by name. Registering one is one line in <see cref="Default"/>:
/// <c>.Register("actors", "the Akka.NET actor runtime", s =&gt; new ActorEngine(s))</c>.
/// The factory may throw <see cref="EngineUnavailableException"/> when the engine cannot run on this machine.
/// </summary>
public sealed class EngineRegistry
{
    private readonly Dictionary<string, (string Description, Func<HostSettings, IScenarioEngine> Factory)> _engines =
        new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The engines of this build.</summary>
    public static EngineRegistry Default { get; } = new EngineRegistry()
        .Register("model", "the sequential reference engine over src/Model", _ => new ModelEngine())
        .Register("actors", "the Akka.NET actor runtime (deterministic mode)", _ => new ActorEngine())
        .Register("kernel", "the live Linux kernel (needs root, libbpf and clang)", _ => KernelEngine.Create());

    public EngineRegistry Register(string name, string description, Func<HostSettings, IScenarioEngine> factory)
    {
        _engines[name] = (description, factory);
        return this;
    }

    public IReadOnlyCollection<string> Names => _engines.Keys;

    public bool Contains(string name) => _engines.ContainsKey(name);

    /// <summary>Creates the engine named <paramref name="name"/>; an unknown or unavailable engine is a <see cref="HostException"/>.</summary>
    public IScenarioEngine Create(string name, HostSettings settings)
    {
        if (!_engines.TryGetValue(name, out var entry))
            throw new HostException($"unknown engine '{name}' (known: {string.Join(", ", _engines.Keys.Order())})");
        try
        {
            return entry.Factory(settings);
        }
        catch (EngineUnavailableException e)
        {
            throw new HostException($"engine '{name}' is not available here: {e.Message}");
        }
    }
}
