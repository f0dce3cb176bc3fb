namespace SockActors.Kernel;

/// <summary>How <see cref="KernelScenarioRunner"/> runs scenarios on the live kernel.</summary>
public sealed record KernelRunnerOptions
{
    /// <summary>The BPF object to load; null compiles the repository's bpf/sk_msg_scenario.bpf.c with clang on first use.
    /// Any object with the contract's maps and one sk_msg program can stand in.</summary>
    public string? ObjectPath { get; init; }

    /// <summary>Each receiver is read until it has been quiet this long (contract: 200 ms).</summary>
    public TimeSpan QuietTime { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Whether the receivers' quiet windows follow one another (the published recording) or overlap.</summary>
    public ReadOrder ReadOrder { get; init; } = ReadOrder.Sequential;

    /// <summary>c1's SO_SNDTIMEO (contract: 1 s).</summary>
    public TimeSpan SendTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Run each scenario in a worker child process inside a memory cgroup (see <see cref="Guard.MemoryGuard"/>),
    /// so a scenario that still allocates without end is killed and reported as a runaway. Off runs in this process.</summary>
    public bool Guarded { get; init; } = true;

    /// <summary>The worker cgroup's memory limit (user memory of the worker plus its socket memory).</summary>
    public long MemoryLimitBytes { get; init; } = 512L * 1024 * 1024;

    /// <summary>A scenario that takes longer than this in the worker is killed and reported as a runaway.</summary>
    public TimeSpan ScenarioTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
