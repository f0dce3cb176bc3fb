using Akka.Actor;
using Akka.Configuration;

namespace SockActors.Actors;

/// <summary>The sockactors section of the configuration (documented key by key in reference.conf).</summary>
public sealed record SockActorsSettings
{
    /// <summary>Dispatcher id of every actor of a simulated kernel (one kernel's actors run one at a time; see reference.conf).</summary>
    public required string KernelDispatcher { get; init; }

    /// <summary>Deterministic mode: calling-thread dispatcher, seeded interleaving of socket calls.</summary>
    public bool Deterministic { get; init; }

    /// <summary>Default interleaving seed of new kernels (deterministic mode; 0 = calls run in arrival order).</summary>
    public long InterleavingSeed { get; init; }

    /// <summary>SO_SNDTIMEO deadlines are also scheduled on the actor system's scheduler (TestScheduler in tests).</summary>
    public bool SchedulerClock { get; init; }

    /// <summary>Default kernel profile name of new kernels.</summary>
    public string Profile { get; init; } = "linux-6.18";

    /// <summary>Default random seed of new kernels (bpf_get_prandom_u32).</summary>
    public long Seed { get; init; } = 1;

    /// <summary>sockactors.verdict = actor: each psock's verdict (tcp_bpf_send_verdict) runs in its own verdict actor,
    /// a child of the socket's actor; false (in-place): in the socket actor's turn, without the hop.</summary>
    public bool VerdictActors { get; init; } = true;

    /// <summary>Record each completed socket call in the kernel trace.</summary>
    public bool TraceCalls { get; init; }

    /// <summary>Most lines a kernel trace keeps.</summary>
    public int TraceLimit { get; init; } = 100_000;

    /// <summary>How long a SimulatedHost call waits for its reply before it fails with a TimeoutException.</summary>
    public TimeSpan AskTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>sockactors.programs: BPF object file per map name, loaded into every kernel SimulatedHost makes.</summary>
    public IReadOnlyDictionary<string, string> Programs { get; init; } = new Dictionary<string, string>();

    /// <summary>sockactors.wire: latency and bandwidth of links between hosts that have no link of their own.</summary>
    public Model.Net.TcpLink WireLink { get; init; } = Model.Net.TcpLink.Instant;

    /// <summary>Reads the sockactors section of the system's configuration (with reference.conf as fallback).</summary>
    public static SockActorsSettings Create(ActorSystem system) => Create(system.Settings.Config);

    /// <summary>Reads the sockactors section of <paramref name="config"/> (with reference.conf as fallback).</summary>
    public static SockActorsSettings Create(Config config)
    {
        var c = config.WithFallback(SockActorsExtension.DefaultConfig()).GetConfig("sockactors");
        bool deterministic = c.GetBoolean("deterministic");
        string clock = c.GetString("clock", "virtual");
        if (clock is not ("virtual" or "scheduler"))
            throw new ConfigurationException($"sockactors.clock must be 'virtual' or 'scheduler', not '{clock}'");
        string verdict = c.GetString("verdict", "actor");
        if (verdict is not ("actor" or "in-place"))
            throw new ConfigurationException($"sockactors.verdict must be 'actor' or 'in-place', not '{verdict}'");
        return new SockActorsSettings
        {
            VerdictActors = verdict == "actor",
            KernelDispatcher = deterministic ? c.GetString("deterministic-dispatcher") : c.GetString("kernel-dispatcher"),
            Deterministic = deterministic,
            InterleavingSeed = c.GetLong("interleaving-seed"),
            SchedulerClock = clock == "scheduler",
            Profile = c.GetString("profile"),
            Seed = c.GetLong("seed"),
            TraceCalls = c.GetBoolean("trace-calls"),
            TraceLimit = c.GetInt("trace-limit"),
            AskTimeout = AskTimeoutOf(c),
            Programs = ReadPrograms(c),
            WireLink = WireLinkOf(c),
        };
    }

    private static Model.Net.TcpLink WireLinkOf(Config c)
    {
        var latency = c.GetTimeSpan("wire.latency", TimeSpan.Zero);
        long bandwidth = c.GetLong("wire.bandwidth", 0);
        if (latency < TimeSpan.Zero) throw new ConfigurationException($"sockactors.wire.latency must not be negative, not {latency}");
        if (bandwidth < 0) throw new ConfigurationException($"sockactors.wire.bandwidth must not be negative, not {bandwidth}");
        return new Model.Net.TcpLink(latency.Ticks * 100, bandwidth);
    }

    private static TimeSpan AskTimeoutOf(Config c)
    {
        var t = c.GetTimeSpan("ask-timeout", TimeSpan.FromSeconds(30));
        if (t <= TimeSpan.Zero) throw new ConfigurationException($"sockactors.ask-timeout must be positive, not {t}");
        return t;
    }

    private static Dictionary<string, string> ReadPrograms(Config c)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var programs = c.GetConfig("programs");
        if (programs is null || programs.IsEmpty) return result;
        foreach (var entry in programs.AsEnumerable())
        {
            string path = entry.Value.GetString();
            if (string.IsNullOrWhiteSpace(path))
                throw new ConfigurationException($"sockactors.programs.{entry.Key} must name a BPF object file");
            result[entry.Key] = path;
        }
        return result;
    }
}
