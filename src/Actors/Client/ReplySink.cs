using Akka.Actor;
using SockActors.Actors.Dispatch;

namespace SockActors.Actors.Client;

/// <summary>
/// A one-shot reply address (like Ask's temporary actor) that completes a task with the first message it gets. Under
/// the calling-thread dispatcher the task completes only when the cascade that produced the reply has finished, so a
/// caller never runs concurrently with the simulation it drives.
/// </summary>
internal sealed class ReplySink : MinimalActorRef
{
    private readonly TaskCompletionSource<object> _tcs = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private object? _reply;

    public ReplySink(ActorSystem system)
    {
        var ext = (ExtendedActorSystem)system;
        Provider = ext.Provider;
        Path = ext.Provider.TempPath();
    }

    public override ActorPath Path { get; }
    public override IActorRefProvider Provider { get; }

    public Task<object> Task => _tcs.Task;

    /// <summary>The reply if it has come (deterministic callers read it right after their Tell returned).</summary>
    public object? Reply => Volatile.Read(ref _reply);

    protected override void TellInternal(object message, IActorRef sender)
    {
        if (Interlocked.CompareExchange(ref _reply, message, null) is not null) return;
        CallingThreadDispatcher.AfterDrain(() =>
        {
            if (message is Status.Failure f) _tcs.TrySetException(f.Cause);
            else _tcs.TrySetResult(message);
        });
    }
}
