using System.Text;
using Akka.Hosting;

namespace SockActors.Actors.Hosting;

/// <summary>Options of <see cref="SockActorsHostingExtensions.WithSockActors"/>; null keeps reference.conf's value.
/// Each maps onto the sockactors HOCON key of the same name.</summary>
public sealed class SockActorsOptions
{
    public bool? Deterministic { get; set; }
    public long? InterleavingSeed { get; set; }
    public string? Clock { get; set; }
    public string? Profile { get; set; }
    public long? Seed { get; set; }
    public bool? TraceCalls { get; set; }
    public string? KernelDispatcher { get; set; }

    /// <summary>The HOCON of the options that are set.</summary>
    public string ToHocon()
    {
        var sb = new StringBuilder("sockactors {\n");
        if (Deterministic is { } d) sb.AppendLine($"  deterministic = {(d ? "on" : "off")}");
        if (InterleavingSeed is { } i) sb.AppendLine($"  interleaving-seed = {i}");
        if (Clock is { } c) sb.AppendLine($"  clock = {c}");
        if (Profile is { } p) sb.AppendLine($"  profile = \"{p}\"");
        if (Seed is { } s) sb.AppendLine($"  seed = {s}");
        if (TraceCalls is { } t) sb.AppendLine($"  trace-calls = {(t ? "on" : "off")}");
        if (KernelDispatcher is { } k) sb.AppendLine($"  kernel-dispatcher = \"{k}\"");
        return sb.Append('}').ToString();
    }
}

public static class SockActorsHostingExtensions
{
    /// <summary>Adds SockActors to an Akka.Hosting actor system: the options' HOCON before reference.conf, the
    /// MessagePack serializer, and the extension started with the system.</summary>
    public static AkkaConfigurationBuilder WithSockActors(this AkkaConfigurationBuilder builder, Action<SockActorsOptions>? configure = null)
    {
        var options = new SockActorsOptions();
        configure?.Invoke(options);
        builder.AddHocon(options.ToHocon(), HoconAddMode.Prepend);
        builder.AddHocon(SockActorsExtension.DefaultConfig(), HoconAddMode.Append);
        builder.WithExtension<SockActorsExtensionProvider>();
        return builder;
    }
}
