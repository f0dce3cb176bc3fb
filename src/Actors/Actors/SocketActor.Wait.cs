using Akka.Actor;
using SockActors.Actors.Protocol;
using SockActors.Model;
using SockActors.Model.Net;

namespace SockActors.Actors.Actors;

// The socket's wait queue as messages. A call that must sleep (sk_stream_wait_memory, tcp_msg_wait_data) parks here
// and gives up the socket lock; a WakeUp (the model woke the socket: sk_write_space, sk_data_ready, sk_state_change)
// or its SO_SNDTIMEO / SO_RCVTIMEO deadline on virtual time makes it take the lock again and re-check its condition
// with the model's own step (Sock.StreamWaitMemoryStep / WaitDataStep). Nothing is queued beyond the socket's own
// buffers: a sleeping caller simply gets no reply until then.
public sealed partial class SocketActor
{
    private sealed class Sleeper
    {
        public long Id;
        public bool ForData;
        public long DeadlineNs = -1;
        public Resumable<long> Resume = null!;

        /// <summary>Non-zero: the sleep is the verdict actor's (<see cref="VerdictSleep"/>), which is answered by message.</summary>
        public long VerdictCorrelation;
    }

    private readonly List<Sleeper> _sleepers = new();
    private readonly Stack<Resumable<long>> _sleepPool = new();

    private int SleepingFor(bool data)
    {
        int n = 0;
        foreach (var s in _sleepers)
            if (s.ForData == data) n++;
        return n;
    }

    /// <summary>Called by the model (through <see cref="Runtime.ActorEnvironment"/>) during this actor's turn, once the
    /// model's step said the call must sleep: it parks, and the socket lock is released (sk_wait_event's release_sock).</summary>
    internal ValueTask<long> Sleep(bool forData, long timeoNs)
    {
        var w = new Sleeper { Id = _rt.NextId(), ForData = forData, Resume = Resumable<long>.Rent(_sleepPool) };
        Park(w, timeoNs);
        return w.Resume.Task;
    }

    /// <summary>Parks <paramref name="w"/> on the wait queue (with its SO_SNDTIMEO / SO_RCVTIMEO deadline) and releases
    /// the socket lock.</summary>
    private void Park(Sleeper w, long timeoNs)
    {
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
        _sleepers.Add(w);
        Sock.Sleepers++;
        _rt.AddSleeper(Sock.Id);
        // Under a seeded interleaving the kernel releases the next held call once the running one sleeps.
        if (_rt.SeededInterleaving) _rt.KernelActor.Tell(KernelActor.ReleaseTick.Instance);
        _lock.Release();
    }

    private long Left(Sleeper w) => w.DeadlineNs < 0 ? Sock.MaxScheduleTimeout : Math.Max(0, w.DeadlineNs - _rt.Kernel.NowNs);

    private long? Step(Sleeper w, long left) => Sock.SleepStep(w.ForData, left);

    /// <summary>Every sleeper of the socket is woken; each takes the lock in turn (a scheduling point) and re-checks.</summary>
    private void OnWakeUp()
    {
        if (_sleepers.Count == 0) return;
        foreach (var w in _sleepers.ToArray())
            _lock.Acquire("wake", () => Recheck(w, timedOut: false));
    }

    private void OnSleepTimedOut(long waitId)
    {
        var w = _sleepers.Find(x => x.Id == waitId);
        if (w is null) return; // woken before its deadline
        _lock.Acquire("timeout", () => Recheck(w, timedOut: true));
    }

    /// <summary>Runs with the lock held: the sleeper ends if its condition holds (or its time is up), and then runs
    /// on until it returns or sleeps again; otherwise it sleeps on and the lock is released.</summary>
    private void Recheck(Sleeper w, bool timedOut)
    {
        if (!_sleepers.Contains(w) || Step(w, timedOut ? 0 : Left(w)) is not long result)
        {
            _lock.Release();
            return;
        }
        _sleepers.Remove(w);
        Sock.Sleepers--;
        _rt.RemoveSleeper(Sock.Id);
        if (w.DeadlineNs >= 0) _rt.Deadlines.Remove((w.DeadlineNs, w.Id));
        if (w.VerdictCorrelation != 0)
        {
            // The lock stays held on the verdict's behalf across the hop back to it.
            _verdict!.Tell(new VerdictWoken(w.VerdictCorrelation, result), Self);
            return;
        }
        w.Resume.Complete(result);
    }
}
