using Akka.Configuration;
using Akka.Dispatch;

namespace SockActors.Actors.Dispatch;

/// <summary>Makes the one <see cref="CallingThreadDispatcher"/> of a dispatcher id.</summary>
public sealed class CallingThreadDispatcherConfigurator : MessageDispatcherConfigurator
{
    private readonly MessageDispatcher _instance;

    /// <summary>Called by Akka for a dispatcher section whose type is this class (sockactors.deterministic uses it).</summary>
    public CallingThreadDispatcherConfigurator(Config config, IDispatcherPrerequisites prerequisites) : base(config, prerequisites)
        => _instance = new CallingThreadDispatcher(this);

    /// <summary>The one dispatcher of this id.</summary>
    public override MessageDispatcher Dispatcher() => _instance;
}

/// <summary>
/// Deterministic mode's dispatcher: a Tell from outside runs the receiving actor on the caller's thread, and every
/// message that turn sends runs too, before the Tell returns, in FIFO order through a per-thread trampoline (so the
/// stack does not grow with the length of a redirect chain). Whatever the simulation does in answer to a request is
/// finished when the request's Tell returns: a run is a pure function of its inputs. Not for concurrent callers.
/// </summary>
/// <param name="configurator">The configurator of the dispatcher id (<see cref="CallingThreadDispatcherConfigurator"/>).</param>
public sealed class CallingThreadDispatcher(MessageDispatcherConfigurator configurator) : MessageDispatcher(configurator)
{
    [ThreadStatic] private static Queue<IRunnable>? _pending;
    [ThreadStatic] private static bool _draining;
    [ThreadStatic] private static List<Action>? _afterDrain;

    /// <summary>True while this thread runs a cascade of the calling-thread dispatcher.</summary>
    public static bool IsDraining => _draining;

    /// <summary>Runs <paramref name="action"/> when this thread's cascade has finished (at once when none runs): a
    /// reply's awaiter then resumes with the simulation quiet, not in the middle of it.</summary>
    public static void AfterDrain(Action action)
    {
        if (!_draining)
        {
            action();
            return;
        }
        (_afterDrain ??= new List<Action>()).Add(action);
    }

    /// <summary>Runs <paramref name="run"/> on the calling thread now, or after the mailboxes queued before it when this
    /// thread is already running a cascade.</summary>
    protected override void ExecuteTask(IRunnable run)
    {
        var q = _pending ??= new Queue<IRunnable>();
        q.Enqueue(run);
        if (_draining) return;
        _draining = true;
        try
        {
            while (q.TryDequeue(out var next)) next.Run();
        }
        finally
        {
            _draining = false;
        }
        if (_afterDrain is { Count: > 0 } after)
        {
            var actions = after.ToArray();
            after.Clear();
            foreach (var a in actions) a();
        }
    }

    /// <summary>Nothing to stop: the dispatcher owns no thread.</summary>
    protected override void Shutdown()
    {
    }
}
