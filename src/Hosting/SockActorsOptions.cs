using System.Globalization;
using System.Text;
using SockActors.Model.Kernel;

namespace SockActors.Hosting;

/// <summary>
/// The sockactors settings an application changes, as an options object (bound from an IConfiguration section by
/// <see cref="SockActorsHostingExtensions.WithSockActors(Akka.Hosting.AkkaConfigurationBuilder, Microsoft.Extensions.Configuration.IConfiguration)"/>).
/// Each property maps onto the HOCON key of reference.conf with the same name in kebab case (Deterministic →
/// sockactors.deterministic, AskTimeout → sockactors.ask-timeout, Programs → sockactors.programs); a null property
/// keeps reference.conf's value.
/// </summary>
public sealed class SockActorsOptions
{
    /// <summary>sockactors.deterministic: kernel actors on the calling thread, seeded interleaving of socket calls.</summary>
    public bool? Deterministic { get; set; }

    /// <summary>sockactors.interleaving-seed: default interleaving seed of new kernels (0 = arrival order).</summary>
    public long? InterleavingSeed { get; set; }

    /// <summary>sockactors.clock: "virtual" or "scheduler".</summary>
    public string? Clock { get; set; }

    /// <summary>sockactors.profile: kernel profile of new kernels ("linux-6.18" or "linux-4.17").</summary>
    public string? Profile { get; set; }

    /// <summary>sockactors.seed: random seed of new kernels (bpf_get_prandom_u32).</summary>
    public long? Seed { get; set; }

    /// <summary>sockactors.trace-calls: record every completed socket call in the kernel trace.</summary>
    public bool? TraceCalls { get; set; }

    /// <summary>sockactors.verdict: where each psock's verdict runs, "actor" (its verdict actor) or "in-place" (the
    /// socket actor's turn).</summary>
    public string? Verdict { get; set; }

    /// <summary>sockactors.trace-limit: most lines a kernel trace keeps.</summary>
    public int? TraceLimit { get; set; }

    /// <summary>sockactors.ask-timeout: how long a SimulatedHost call waits for its reply (positive; in
    /// configuration written as a TimeSpan, e.g. "00:00:05").</summary>
    public TimeSpan? AskTimeout { get; set; }

    /// <summary>sockactors.kernel-dispatcher: dispatcher id of the kernel actors (non-deterministic mode).</summary>
    public string? KernelDispatcher { get; set; }

    /// <summary>sockactors.programs: a clang-compiled SK_MSG object file per sockmap name, loaded into every kernel
    /// SimulatedHost.CreateAsync makes (a relative path is taken from the current directory).</summary>
    public Dictionary<string, string> Programs { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Checks every value that is set; the exception names the configuration key
    /// (<paramref name="path"/>:Property) and the value.</summary>
    public void Validate(string path = "SockActors")
    {
        string Key(string name) => string.IsNullOrEmpty(path) ? name : $"{path}:{name}";
        if (InterleavingSeed < 0) throw new SockActorsConfigurationException(Key("InterleavingSeed"), $"must be 0 or positive, not {InterleavingSeed}");
        if (Clock is { } c && c is not ("virtual" or "scheduler"))
            throw new SockActorsConfigurationException(Key("Clock"), $"must be 'virtual' or 'scheduler', not '{c}'");
        if (Profile is { } p)
        {
            try { KernelProfile.Parse(p); }
            catch (ArgumentException e) { throw new SockActorsConfigurationException(Key("Profile"), e.Message); }
        }
        if (TraceLimit <= 0) throw new SockActorsConfigurationException(Key("TraceLimit"), $"must be positive, not {TraceLimit}");
        if (AskTimeout <= TimeSpan.Zero) throw new SockActorsConfigurationException(Key("AskTimeout"), $"must be positive, not {AskTimeout}");
        if (KernelDispatcher is { Length: 0 }) throw new SockActorsConfigurationException(Key("KernelDispatcher"), "must name a dispatcher");
        foreach (var (map, file) in Programs)
            if (string.IsNullOrWhiteSpace(file))
                throw new SockActorsConfigurationException(Key($"Programs:{map}"), "must name a BPF object file");
    }

    /// <summary>The HOCON of the options that are set (strings quoted, so paths and names pass through unchanged).</summary>
    public string ToHocon()
    {
        var sb = new StringBuilder("sockactors {\n");
        if (Deterministic is { } d) sb.AppendLine($"  deterministic = {(d ? "on" : "off")}");
        if (InterleavingSeed is { } i) sb.AppendLine(CultureInfo.InvariantCulture, $"  interleaving-seed = {i}");
        if (Clock is { } c) sb.AppendLine($"  clock = {Quote(c)}");
        if (Profile is { } p) sb.AppendLine($"  profile = {Quote(p)}");
        if (Seed is { } s) sb.AppendLine(CultureInfo.InvariantCulture, $"  seed = {s}");
        if (TraceCalls is { } t) sb.AppendLine($"  trace-calls = {(t ? "on" : "off")}");
        if (Verdict is { } v) sb.AppendLine($"  verdict = {Quote(v)}");
        if (TraceLimit is { } l) sb.AppendLine(CultureInfo.InvariantCulture, $"  trace-limit = {l}");
        if (AskTimeout is { } a) sb.AppendLine(CultureInfo.InvariantCulture, $"  ask-timeout = {(long)Math.Ceiling(a.TotalMilliseconds)}ms");
        if (KernelDispatcher is { } k) sb.AppendLine($"  kernel-dispatcher = {Quote(k)}");
        if (Programs.Count > 0)
        {
            sb.AppendLine("  programs {");
            foreach (var (map, file) in Programs.OrderBy(e => e.Key, StringComparer.Ordinal))
                sb.AppendLine($"    {Quote(map)} = {Quote(file)}");
            sb.AppendLine("  }");
        }
        return sb.Append('}').ToString();
    }

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}

/// <summary>A sockactors configuration value that cannot be used; <see cref="Key"/> names it as configured
/// (e.g. SockActors:Seed).</summary>
public sealed class SockActorsConfigurationException(string key, string problem, Exception? inner = null)
    : Exception($"{key}: {problem}", inner)
{
    /// <summary>The configuration key of the bad value.</summary>
    public string Key { get; } = key;
}
