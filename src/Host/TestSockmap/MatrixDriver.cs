using SockActors.Actors.Scenarios;
using SockActors.Model.Maps;
using SockActors.Model.Msg;
using SockActors.Model.Net;
using SockActors.Model.Programs;

namespace SockActors.Host.TestSockmap;

/// <summary>
/// How a matrix case reaches its kernel once the topology is set up: in place on the sequential model, or through the
/// actor runtime (each call a message to the socket's actor). The case logic and the kernel rules are the same.
/// </summary>
internal interface IMatrixDriver : IDisposable
{
    /// <summary>
    /// Runs a socket call to completion. While it is blocked (waiting for buffer space), <paramref name="readWhileBlocked"/>
    /// runs as the receiving process would, then virtual time moves to the next deadline (SO_SNDTIMEO).
    /// </summary>
    long Call(Sock sk, string label, Func<Sock, ValueTask<long>> call, Action readWhileBlocked);

    /// <summary>recvmsg: bytes read into <paramref name="dest"/>, 0 at end of stream, -errno when nothing is there.</summary>
    int Recv(Sock sk, byte[] dest);

    void AdvanceClock(long ns);

    void Close(Sock sk);
}

/// <summary>The sequential engine: calls run in place; the reader runs inside a wait for memory.</summary>
internal sealed class ModelMatrixDriver : IMatrixDriver
{
    private readonly SimKernel _kernel;
    private Action? _reader;

    public ModelMatrixDriver(SimKernel kernel)
    {
        _kernel = kernel;
        // A send that sleeps lets the reader drain the receivers first (that is what frees the space).
        ((SequentialEnvironment)kernel.Environment).OnSleep = _ => _reader?.Invoke();
    }

    public long Call(Sock sk, string label, Func<Sock, ValueTask<long>> call, Action readWhileBlocked)
    {
        _reader = readWhileBlocked;
        var pending = call(sk);
        if (!pending.IsCompleted)
            throw new SimulationDeadlockException($"{label} did not complete synchronously on the sequential engine");
        return pending.GetAwaiter().GetResult();
    }

    public int Recv(Sock sk, byte[] dest) => sk.Recv(dest);

    public void AdvanceClock(long ns) => _kernel.AdvanceClock(ns);

    public void Close(Sock sk) => sk.Close();

    public void Dispose()
    {
    }
}

/// <summary>
/// The actor runtime in deterministic mode: the case's sockets, maps and program are adopted by actors; a call is a
/// message to the socket's actor and may stay parked while the sender waits; the reader's recvmsg calls are messages
/// to the receivers' actors, and reading is what frees a parked sender.
/// </summary>
internal sealed class ActorMatrixDriver(DeterministicKernel kernel) : IMatrixDriver
{
    public static ActorMatrixDriver Adopt(ActorScenarioEngine engine, SimKernel model, Sock[] sockets, SockMapBase[] maps, ISkMsgProgram[] programs)
        => new(engine.Adopt(model, sockets, maps, programs));

    public long Call(Sock sk, string label, Func<Sock, ValueTask<long>> call, Action readWhileBlocked)
    {
        var pending = kernel.Start(sk, label, call);
        while (!pending.IsDone)
        {
            readWhileBlocked();
            if (pending.IsDone) break;
            if (!kernel.AdvanceToNextDeadline() && !pending.IsDone)
                throw new SimulationDeadlockException($"{label} waits for buffer space that nothing in the case frees and has no SO_SNDTIMEO");
        }
        return pending.Rc;
    }

    public int Recv(Sock sk, byte[] dest)
    {
        var data = kernel.Recv(sk, dest.Length, out int rc);
        if (rc > 0) data.AsSpan(0, rc).CopyTo(dest);
        return rc;
    }

    public void AdvanceClock(long ns) => kernel.AdvanceClock(ns);

    public void Close(Sock sk) => kernel.Close(sk);

    public void Dispose() => kernel.Dispose();
}
