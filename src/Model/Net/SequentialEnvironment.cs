using SockActors.Model.Msg;

namespace SockActors.Model.Net;

/// <summary>
/// The reference engine's answers to the send path's waits: a redirect runs on the target at once, in the same call
/// stack; a wait for memory cannot be ended by anyone else (nothing runs concurrently), so it re-checks once and then
/// lets the timeout pass on the virtual clock (-EAGAIN), or fails loudly when the socket has no timeout.
/// </summary>
public sealed class SequentialEnvironment(SimKernel kernel) : ISockEnvironment
{
    public ValueTask<RedirectOutcome> SendMsgRedirAsync(Sock target, bool ingress, RedirectSegments segments, int flags)
        => TcpBpf.SendMsgRedirAsync(target, ingress, segments, flags);

    public ValueTask<long> WaitForMemoryAsync(Sock sk, long timeoNs)
    {
        // sk_stream_wait_memory: errors first, then the non-blocking case.
        if (sk.Err != 0 || sk.SendShutdown) return ValueTask.FromResult((long)-Errno.EPIPE);
        if (sk.StreamMemoryFree) return ValueTask.FromResult(timeoNs);
        if (timeoNs == 0) return ValueTask.FromResult((long)-Errno.EAGAIN);
        if (timeoNs == Sock.MaxScheduleTimeout)
            throw new SimulationDeadlockException(
                $"{sk.Name}: a blocking send without SO_SNDTIMEO waits for buffer space that nothing in the sequential engine can free (sndbuf {sk.Sndbuf}, queued {sk.WmemQueued})");
        kernel.AdvanceClock(timeoNs);
        return ValueTask.FromResult((long)-Errno.EAGAIN);
    }
}

/// <summary>The simulation reached a state where it would wait forever (the kernel would hang the caller).</summary>
public sealed class SimulationDeadlockException(string message) : Exception(message);

/// <summary>The kernel would loop and allocate without end here; the model stops instead (conformance "runaway").</summary>
public sealed class RunawayException(string message) : Exception(message);
