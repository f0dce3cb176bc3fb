using Akka.Configuration;
using SockActors.Actors;

namespace SockActors.TestKit;

/// <summary>
/// The configuration SockActors tests run with: deterministic mode (a request's whole cascade of messages has run when
/// its call returns), serialize-messages on (every protocol message goes through the MessagePack serializer, as
/// between nodes), quiet logs, and reference.conf as the fallback.
/// </summary>
public static class SockActorsTestConfig
{
    /// <summary>The HOCON of the test defaults (also for Akka.Hosting.TestKit: <c>builder.AddHocon(Hocon, HoconAddMode.Prepend)</c>).</summary>
    public const string Hocon = """
        akka.actor.serialize-messages = on
        akka.loglevel = WARNING
        akka.log-dead-letters = off
        sockactors.deterministic = on
        """;

    /// <summary>The test defaults with <paramref name="extraHocon"/> before them (its keys win).</summary>
    public static Config Create(string extraHocon = "") =>
        ConfigurationFactory.ParseString(extraHocon + "\n" + Hocon).WithFallback(SockActorsExtension.DefaultConfig());
}
