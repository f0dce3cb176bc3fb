using Akka.Configuration;
using Akka.Configuration.Hocon;
using Microsoft.Extensions.Configuration;

namespace SockActors.Host.Configuration;

/// <summary>
/// Builds the host's configuration in three layers, later ones winning: config/hocon.conf (Akka's HOCON parser,
/// flattened into Microsoft.Extensions.Configuration keys, "a.b.c" becoming "a:b:c"), environment variables with the
/// prefix SOCKACTORS_ ("SOCKACTORS_sockactors__profile" is "sockactors:profile"), then command-line settings.
/// </summary>
public static class HostConfiguration
{
    public const string FileName = "hocon.conf";
    public const string EnvironmentPrefix = "SOCKACTORS_";

    /// <summary>The hocon.conf next to the executable (the build copies it there).</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, FileName);

    /// <summary>
    /// Loads <paramref name="hoconPath"/> (default: next to the executable), then the environment, then
    /// <paramref name="commandLine"/> ("key=value" with ':'-separated keys, read by the CommandLine provider).
    /// <paramref name="environment"/> replaces the process environment (tests); null reads the real one.
    /// </summary>
    public static IConfigurationRoot Build(string? hoconPath, IReadOnlyList<string> commandLine,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        foreach (var setting in commandLine)
        {
            int eq = setting.IndexOf('=');
            if (eq <= 0) throw new HostException($"a setting must look like key=value (e.g. sockactors:seed=7), got \"{setting}\"");
        }
        var builder = new ConfigurationBuilder();
        builder.AddInMemoryCollection(ReadHocon(hoconPath ?? DefaultPath, explicitPath: hoconPath is not null));
        if (environment is null)
            builder.AddEnvironmentVariables(EnvironmentPrefix);
        else
            builder.AddInMemoryCollection(FromEnvironment(environment));
        builder.AddCommandLine(commandLine.ToArray());
        return builder.Build();
    }

    /// <summary>Reads and flattens one HOCON file; a missing or malformed file is a <see cref="HostException"/> naming it.</summary>
    public static IReadOnlyDictionary<string, string?> ReadHocon(string path, bool explicitPath = true)
    {
        if (!File.Exists(path))
        {
            // Without its defaults file the host still knows its built-in defaults; only a file the user named must exist.
            if (!explicitPath) return new Dictionary<string, string?>();
            throw new HostException($"configuration file {path} does not exist");
        }
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HostException($"cannot read configuration file {path}: {e.Message}");
        }
        return ParseHocon(text, path);
    }

    /// <summary>Parses HOCON text and flattens it; <paramref name="source"/> names the text in error messages.</summary>
    public static IReadOnlyDictionary<string, string?> ParseHocon(string text, string source)
    {
        if (HoconSyntaxCheck.FindProblem(text) is { } problem)
            throw new HostException($"malformed configuration file {source}: {problem}");
        Config config;
        try
        {
            config = ConfigurationFactory.ParseString(text);
        }
        catch (Exception e)
        {
            // Akka's parser throws ConfigurationException, FormatException and others; all mean "this file is wrong".
            throw new HostException($"malformed configuration file {source}: {OneLine(e.Message)}");
        }
        var result = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        try
        {
            if (config.Root is { } root && root.IsObject()) Flatten(root, "", result);
        }
        catch (Exception e)
        {
            throw new HostException($"malformed configuration file {source}: {OneLine(e.Message)}");
        }
        return result;
    }

    private static void Flatten(HoconValue value, string prefix, Dictionary<string, string?> into)
    {
        if (value.IsObject())
        {
            foreach (var (key, child) in value.GetObject().Items)
                Flatten(child, prefix.Length == 0 ? key : $"{prefix}:{key}", into);
        }
        else if (value.IsArray())
        {
            int i = 0;
            foreach (var item in value.GetArray())
                Flatten(item, $"{prefix}:{i++}", into);
        }
        else
        {
            into[prefix] = value.GetString();
        }
    }

    private static IEnumerable<KeyValuePair<string, string?>> FromEnvironment(IReadOnlyDictionary<string, string> env) =>
        env.Where(kv => kv.Key.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase))
           .Select(kv => new KeyValuePair<string, string?>(kv.Key[EnvironmentPrefix.Length..].Replace("__", ":"), kv.Value));

    private static string OneLine(string s) => string.Join(" ", s.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
