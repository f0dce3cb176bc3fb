namespace SockActors.Cluster.Load;

/// <summary>What `sockactors load` runs: how many hosts and sockets, for how long, and the size of its sends.</summary>
public sealed record LoadOptions
{
    /// <summary>Simulated hosts (host-1 .. host-H).</summary>
    public int Hosts { get; init; } = 30;

    /// <summary>Sockets in all, over all hosts: the active ones of the sidecar topology, the rest idle connected pairs.</summary>
    public int Sockets { get; init; } = 100_000;

    /// <summary>How long traffic runs.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Bytes per sendmsg of the batched flows.</summary>
    public int Size { get; init; } = 64;

    /// <summary>sendmsg calls per SendMsgBatch request of the batched flows.</summary>
    public int Batch { get; init; } = 256;

    /// <summary>Bytes per sendmsg of the checked flows (each byte read back and compared).</summary>
    public int CheckedSize { get; init; } = 1024;

    /// <summary>How long one request may take before its host is taken for lost.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Sockets each host's sidecar topology uses at most: two local pairs, and a sending socket here and a
    /// listener and an accepted socket on the far host for each of three connections; the rest of <see cref="Sockets"/>
    /// are idle.</summary>
    public const int ActiveSocketsPerHost = 13;

    /// <summary>The first problem with these options, or null.</summary>
    public string? Problem() =>
        Hosts < 1 ? $"--hosts must be at least 1, got {Hosts}"
        : Sockets < Hosts * ActiveSocketsPerHost ? $"--sockets must be at least {Hosts * ActiveSocketsPerHost} ({ActiveSocketsPerHost} per host for {Hosts} hosts), got {Sockets}"
        : Sockets > 10_000_000 ? $"--sockets must be at most 10,000,000, got {Sockets}"
        : Duration <= TimeSpan.Zero || Duration > TimeSpan.FromHours(1) ? $"--duration must be more than 0 and at most 3600 seconds, got {Duration.TotalSeconds}"
        : Size is < 1 or > 65536 ? $"--size must be between 1 and 65536, got {Size}"
        : null;
}
