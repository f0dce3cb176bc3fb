using Akka.Hosting;
using Microsoft.Extensions.Configuration;
using SockActors.Actors;

namespace SockActors.Hosting;

/// <summary>Adds SockActors to an Akka.Hosting actor system (<c>services.AddAkka(...).WithSockActors(...)</c>).</summary>
public static class SockActorsHostingExtensions
{
    /// <summary>Adds SockActors configured by a lambda over <see cref="SockActorsOptions"/>.</summary>
    public static AkkaConfigurationBuilder WithSockActors(this AkkaConfigurationBuilder builder, Action<SockActorsOptions>? configure = null)
    {
        var options = new SockActorsOptions();
        configure?.Invoke(options);
        return builder.WithSockActors(options);
    }

    /// <summary>Adds SockActors configured from an IConfiguration section (appsettings.json, environment variables),
    /// e.g. <c>configuration.GetSection("SockActors")</c>. The keys are <see cref="SockActorsOptions"/>' properties;
    /// an unknown key or a value of the wrong type is a <see cref="SockActorsConfigurationException"/> naming the key.</summary>
    public static AkkaConfigurationBuilder WithSockActors(this AkkaConfigurationBuilder builder, IConfiguration section)
    {
        string path = section is IConfigurationSection s ? s.Path : "";
        var options = new SockActorsOptions();
        try
        {
            section.Bind(options, o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException e)
        {
            // The binder's message names the key and the value ("Failed to convert configuration value '…' at
            // 'SockActors:Seed' to type 'System.Int64'", "'Sed' was not found on type SockActorsOptions").
            throw new SockActorsConfigurationException(string.IsNullOrEmpty(path) ? "(root)" : path, e.Message, e);
        }
        options.Validate(path);
        return builder.WithSockActors(options);
    }

    /// <summary>Adds SockActors with <paramref name="options"/>: their HOCON before reference.conf, the MessagePack
    /// serializer, the extension started with the system, and its kernel manager registered in the ActorRegistry
    /// under <see cref="SockActorsManager"/>.</summary>
    public static AkkaConfigurationBuilder WithSockActors(this AkkaConfigurationBuilder builder, SockActorsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate("");
        builder.AddHocon(options.ToHocon(), HoconAddMode.Prepend);
        builder.AddHocon(SockActorsExtension.DefaultConfig(), HoconAddMode.Append);
        builder.WithExtension<SockActorsExtensionProvider>();
        builder.WithActors((system, registry) => registry.Register<SockActorsManager>(SockActorsExtension.Get(system).Manager));
        return builder;
    }
}
