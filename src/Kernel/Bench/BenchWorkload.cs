namespace SockActors.Kernel.Bench;

/// <summary>The bench workloads, through the contract's topology with the scenario program attached.</summary>
public enum BenchWorkload
{
    /// <summary>SK_PASS: c1 -&gt; p1.</summary>
    Pass,

    /// <summary>Redirect to sock_map[1] (p2) egress: c1 -&gt; p2's send path -&gt; c2.</summary>
    RedirectEgress,

    /// <summary>Redirect to sock_map[1] (p2) with BPF_F_INGRESS: c1 -&gt; p2's ingress queue, read on p2.</summary>
    RedirectIngress,
}

/// <summary>One bench run: sends and bytes accepted by the kernel in <see cref="Seconds"/>, and what the receiver drained.</summary>
public sealed record BenchResult(
    BenchWorkload Workload,
    int MessageSize,
    long Sends,
    long Bytes,
    long BytesReceived,
    double Seconds,
    int FailedSends)
{
    public double SendsPerSecond => Seconds > 0 ? Sends / Seconds : 0;

    /// <summary>Megabytes (10^6 bytes) accepted per second.</summary>
    public double MegabytesPerSecond => Seconds > 0 ? Bytes / Seconds / 1e6 : 0;

    public override string ToString() =>
        $"{Workload,-16} {MessageSize,6} B  {Sends,9} sends  {Seconds,5:0.00} s  {SendsPerSecond,11:0} sends/s  {MegabytesPerSecond,9:0.0} MB/s";
}
