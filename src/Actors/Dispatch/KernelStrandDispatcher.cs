using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;

namespace SockActors.Actors.Dispatch;

/// <summary>Makes the one <see cref="KernelStrandDispatcher"/> of a dispatcher id (keys documented in reference.conf,
/// sockactors.dispatchers.kernel-strand).</summary>
public sealed class KernelStrandDispatcherConfigurator : MessageDispatcherConfigurator
{
    private readonly MessageDispatcher _instance;

    /// <summary>Called by Akka for a dispatcher section whose type is this class. Throws
    /// <see cref="ConfigurationException"/> for strand-batch below 1 or a strand-key-parent that is not an actor path.</summary>
    public KernelStrandDispatcherConfigurator(Config config, IDispatcherPrerequisites prerequisites) : base(config, prerequisites)
    {
        int batch = Config.GetInt("strand-batch", 256);
        if (batch < 1) throw new ConfigurationException($"{Config.GetString("id")}.strand-batch must be at least 1, not {batch}");
        // One path, or a list of paths (a node of a cluster adds the sharding region's shards: hosts are entities there).
        var value = Config.GetValue("strand-key-parent");
        var keyParents = value is not null && value.IsArray()
            ? value.GetStringList().Select(KernelStrandDispatcher.ParseKeyParent).ToArray()
            : [KernelStrandDispatcher.ParseKeyParent(Config.GetString("strand-key-parent", "/system/sockactors"))];
        var deadline = Config.GetTimeSpan("throughput-deadline-time", null);
        _instance = new KernelStrandDispatcher(this, Config.GetString("id"), Config.GetInt("throughput", MessageDispatcher.DefaultThroughput),
            deadline.Ticks > 0 ? deadline.Ticks : null, Config.GetTimeSpan("shutdown-timeout", TimeSpan.FromSeconds(1)),
            keyParents, batch);
    }

    /// <summary>The one dispatcher of this id.</summary>
    public override MessageDispatcher Dispatcher() => _instance;
}

/// <summary>
/// A dispatcher with an executor per key: every actor at or below a child of <c>strand-key-parent</c> (by default
/// /system/sockactors, so the key is the <c>kernel-N</c> element of /system/sockactors/kernel-N/sock-5/...) runs on
/// that child's <see cref="Strand"/>. <c>strand-key-parent</c> may be a list of paths, and an element <c>*</c> matches
/// any name: a cluster node adds /system/sharding/sockactors-host/* so that each sharded host entity
/// (/system/sharding/sockactors-host/&lt;shard&gt;/host-17/...) is a strand of its own. The actors of one kernel therefore run one at a time, as the model needs (its
/// objects of one kernel point at each other), while different kernels run in parallel on the .NET thread pool.
/// Actors not below such a child (the kernel manager itself) run on the pool directly; their mailbox keeps them
/// serial.
/// </summary>
/// <remarks>
/// Akka hands <see cref="ExecuteTask"/> an actor's <see cref="Mailbox"/> (an <see cref="IRunnable"/>) whenever the
/// mailbox gets work; its actor is not public there, so <see cref="Attach"/> (called once per actor, before its
/// mailbox can be scheduled) records mailbox -> strand, and <see cref="Detach"/> removes it. A strand lives while
/// actors of its key are attached.
/// </remarks>
public sealed class KernelStrandDispatcher : MessageDispatcher
{
    private readonly string[][] _keyParents;
    private readonly int _batch;
    private readonly ConcurrentDictionary<Mailbox, Strand> _byMailbox = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, Strand> _byKey = new(StringComparer.Ordinal);
    private readonly Action<Exception> _reportFailure;
    private readonly Action<IRunnable> _runUnkeyed;

    internal KernelStrandDispatcher(MessageDispatcherConfigurator configurator, string id, int throughput, long? throughputDeadlineTicks,
        TimeSpan shutdownTimeout, string[][] keyParents, int batch) : base(configurator)
    {
        Id = id;
        Throughput = throughput;
        ThroughputDeadlineTime = throughputDeadlineTicks;
        ShutdownTimeout = shutdownTimeout;
        _keyParents = keyParents;
        _batch = batch;
        _reportFailure = ReportFailure;
        _runUnkeyed = RunUnkeyed;
    }

    /// <summary>Strands alive now (one per key with attached actors).</summary>
    public int StrandCount
    {
        get
        {
            lock (_byKey) return _byKey.Count;
        }
    }

    /// <summary>The elements of a key-parent path such as "/system/sockactors" ("*" matches any element).</summary>
    internal static string[] ParseKeyParent(string path)
    {
        var elements = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (elements.Length == 0) throw new ConfigurationException($"strand-key-parent must be an actor path such as /system/sockactors, not '{path}'");
        return elements;
    }

    /// <summary>The strand key of an actor path: the element right below <paramref name="keyParent"/>, or null when
    /// the path is not below it (e.g. /system/sockactors/kernel-3/sock-5/v -> kernel-3; /system/sockactors -> null).
    /// A "*" element of the parent matches any name, and the names it matched are part of the key (two shards' entities
    /// of the same id are different strands).</summary>
    internal static string? StrandKey(ActorPath path, string[] keyParent)
    {
        var elements = path.Elements;
        if (elements.Count <= keyParent.Length) return null;
        string? wild = null;
        for (int i = 0; i < keyParent.Length; i++)
        {
            if (keyParent[i] == "*") wild = wild is null ? elements[i] : wild + "/" + elements[i];
            else if (!string.Equals(elements[i], keyParent[i], StringComparison.Ordinal)) return null;
        }
        return wild is null ? elements[keyParent.Length] : wild + "/" + elements[keyParent.Length];
    }

    /// <summary>The strand key under the first of <paramref name="keyParents"/> that the path is below, or null.</summary>
    internal static string? StrandKey(ActorPath path, string[][] keyParents)
    {
        foreach (var parent in keyParents)
            if (StrandKey(path, parent) is { } key) return key;
        return null;
    }

    /// <summary>Records the actor's mailbox against its kernel's strand (created on first use) before Akka schedules it.</summary>
    public override void Attach(ActorCell cell)
    {
        // Before base.Attach: it schedules the mailbox (the actor's Create message), which must find its strand.
        if (cell.Mailbox is { } mailbox && StrandKey(cell.Self.Path, _keyParents) is { } key)
        {
            Strand strand;
            lock (_byKey)
            {
                if (!_byKey.TryGetValue(key, out strand!))
                    _byKey[key] = strand = new Strand(key, _batch, _reportFailure);
                strand.Attached++;
            }
            _byMailbox[mailbox] = strand;
        }
        base.Attach(cell);
    }

    /// <summary>Removes the actor's mailbox; a strand is dropped when its last actor detaches.</summary>
    public override void Detach(ActorCell cell)
    {
        var mailbox = cell.Mailbox; // base.Detach swaps in the dead-letter mailbox
        try
        {
            base.Detach(cell);
        }
        finally
        {
            if (mailbox is not null && _byMailbox.TryRemove(mailbox, out var strand))
            {
                lock (_byKey)
                {
                    // The strand may still hold this (now closed) mailbox in its queue; running it is a no-op, and the
                    // queue keeps the strand alive until then.
                    if (--strand.Attached == 0) _byKey.Remove(strand.Key);
                }
            }
        }
    }

    /// <summary>Runs a mailbox on its kernel's strand, or anything else on the thread pool.</summary>
    protected override void ExecuteTask(IRunnable run)
    {
        if (run is Mailbox mailbox && _byMailbox.TryGetValue(mailbox, out var strand))
            strand.Execute(run);
        else
            ThreadPool.UnsafeQueueUserWorkItem(_runUnkeyed, run, preferLocal: false);
    }

    private void RunUnkeyed(IRunnable run)
    {
        try
        {
            run.Run();
        }
        catch (Exception e)
        {
            ReportFailure(e); // an exception escaping a pool work item would end the process
        }
    }

    /// <summary>Nothing to release: strands own no threads, and the last Detach already dropped them.</summary>
    protected override void Shutdown()
    {
    }
}
