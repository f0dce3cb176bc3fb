using Akka.Actor;
using SockActors.Actors.Protocol;

namespace SockActors.Actors.Actors;

// Deterministic mode's seeded interleaving. Socket calls sent through the kernel are held per socket (each socket's
// own order is kept). RunScheduled releases them one at a time: the next one is drawn with the interleaving seed among
// the sockets that have a held call and none in flight, once every call in flight has completed or parked on a wait.
// The same seed and the same submissions give the same order, so an ordering bug replays from its seed.
public sealed partial class KernelActor
{
    private readonly Random _interleaving;
    private readonly SortedDictionary<int, Queue<(ISocketCall Call, IActorRef ReplyTo)>> _held = new();
    private readonly HashSet<int> _inFlight = new();
    private bool _releasing;
    private IActorRef? _runReplyTo;
    private int _released;

    private sealed record ReleaseTick : INoSerializationVerificationNeeded
    {
        public static readonly ReleaseTick Instance = new();
    }

    private void Hold(ISocketCall call, IActorRef replyTo)
    {
        if (!_held.TryGetValue(call.SockId, out var q)) _held[call.SockId] = q = new Queue<(ISocketCall, IActorRef)>();
        q.Enqueue((call, replyTo));
        if (_releasing) Self.Tell(ReleaseTick.Instance);
    }

    private void OnRunScheduled()
    {
        _releasing = true;
        _runReplyTo = Sender;
        _released = 0;
        TryRelease();
    }

    private void OnCallDone(SocketCallDone d)
    {
        _inFlight.Remove(d.SockId);
        if (_releasing) TryRelease();
    }

    protected override void Unhandled(object message)
    {
        if (message is ReleaseTick)
        {
            if (_releasing) TryRelease();
            return;
        }
        base.Unhandled(message);
    }

    private void TryRelease()
    {
        // Wait while a released call is still running (not parked on a wait for memory).
        if (_inFlight.Count > _rt.WaitingSends) return;
        var candidates = new List<int>();
        foreach (var (id, q) in _held)
            if (q.Count > 0 && !_inFlight.Contains(id)) candidates.Add(id);
        if (candidates.Count == 0)
        {
            _runReplyTo?.Tell(new ScheduledRun(_released), Self);
            _runReplyTo = null;
            return;
        }
        int pick = candidates[_interleaving.Next(candidates.Count)];
        var (call, replyTo) = _held[pick].Dequeue();
        _inFlight.Add(pick);
        _released++;
        if (_rt.SocketRefs.TryGetValue(pick, out var sock)) sock.Tell(call, replyTo);
        else replyTo.Tell(new RequestFailed($"kernel {_rt.KernelId} has no socket {pick}"));
        Self.Tell(ReleaseTick.Instance);
    }
}
