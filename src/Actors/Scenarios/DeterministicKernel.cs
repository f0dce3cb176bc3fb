using Akka.Actor;
using SockActors.Actors.Client;
using SockActors.Actors.Protocol;
using SockActors.Model.Maps;
using SockActors.Model.Net;
using SockActors.Model.Programs;

namespace SockActors.Actors.Scenarios;

/// <summary>
/// A model kernel whose sockets, maps and programs were set up directly (a test topology) and then handed to actors,
/// driven step by step from the calling thread in deterministic mode: socket calls go to the socket's actor and may
/// stay parked (a blocked send), receives and clock steps are messages too. Made by
/// <see cref="ActorScenarioEngine.Adopt"/>.
/// </summary>
public sealed class DeterministicKernel : IDisposable
{
    private readonly ActorSystem _system;
    private readonly IActorRef _kernel;

    internal DeterministicKernel(ActorSystem system, IActorRef kernel)
    {
        _system = system;
        _kernel = kernel;
    }

    /// <summary>A socket call sent to its actor; <see cref="IsDone"/> once the kernel would have returned.</summary>
    public sealed class PendingCall
    {
        private readonly ReplySink _sink;
        private readonly object _message;

        internal PendingCall(ReplySink sink, object message)
        {
            _sink = sink;
            _message = message;
        }

        /// <summary>The socket's actor has replied: the call has returned (it is not asleep in the kernel).</summary>
        public bool IsDone => _sink.Reply is not null;

        /// <summary>The call's return value; the model's runaway report becomes a <see cref="RunawayException"/>.</summary>
        public long Rc
        {
            get
            {
                var r = ActorScenarioEngine.Result<InvokeResult>(_sink, _message);
                if (r.Runaway is not null) throw new RunawayException(r.Runaway);
                return r.Rc;
            }
        }
    }

    /// <summary>Starts <paramref name="call"/> on <paramref name="sk"/>'s actor (sendmsg, sendfile, ...).</summary>
    public PendingCall Start(Sock sk, string label, Func<Sock, ValueTask<long>> call)
    {
        var message = new InvokeOnSocket(sk.Id, label, call);
        var sink = new ReplySink(_system);
        _kernel.Tell(message, sink);
        return new PendingCall(sink, message);
    }

    /// <summary>recvmsg through the socket's actor: the bytes read, or an empty array with the -errno in <paramref name="rc"/>.</summary>
    public byte[] Recv(Sock sk, int maxBytes, out int rc)
    {
        var r = Call<RecvResult>(new Recv(sk.Id, maxBytes, false));
        rc = r.Rc;
        return r.Data;
    }

    /// <summary>Advances virtual time by <paramref name="ns"/>, firing what falls due (SO_SNDTIMEO, TCP timers).</summary>
    public void AdvanceClock(long ns) => Call<ClockAdvanced>(new AdvanceClock(ns));

    /// <summary>Moves virtual time to the next pending deadline; false when there is none.</summary>
    public bool AdvanceToNextDeadline() => Call<ClockAdvanced>(Protocol.AdvanceToNextDeadline.Instance).Fired;

    /// <summary>close(2) through the socket's actor.</summary>
    public void Close(Sock sk) => Call<SocketClosed>(new Close(sk.Id));

    private T Call<T>(object message)
    {
        var sink = new ReplySink(_system);
        _kernel.Tell(message, sink);
        return ActorScenarioEngine.Result<T>(sink, message);
    }

    /// <summary>Stops the kernel's actor (and with it its sockets', maps' and programs' actors).</summary>
    public void Dispose() => _kernel.Tell(PoisonPill.Instance);
}
