using Akka.Actor;
using SockActors.Model.Maps;
using SockActors.Model.Net;
using SockActors.Model.Programs;

namespace SockActors.Actors.Runtime;

/// <summary>
/// The bookkeeping of one simulated kernel's actors: which actor owns which socket, map and program, which socket
/// actor is running now, the SO_SNDTIMEO deadlines on virtual time and the event trace. It is touched only from the
/// kernel's actors, which run one at a time on the kernel's strand (see docs/actors.md, "One kernel at a time, kernels on every core"), so it
/// needs no locks. It holds no kernel rule.
/// </summary>
internal sealed class KernelRuntime
{
    public KernelRuntime(int kernelId, SimKernel kernel, SockActorsSettings settings, bool seededInterleaving)
    {
        SeededInterleaving = seededInterleaving;
        KernelId = kernelId;
        Kernel = kernel;
        Settings = settings;
    }

    public int KernelId { get; }
    public SimKernel Kernel { get; }
    public SockActorsSettings Settings { get; }

    /// <summary>Deterministic mode with an interleaving seed: socket calls sent through the kernel are held and released
    /// in seeded order.</summary>
    public bool SeededInterleaving { get; }
    public IActorRef KernelActor { get; set; } = ActorRefs.Nobody;

    public Dictionary<int, IActorRef> SocketRefs { get; } = new();
    public Dictionary<int, Sock> Socks { get; } = new();
    public Dictionary<int, SockMapBase> Maps { get; } = new();
    public Dictionary<int, IActorRef> MapRefs { get; } = new();
    public Dictionary<int, ISkMsgProgram> Programs { get; } = new();
    public Dictionary<int, IActorRef> ProgramRefs { get; } = new();

    /// <summary>The socket or verdict actor whose turn is running (inner turns of the calling-thread dispatcher restore it).</summary>
    public IModelCallHost? Current { get; set; }

    /// <summary>Verdicts handed from a socket actor to its verdict actor (<see cref="Protocol.RunVerdict"/>) by call id:
    /// the send's message and byte count are model objects of this kernel, handed over by id as pages are.</summary>
    public Dictionary<long, SendVerdictCall> VerdictCalls { get; } = new();

    private int _turnThread;

    /// <summary>Marks the start of an actor turn of this kernel. Two turns at once (a dispatcher that runs the kernel
    /// on several threads) would let the model's objects be touched concurrently: that fails loudly.</summary>
    public void EnterTurn(string who)
    {
        int me = Environment.CurrentManagedThreadId;
        int other = _turnThread;
        if (other != 0 && other != me)
        {
            throw new InvalidOperationException(
                $"kernel {KernelId}: {who} runs on thread {me} while another actor of the kernel runs on thread {other}; " +
                "sockactors.kernel-dispatcher must run the actors of a kernel one at a time");
        }
        _turnThread = me;
    }

    public void ExitTurn() => _turnThread = 0;

    /// <summary>
    /// The turn of a socket-side actor (a socket's or its verdict actor): the kernel's turn, <paramref name="host"/> as
    /// the model's current call host, and no synchronization context, because the model's suspended calls resume inside
    /// these turns and their awaits must not capture the context of whatever thread runs the turn (a test framework's),
    /// or a continuation would be posted to run outside it. Disposing it restores all three (inner turns of the
    /// calling-thread dispatcher nest).
    /// </summary>
    public CallHostTurn EnterCallHostTurn(string who, IModelCallHost host)
    {
        var turn = new CallHostTurn(this, Current, SynchronizationContext.Current);
        EnterTurn(who);
        Current = host;
        SynchronizationContext.SetSynchronizationContext(null);
        return turn;
    }

    /// <summary>What <see cref="EnterCallHostTurn"/> replaced; a struct, so a turn allocates nothing.</summary>
    public readonly struct CallHostTurn(KernelRuntime rt, IModelCallHost? previous, SynchronizationContext? context) : IDisposable
    {
        /// <summary>Restores the synchronization context and the previous call host; ends the kernel's turn when this
        /// was the outermost one.</summary>
        public void Dispose()
        {
            SynchronizationContext.SetSynchronizationContext(context);
            rt.Current = previous;
            if (previous is null) rt.ExitTurn();
        }
    }

    private long _nextId;
    public long NextId() => ++_nextId;

    /// <summary>SO_SNDTIMEO / SO_RCVTIMEO deadlines of sleeping calls, earliest first (deadline, wait id) -> socket id.</summary>
    public SortedDictionary<(long DeadlineNs, long WaitId), int> Deadlines { get; } = new();

    /// <summary>Calls sleeping in the kernel (for memory or for data), per socket.</summary>
    public Dictionary<int, int> Sleeping { get; } = new();

    public void AddSleeper(int sockId) => Sleeping[sockId] = Sleeping.GetValueOrDefault(sockId) + 1;

    public void RemoveSleeper(int sockId)
    {
        if (Sleeping.TryGetValue(sockId, out int n))
        {
            if (n <= 1) Sleeping.Remove(sockId);
            else Sleeping[sockId] = n - 1;
        }
    }

    public int SleepingCalls => Sleeping.Values.Sum();

    /// <summary>The seeded interleaving's random source (deterministic mode with a seed), or null: it draws which
    /// held call runs next and which acquisition of a socket lock goes first.</summary>
    public Random? Interleaving { get; init; }

    /// <summary>The id and actor of a model map of this kernel.</summary>
    public (int Id, IActorRef Ref) MapActorOf(SockMapBase map)
    {
        foreach (var kv in Maps)
            if (ReferenceEquals(kv.Value, map)) return (kv.Key, MapRefs[kv.Key]);
        throw new InvalidOperationException($"kernel {KernelId}: map {map.Name} has no actor");
    }

    /// <summary>Completed socket calls and program trace lines, in order (bounded by sockactors.trace-limit).</summary>
    public List<string> Trace { get; } = new();

    public void AddTrace(string line)
    {
        if (Trace.Count < Settings.TraceLimit) Trace.Add(line);
    }
}
