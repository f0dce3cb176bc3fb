namespace SockActors.Hosting;

/// <summary>
/// Marker type of the SockActors kernel manager (/system/sockactors) in Akka.Hosting's ActorRegistry: inject
/// <c>IRequiredActor&lt;SockActorsManager&gt;</c> to get the actor that answers CreateKernel.
/// </summary>
public sealed class SockActorsManager
{
    private SockActorsManager() { }
}
