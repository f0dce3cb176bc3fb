namespace SockActors.Model.Net;

/// <summary>
/// User-space threads on the sequential engine: several calls in progress at once on one kernel (a blocked sender and
/// a reader of the same socket, two senders on one socket), run cooperatively on the caller's thread. A thread runs
/// until it returns or sleeps in the kernel (wait for memory, wait for data), where the socket lock is released; a
/// wake-up resumes it after the call that caused the wake-up has returned. <see cref="Run"/> steps until every thread
/// has finished, moving virtual time to the next deadline when all are asleep, and reports a hang instead of hanging.
/// Deterministic: the order is the order of starts and wake-ups, never the machine's.
/// </summary>
public sealed class SequentialThreads
{
    private readonly SimKernel _kernel;
    private readonly SequentialEnvironment _env;
    private readonly List<Task> _threads = new();

    /// <summary>Threads of <paramref name="kernel"/>, which must still have its <see cref="SequentialEnvironment"/> (throws
    /// <see cref="InvalidOperationException"/> otherwise).</summary>
    public SequentialThreads(SimKernel kernel)
    {
        _kernel = kernel;
        _env = kernel.Environment as SequentialEnvironment
               ?? throw new InvalidOperationException("SequentialThreads needs the kernel's sequential environment");
        _env.Threaded = true;
    }

    /// <summary>Starts a thread: <paramref name="body"/> runs now, up to its first sleep.</summary>
    public Task<T> Start<T>(Func<Task<T>> body)
    {
        var prev = SynchronizationContext.Current;
        // Continuations must run inline, where the wake-up resumes them, not on a test framework's context.
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            var t = body();
            _threads.Add(t);
            _env.RunPending();
            return t;
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(prev);
        }
    }

    /// <summary>Runs until every started thread has finished. Throws <see cref="SimulationDeadlockException"/> when
    /// threads sleep without a deadline and nothing can wake them (the kernel would hang them).</summary>
    public void Run()
    {
        var prev = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            while (true)
            {
                if (_env.RunPending()) continue;
                if (_threads.All(t => t.IsCompleted)) break;
                if (_env.AdvanceToNextDeadline()) continue;
                throw new SimulationDeadlockException(
                    $"{_threads.Count(t => !t.IsCompleted)} thread(s) sleep in the kernel with nothing left to wake them (virtual time {_kernel.NowNs} ns)");
            }
            foreach (var t in _threads) t.GetAwaiter().GetResult(); // a thread's exception surfaces here
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(prev);
        }
    }
}
