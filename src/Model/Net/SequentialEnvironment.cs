using SockActors.Model.Msg;

namespace SockActors.Model.Net;

/// <summary>
/// The reference engine's answers to the kernel's sleeps. A redirect runs on the target at once, in the same call
/// stack. A sleep (wait for memory, wait for data) parks the call; wake-ups are queued and delivered by
/// <see cref="RunPending"/>, after the call that caused them has returned, which is when the kernel's woken task could
/// take the socket lock. With one caller (<see cref="SequentialThreads"/> not in use) a sleep runs the engine in
/// place instead: <see cref="OnSleep"/> (a reader process, say) gets its turn, wake-ups are delivered, and when nothing
/// else can end the sleep virtual time moves to its deadline (-EAGAIN), or, without one, the simulation reports the
/// hang (<see cref="SimulationDeadlockException"/>).
/// </summary>
/// <param name="kernel">The kernel whose sleeps, wake-ups and redirects this environment carries.</param>
public sealed class SequentialEnvironment(SimKernel kernel) : ISockEnvironment
{
    private sealed class Sleeper
    {
        public required Sock Sk;
        public required bool ForData;
        public long DeadlineNs = -1;
        public readonly Resumable<long> Resume = new(null);
    }

    private readonly List<Sleeper> _sleepers = new();
    private readonly Queue<Sock> _woken = new();

    /// <summary>Set by <see cref="SequentialThreads"/>: sleeps park instead of running the engine in place.</summary>
    internal bool Threaded { get; set; }

    /// <summary>Runs while a lone caller sleeps, before its wait is re-checked (the matrix's reader process).</summary>
    public Action<Sock>? OnSleep { get; set; }

    /// <summary>Calls parked in a sleep.</summary>
    public int Sleeping => _sleepers.Count;

    /// <inheritdoc/>
    public ValueTask<RedirectOutcome> SendMsgRedirAsync(Sock target, bool ingress, RedirectSegments segments, int flags)
        => TcpBpf.SendMsgRedirAsync(target, ingress, segments, flags);

    /// <inheritdoc/>
    public ValueTask<long> WaitForMemoryAsync(Sock sk, long timeoNs)
        => sk.StreamWaitMemoryStep(timeoNs) is long r ? ValueTask.FromResult(r) : Sleep(sk, false, timeoNs);

    /// <inheritdoc/>
    public ValueTask<long> WaitForDataAsync(Sock sk, long timeoNs)
        => sk.WaitDataStep(timeoNs) is long r ? ValueTask.FromResult(r) : Sleep(sk, true, timeoNs);

    /// <inheritdoc/>
    public void Wake(Sock sk) => _woken.Enqueue(sk);

    private ValueTask<long> Sleep(Sock sk, bool forData, long timeoNs)
    {
        var s = new Sleeper { Sk = sk, ForData = forData };
        if (timeoNs != Sock.MaxScheduleTimeout) s.DeadlineNs = kernel.NowNs + timeoNs;
        _sleepers.Add(s);
        sk.Sleepers++;
        if (Threaded) return s.Resume.Task;

        // One caller: nothing but the reader hook, the timers and the clock can end this sleep.
        OnSleep?.Invoke(sk);
        RunPending();
        while (_sleepers.Contains(s))
        {
            if (s.DeadlineNs < 0)
            {
                End(s, 0);
                throw new SimulationDeadlockException(forData
                    ? $"{sk.Name}: a blocking receive without SO_RCVTIMEO waits for data that nothing in the sequential engine can bring"
                    : $"{sk.Name}: a blocking send without SO_SNDTIMEO waits for buffer space that nothing in the sequential engine can free (sndbuf {sk.Sndbuf}, queued {sk.WmemQueued})");
            }
            AdvanceTo(s.DeadlineNs);
        }
        return s.Resume.Task;
    }

    /// <summary>The time a sleeper has left (MAX_SCHEDULE_TIMEOUT without a deadline).</summary>
    private long Left(Sleeper s) => s.DeadlineNs < 0 ? Sock.MaxScheduleTimeout : Math.Max(0, s.DeadlineNs - kernel.NowNs);

    private static long? Step(Sleeper s, long left) => s.Sk.SleepStep(s.ForData, left);

    /// <summary>Delivers the queued wake-ups in order: each woken socket's sleepers re-check, oldest first; a resumed
    /// call runs until it returns or sleeps again. Returns whether any call resumed.</summary>
    public bool RunPending()
    {
        bool resumed = false;
        while (_woken.TryDequeue(out var sk))
        {
            for (int i = 0; i < _sleepers.Count; i++)
            {
                var s = _sleepers[i];
                if (!ReferenceEquals(s.Sk, sk) || Step(s, Left(s)) is not long r) continue;
                End(s, r);
                resumed = true;
                i = -1; // the resumed call may have changed the list
            }
        }
        return resumed;
    }

    private void End(Sleeper s, long result)
    {
        _sleepers.Remove(s);
        s.Sk.Sleepers--;
        s.Resume.Complete(result);
    }

    /// <summary>The earliest SO_SNDTIMEO / SO_RCVTIMEO deadline of a sleeping call, or -1 (SimNetwork's one clock
    /// weighs it against the next segment's arrival).</summary>
    public long NextDeadlineNs
    {
        get
        {
            long next = -1;
            foreach (var s in _sleepers)
                if (s.DeadlineNs >= 0 && (next < 0 || s.DeadlineNs < next)) next = s.DeadlineNs;
            return next;
        }
    }

    /// <summary>Moves virtual time to the earliest sleeper's deadline (timers that fall due fire on the way) and ends
    /// the sleeps that are due. False when no sleeper has a deadline.</summary>
    public bool AdvanceToNextDeadline()
    {
        long next = -1;
        foreach (var s in _sleepers)
            if (s.DeadlineNs >= 0 && (next < 0 || s.DeadlineNs < next)) next = s.DeadlineNs;
        if (next < 0) return false;
        AdvanceTo(next);
        return true;
    }

    private void AdvanceTo(long deadlineNs)
    {
        if (deadlineNs > kernel.NowNs) kernel.AdvanceClock(deadlineNs - kernel.NowNs);
        RunPending();
        // Sleeps whose time ran out end now, in the order they began (sk_wait_event returned with no time left).
        for (int i = 0; i < _sleepers.Count; i++)
        {
            var s = _sleepers[i];
            if (s.DeadlineNs < 0 || s.DeadlineNs > kernel.NowNs || Step(s, 0) is not long r) continue;
            End(s, r);
            i = -1;
        }
        RunPending();
    }
}

/// <summary>The simulation reached a state where it would wait forever (the kernel would hang the caller).</summary>
/// <param name="message">Which socket or how many threads wait, on what, with nothing left to wake them.</param>
public sealed class SimulationDeadlockException(string message) : Exception(message);

/// <summary>The kernel would loop and allocate without end here; the model stops instead (conformance "runaway").</summary>
/// <param name="message">The model's diagnostic: which socket's send allocated how much without the message shrinking.</param>
public sealed class RunawayException(string message) : Exception(message);
