using Akka.Configuration;
using SockActors.Actors;

namespace SockActors.Actors.Tests;

/// <summary>The configuration of every actor test: a string plus the module's defaults. serialize-messages is on, so
/// every message between the actors goes through the MessagePack serializer.</summary>
public static class TestConfig
{
    public const string Deterministic = """
        akka.actor.serialize-messages = on
        akka.loglevel = WARNING
        akka.log-dead-letters = off
        sockactors.deterministic = on
        """;

    public static Config Create(string extra = "") =>
        ConfigurationFactory.ParseString(extra + "\n" + Deterministic).WithFallback(SockActorsExtension.DefaultConfig());
}
