using Akka.Actor;
using Akka.Event;
using SockActors.Actors.Protocol;
using SockActors.Model.Kernel;
using SockActors.Model.Net;

namespace SockActors.Actors.Actors;

/// <summary>/system/sockactors: creates simulated kernels. A kernel whose model threw (a simulator bug) is stopped
/// with its sockets after the error is logged; nothing restarts it with half-applied state.</summary>
internal sealed class KernelManagerActor(SockActorsSettings settings, Runtime.ProgramCatalog catalog, Runtime.LocalHostDirectory hosts) : UntypedActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private int _nextKernel;

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(e =>
    {
        _log.Error(e, "simulated kernel stopped after a simulator bug: {0}", e.Message);
        return Directive.Stop;
    });

    private readonly Dictionary<IActorRef, string> _hostOf = new();

    /// <summary>The kernel is reachable by its host id (the wire's <see cref="Runtime.IHostDirectory"/>) until it stops.</summary>
    private void Register(string hostId, IActorRef kernel)
    {
        hosts.Register(hostId, kernel);
        _hostOf[kernel] = hostId;
        Context.Watch(kernel);
    }

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
                string hostId = string.IsNullOrEmpty(c.HostId) ? $"host-{id}" : c.HostId;
                if (hosts.Find(hostId) is not null)
                {
                    Sender.Tell(new RequestFailed($"host id {hostId} is already taken"));
                    return;
                }
                var kernel = new SimKernel(profile, c.Seed == 0 ? settings.Seed : c.Seed) { HostId = hostId };
                long interleaving = c.InterleavingSeed != 0 ? c.InterleavingSeed : settings.InterleavingSeed;
                var a = Context.ActorOf(KernelActor.Props(id, kernel, settings, interleaving, catalog), $"kernel-{id}");
                Register(hostId, a);
                Sender.Tell(new KernelCreated(id, a, hostId));
                break;
            }
            case CreateLocalKernel l:
            {
                int id = ++_nextKernel;
                if (string.IsNullOrEmpty(l.Kernel.HostId)) l.Kernel.HostId = $"host-{id}";
                var a = Context.ActorOf(KernelActor.Props(id, l.Kernel, settings, l.InterleavingSeed, catalog), $"kernel-{id}");
                Register(l.Kernel.HostId, a);
                Sender.Tell(new KernelCreated(id, a, l.Kernel.HostId));
                break;
            }
            case Terminated t:
                if (_hostOf.Remove(t.ActorRef, out var gone)) hosts.Unregister(gone, t.ActorRef);
                break;
            default:
                Unhandled(message);
                break;
        }
    }
}
