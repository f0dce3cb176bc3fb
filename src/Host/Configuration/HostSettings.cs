using System.Globalization;
using Microsoft.Extensions.Configuration;
using SockActors.Model.Kernel;
using SockActors.Model.Net;

namespace SockActors.Host.Configuration;

/// <summary>The typed view of the "sockactors" section that the commands use.</summary>
public sealed record HostSettings
{
    public string Engine { get; init; } = "actors";
    public KernelProfile Profile { get; init; } = KernelProfile.Linux618;
    public long Seed { get; init; } = 1;
    public SockDefaults Socket { get; init; } = new();
    public string ConformanceScenarios { get; init; } = "conformance/observed-linux-6.18.jsonl";

    /// <summary>The whole configuration, for engines with settings of their own (e.g. the akka section).</summary>
    public IConfiguration? Configuration { get; init; }

    public static HostSettings From(IConfiguration c)
    {
        var s = c.GetSection("sockactors");
        var socketDefaults = new SockDefaults();
        string profileName = s["profile"] ?? KernelProfile.Linux618.Name;
        KernelProfile profile;
        try
        {
            profile = KernelProfile.Parse(profileName);
        }
        catch (ArgumentException unknown)
        {
            throw new HostException(unknown.Message);
        }
        return new HostSettings
        {
            Engine = s["engine"] is { Length: > 0 } e ? e : "actors",
            Profile = profile,
            Seed = Long(s, "seed", 1),
            Socket = new SockDefaults
            {
                Sndbuf = (int)Long(s, "socket:sndbuf", socketDefaults.Sndbuf, max: int.MaxValue),
                Rcvbuf = (int)Long(s, "socket:rcvbuf", socketDefaults.Rcvbuf, max: int.MaxValue),
                RmemLimit = Long(s, "socket:rmem-limit", socketDefaults.RmemLimit),
            },
            ConformanceScenarios = s["conformance:scenarios"] ?? "conformance/observed-linux-6.18.jsonl",
            Configuration = c,
        };
    }

    private static long Long(IConfigurationSection s, string key, long fallback, long max = long.MaxValue)
    {
        var text = s[key];
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) || v < 0 || v > max)
            throw new HostException($"configuration key sockactors:{key} must be a whole number between 0 and {max}, got \"{text}\"");
        return v;
    }
}
