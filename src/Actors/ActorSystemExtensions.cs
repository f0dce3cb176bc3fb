using Akka.Actor;

namespace SockActors.Actors;

/// <summary>
/// The entry point from any namespace: <c>system.SockActors()</c>. (<c>SockActors.Get(system)</c>, as Akka modules
/// spell it, only compiles inside namespace SockActors.Actors: elsewhere the root namespace SockActors wins the name
/// lookup over the class of that name; <c>SockActorsExtension.Get(system)</c> works everywhere too.)
/// </summary>
public static class ActorSystemExtensions
{
    /// <summary>The SockActors extension of <paramref name="system"/>, started on first use.</summary>
    public static SockActorsExtension SockActors(this ActorSystem system) => SockActorsExtension.Get(system);
}
