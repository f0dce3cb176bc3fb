using Akka.Actor;
using SockActors.Actors.Protocol;

namespace SockActors.Actors.Actors;

// User-space threads and deterministic mode's seeded interleaving.
// A thread makes one system call at a time: calls with the same non-zero Thread are handed to their sockets one after
// the other, the next when the socket reports the previous one done (SocketCallDone).
// Under an interleaving seed, sends and receives sent through the kernel are held, grouped by thread (calls without
// a thread count as one thread per socket, so calls submitted together keep their order). RunScheduled releases
// them one at a time: the next is drawn with the seed among the threads that have a held call and none in progress,
// once every call in progress has returned or sleeps in the kernel (its socket lock released). Inside the sockets,
// each acquisition of a socket lock that has several candidates is drawn with the same seed. The same seed and the
// same submissions give the same order, so an ordering bug replays from its seed.
public sealed partial class KernelActor
{
    private readonly Random _interleaving;
    private readonly SortedDictionary<long, Queue<(ISocketCall Call, IActorRef ReplyTo)>> _held = new();
    private readonly HashSet<long> _inFlight = new();
    private bool _releasing;
    private IActorRef? _runReplyTo;
    private int _released;

    private readonly Dictionary<int, Queue<(ISocketCall Call, IActorRef ReplyTo)>> _threadQueues = new();
    private readonly HashSet<int> _threadBusy = new();

    /// <summary>Look again at what can be released: after a release, and whenever a released call goes to sleep (a
    /// socket actor tells the kernel so; a call that sleeps lets the next one run).</summary>
    internal sealed record ReleaseTick : INoSerializationVerificationNeeded
    {
        public static readonly ReleaseTick Instance = new();
    }

    private static long GroupOf(int sockId, int thread) => thread != 0 ? thread : -(long)sockId;

    private void OnThreadCall(ISocketCall call, IActorRef replyTo)
    {
        if (_threadBusy.Add(call.Thread))
        {
            Route(call, replyTo);
            return;
        }
        if (!_threadQueues.TryGetValue(call.Thread, out var q)) _threadQueues[call.Thread] = q = new();
        q.Enqueue((call, replyTo));
    }

    private void Hold(ISocketCall call, IActorRef replyTo)
    {
        long group = GroupOf(call.SockId, call.Thread);
        if (!_held.TryGetValue(group, out var q)) _held[group] = q = new Queue<(ISocketCall, IActorRef)>();
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
        if (_rt.SeededInterleaving)
        {
            _inFlight.Remove(GroupOf(d.SockId, d.Thread));
            if (_releasing) TryRelease();
            return;
        }
        if (d.Thread == 0) return;
        if (_threadQueues.TryGetValue(d.Thread, out var q) && q.TryDequeue(out var next))
            Route(next.Call, next.ReplyTo);
        else
            _threadBusy.Remove(d.Thread);
    }

    /// <summary>Takes the interleaving's release ticks (sent while held calls are released); anything else is unhandled.</summary>
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
        // Wait while a released call is still running (not asleep in the kernel).
        if (_inFlight.Count > _rt.SleepingCalls) return;
        var candidates = new List<long>();
        foreach (var (group, q) in _held)
            if (q.Count > 0 && !_inFlight.Contains(group)) candidates.Add(group);
        if (candidates.Count == 0)
        {
            _runReplyTo?.Tell(new ScheduledRun(_released), Self);
            _runReplyTo = null;
            return;
        }
        long pick = candidates[_interleaving.Next(candidates.Count)];
        var (call, replyTo) = _held[pick].Dequeue();
        _inFlight.Add(pick);
        _released++;
        Route(call, replyTo);
        Self.Tell(ReleaseTick.Instance);
    }
}
