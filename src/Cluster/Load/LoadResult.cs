namespace SockActors.Cluster.Load;

/// <summary>
/// What a load run measured. The conservation rule: every byte a send accepted is <see cref="Delivered"/> (read by
/// the receiver), <see cref="Dropped"/> (a drop verdict; this workload has none), <see cref="Corked"/> (still held by a
/// cork at the end), <see cref="Purged"/> (in a receive queue closed unread at the end) or <see cref="LostInCrash"/>
/// (on a host whose node was killed, accepted and not read before the crash). The first four are the kernels' own
/// counts at the end of the run; the last is what the crashed incarnations of hosts had accepted but not delivered.
/// </summary>
public sealed record LoadResult
{
    public int Nodes { get; init; }
    public int Hosts { get; init; }
    public int Sockets { get; init; }
    public long Sends { get; init; }
    public long CrossHostSends { get; init; }

    /// <summary>Sends between hosts on different nodes (by where the hosts were at the end of the run; 0 on one node).</summary>
    public long CrossNodeSends { get; init; }
    public double Seconds { get; init; }
    public double P50Us { get; init; }
    public double P99Us { get; init; }
    public long Accepted { get; init; }
    public long Delivered { get; init; }
    public long Dropped { get; init; }
    public long Corked { get; init; }
    public long Purged { get; init; }
    public long LostInCrash { get; init; }

    /// <summary>Bytes of the checked streams that arrived other than as sent (duplicated, reordered or altered).</summary>
    public long Mismatches { get; init; }

    /// <summary>Requests whose reply never came from a host that was not lost: their bytes cannot be accounted for.</summary>
    public long Unanswered { get; init; }

    /// <summary>Connections between hosts that ended with a lost host (ECONNRESET / EPIPE) and were made again.</summary>
    public int ConnectionsReset { get; init; }

    /// <summary>Hosts made again on a surviving node after their node was lost.</summary>
    public int HostsRestarted { get; init; }

    /// <summary>Managed heap per idle socket, measured around their creation on every node (0 when not measured).</summary>
    public double HeapBytesPerSocket { get; init; }

    public double SendsPerSecond => Seconds > 0 ? Sends / Seconds : 0;
    public double CrossHostFraction => Sends > 0 ? (double)CrossHostSends / Sends : 0;
    public double CrossNodeFraction => Sends > 0 ? (double)CrossNodeSends / Sends : 0;

    /// <summary>accepted = delivered + dropped + corked + purged + lost in a crash, no checked byte out of place and no
    /// request left without its answer.</summary>
    public bool Conserved => Accepted == Delivered + Dropped + Corked + Purged + LostInCrash && Mismatches == 0 && Unanswered == 0;
}
