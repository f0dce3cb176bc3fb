using System.Threading.Tasks.Sources;

namespace SockActors.Model.Net;

/// <summary>
/// The ValueTask a suspended model call awaits (a redirect outcome, the end of a wait for memory or for data). Its
/// owner completes it with RunContinuationsAsynchronously = false and without the scheduling context, so the model's
/// continuation runs right there, synchronously, in the caller of <see cref="Complete"/>: inside the owning actor's
/// turn in the actor runtime, inside the scheduler's step on the sequential engine. Pooled by its owner.
/// </summary>
public sealed class Resumable<T> : IValueTaskSource<T>
{
    private ManualResetValueTaskSourceCore<T> _core = new() { RunContinuationsAsynchronously = false };
    private readonly Stack<Resumable<T>>? _pool;

    /// <summary>A source that returns itself to <paramref name="pool"/> (may be null) once its result has been read.</summary>
    public Resumable(Stack<Resumable<T>>? pool) => _pool = pool;

    /// <summary>A source from <paramref name="pool"/>, or a new one that returns there.</summary>
    public static Resumable<T> Rent(Stack<Resumable<T>> pool) => pool.Count > 0 ? pool.Pop() : new Resumable<T>(pool);

    /// <summary>The task to await; it completes when <see cref="Complete"/> is called.</summary>
    public ValueTask<T> Task => new(this, _core.Version);

    /// <summary>Resumes the awaiting model code synchronously, on the calling (actor) thread.</summary>
    public void Complete(T value) => _core.SetResult(value);

    /// <summary>Resumes the awaiting model code with <paramref name="error"/> thrown at its await.</summary>
    public void Fail(Exception error) => _core.SetException(error);

    /// <summary>The value <see cref="Complete"/> was given; resets this source and returns it to its pool (await it once).</summary>
    public T GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            _core.Reset();
            _pool?.Push(this);
        }
    }

    /// <inheritdoc/>
    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    /// <summary>Registers the awaiter's continuation without flowing the execution context or capturing the scheduling
    /// context, so that <see cref="Complete"/> runs it inline.</summary>
    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags & ~ValueTaskSourceOnCompletedFlags.FlowExecutionContext & ~ValueTaskSourceOnCompletedFlags.UseSchedulingContext);
}
