using Akka.Actor;
using SockActors.Actors.Protocol;
using SockActors.Actors.Runtime;
using SockActors.Model;
using SockActors.Model.Net;

namespace SockActors.Actors.Actors;

// sk_stream_wait_memory as messages: a send that finds the buffer full parks here until a WriteSpace shows room
// (the reader read, a timer transmitted) or its SO_SNDTIMEO deadline passes on virtual time. Nothing is queued
// beyond the socket's own buffer: the sender simply gets no reply until then.
public sealed partial class SocketActor
{
    private sealed class Waiter
    {
        public long Id;
        public long DeadlineNs = -1;
        public Resumable<long> Resume = null!;
    }

    private readonly List<Waiter> _waiters = new();
    private readonly Stack<Resumable<long>> _waitPool = new();

    /// <summary>Called by the model (through <see cref="ActorEnvironment"/>) during this actor's turn. The checks are
    /// the environment contract's, in the order the sequential engine makes them.</summary>
    internal ValueTask<long> BeginWait(long timeoNs)
    {
        if (Sock.Err != 0 || Sock.SendShutdown) return ValueTask.FromResult((long)-Errno.EPIPE);
        if (Sock.StreamMemoryFree) return ValueTask.FromResult(timeoNs);
        if (timeoNs == 0) return ValueTask.FromResult((long)-Errno.EAGAIN);
        var w = new Waiter { Id = _rt.NextId(), Resume = Resumable<long>.Rent(_waitPool) };
        if (timeoNs != Sock.MaxScheduleTimeout)
        {
            w.DeadlineNs = _rt.Kernel.NowNs + timeoNs;
            _rt.Deadlines.Add((w.DeadlineNs, w.Id), Sock.Id);
            if (_rt.Settings.SchedulerClock)
            {
                // Virtual time mirrored on the actor system's scheduler (TestScheduler in tests).
                Context.System.Scheduler.ScheduleTellOnce(TimeSpan.FromTicks(Math.Max(1, timeoNs / 100)), _rt.KernelActor,
                    new ClockDeadline(w.DeadlineNs), Self);
            }
        }
        _waiters.Add(w);
        _rt.AddWaiter(Sock.Id);
        return w.Resume.Task;
    }

    /// <summary>Ends waits, oldest first, while the socket has room (or has failed); each resumed send may fill it again.</summary>
    private void WakeWaiters()
    {
        while (_waiters.Count > 0)
        {
            var w = _waiters[0];
            long result;
            if (Sock.Err != 0 || Sock.SendShutdown) result = -Errno.EPIPE;
            else if (Sock.StreamMemoryFree) result = w.DeadlineNs < 0 ? Sock.MaxScheduleTimeout : Math.Max(0, w.DeadlineNs - _rt.Kernel.NowNs);
            else return;
            End(w, result);
        }
    }

    private void OnSndTimeo(long waitId)
    {
        var w = _waiters.Find(x => x.Id == waitId);
        if (w is null) return; // woken before its deadline
        End(w, -Errno.EAGAIN);
    }

    private void End(Waiter w, long result)
    {
        _waiters.Remove(w);
        _rt.RemoveWaiter(Sock.Id);
        if (w.DeadlineNs >= 0) _rt.Deadlines.Remove((w.DeadlineNs, w.Id));
        w.Resume.Complete(result);
    }
}
