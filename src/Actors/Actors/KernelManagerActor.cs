using Akka.Actor;
using Akka.Event;
using SockActors.Actors.Protocol;
using SockActors.Model.Kernel;
using SockActors.Model.Net;

namespace SockActors.Actors.Actors;

/// <summary>/system/sockactors: creates simulated kernels. A kernel whose model threw (a simulator bug) is stopped
/// with its sockets after the error is logged; nothing restarts it with half-applied state.</summary>
internal sealed class KernelManagerActor(SockActorsSettings settings, Runtime.ProgramCatalog catalog) : UntypedActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private int _nextKernel;

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(e =>
    {
        _log.Error(e, "simulated kernel stopped after a simulator bug: {0}", e.Message);
        return Directive.Stop;
    });

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case CreateKernel c:
            {
                KernelProfile profile;
                try
                {
                    profile = KernelProfile.Parse(string.IsNullOrEmpty(c.Profile) ? settings.Profile : c.Profile);
                }
                catch (ArgumentException e)
                {
                    Sender.Tell(new RequestFailed(e.Message));
                    return;
                }
                int id = ++_nextKernel;
                var kernel = new SimKernel(profile, c.Seed == 0 ? settings.Seed : c.Seed);
                long interleaving = c.InterleavingSeed != 0 ? c.InterleavingSeed : settings.InterleavingSeed;
                var a = Context.ActorOf(KernelActor.Props(id, kernel, settings, interleaving, catalog), $"kernel-{id}");
                Sender.Tell(new KernelCreated(id, a));
                break;
            }
            case CreateLocalKernel l:
            {
                int id = ++_nextKernel;
                var a = Context.ActorOf(KernelActor.Props(id, l.Kernel, settings, l.InterleavingSeed, catalog), $"kernel-{id}");
                Sender.Tell(new KernelCreated(id, a));
                break;
            }
            default:
                Unhandled(message);
                break;
        }
    }
}
