using System.Collections.Concurrent;
using Akka.Dispatch;

namespace SockActors.Actors.Dispatch;

/// <summary>
/// A serial executor on the .NET thread pool: runnables queued here run one at a time, in FIFO order, never two at
/// once, but not always on the same thread. While it has work a strand occupies one pool thread; every <c>batch</c>
/// runnables it looks whether other work waits for a pool thread and, if so, gives the thread back and queues itself
/// again at the end of the pool's global queue, so many strands share a few threads fairly. An idle strand holds no
/// thread, so hundreds of them cost only memory.
/// </summary>
internal sealed class Strand : IThreadPoolWorkItem
{
    private readonly ConcurrentQueue<IRunnable> _queue = new();
    private readonly int _batch;
    private readonly Action<Exception> _reportFailure;

    // 1 from the moment the strand is queued on the pool until its run has ended and found the queue empty. Only the
    // caller that turns it 0 -> 1 queues the strand, so at most one pool thread runs it at any time.
    private int _scheduled;

    public Strand(string key, int batch, Action<Exception> reportFailure)
    {
        Key = key;
        _batch = batch;
        _reportFailure = reportFailure;
    }

    /// <summary>The key (e.g. <c>kernel-3</c>) whose runnables this strand serialises.</summary>
    public string Key { get; }

    /// <summary>Actors attached to the dispatcher under this key (guarded by the dispatcher's lock).</summary>
    internal int Attached { get; set; }

    public void Execute(IRunnable run)
    {
        _queue.Enqueue(run);
        if (Interlocked.CompareExchange(ref _scheduled, 1, 0) == 0)
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    void IThreadPoolWorkItem.Execute()
    {
        // Batches until the queue is empty, yielding between two only when other work waits: giving the thread back
        // when nothing waits would only wake another worker to pick this strand up again (a migration, and a worker
        // spinning on the other core, for nothing).
        for (int i = 1; _queue.TryDequeue(out var run); i++)
        {
            try
            {
                run.Run();
            }
            catch (Exception e)
            {
                // A mailbox run handles its actor's failures itself; anything that still escapes must not leave the
                // strand marked scheduled with nobody running it (the kernel would stop for good).
                _reportFailure(e);
            }
            if (i % _batch == 0 && ThreadPool.PendingWorkItemCount > 0)
            {
                // Still scheduled: to the back of the pool's queue, behind the work that waits.
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
                return;
            }
        }
        // Full fence between clearing the flag and looking at the queue: an Execute that saw the flag still set has
        // enqueued before this exchange, so the check below sees its runnable and queues the strand again.
        Interlocked.Exchange(ref _scheduled, 0);
        if (!_queue.IsEmpty && Interlocked.CompareExchange(ref _scheduled, 1, 0) == 0)
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }
}
