using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SockActors.Cluster.Load;
using SockActors.Host.Load;

namespace SockActors.Host.Commands;

/// <summary>
/// `sockactors load`: a clustered load simulation. Simulated hosts (the sidecar topology of a service mesh: SK_MSG
/// redirects between applications and their proxy on each host, TCP between proxies of different hosts) are sharded
/// over --nodes node processes it starts on this machine, or over a cluster it --join s. Traffic runs for --duration
/// seconds with live progress on a terminal; then throughput, latency, the heap per idle socket and the conservation
/// check are printed (one JSON line with --json). --kill-node-at kills a node mid-run; --compare-single-node runs the
/// same workload on one node in this process afterwards. Exit 0 when every accepted byte is accounted for, 1 when not.
/// </summary>
public static class LoadCommand
{
    public static Command Create(CommonOptions common, HostContext ctx)
    {
        var nodes = new Option<int>("--nodes") { Description = "Node processes to start on this machine (default 3)", DefaultValueFactory = _ => 3 };
        var join = new Option<string?>("--join") { Description = "Join the cluster of this node address (akka.tcp://sockactors@HOST:PORT) instead of starting nodes" };
        var hosts = new Option<int>("--hosts") { Description = "Simulated hosts (default 30)", DefaultValueFactory = _ => 30 };
        var sockets = new Option<int>("--sockets") { Description = "Sockets in total over all hosts; those not in the sidecar topology are idle (default 100000)", DefaultValueFactory = _ => 100_000 };
        var duration = new Option<double>("--duration") { Description = "Seconds of traffic (default 10)", DefaultValueFactory = _ => 10.0 };
        var size = new Option<int>("--size") { Description = "Bytes per sendmsg of the bulk flows (default 64)", DefaultValueFactory = _ => 64 };
        var json = new Option<bool>("--json") { Description = "End with one JSON line of the figures" };
        var killAt = new Option<double?>("--kill-node-at") { Description = "Kill the youngest node process this many seconds into the traffic (needs --nodes of at least 2)" };
        var single = new Option<bool>("--compare-single-node") { Description = "Also run the same workload on one node in this process and report the ratio" };
        var port = new Option<int>("--port") { Description = "Port of this driver's own cluster member (default 0: any free port)", DefaultValueFactory = _ => 0 };
        var formTimeout = new Option<double>("--form-timeout") { Description = "Seconds to wait for the cluster to form, or for --join to answer (default 30)", DefaultValueFactory = _ => 30.0 };
        var hostname = new Option<string>("--hostname") { Description = "Address of this driver and of the nodes it starts (default 127.0.0.1)", DefaultValueFactory = _ => "127.0.0.1" };
        var command = new Command("load", "Clustered load simulation: simulated hosts sharded over an Akka.NET cluster, sockmap acceleration inside each host, TCP between hosts")
        {
            nodes, join, hosts, sockets, duration, size, json, killAt, single, port, hostname, formTimeout,
        };
        command.SetAction(parse =>
        {
            var options = new LoadOptions
            {
                Hosts = parse.GetValue(hosts),
                Sockets = parse.GetValue(sockets),
                Duration = TimeSpan.FromSeconds(Math.Min(parse.GetValue(duration), 1e6)),
                Size = parse.GetValue(size),
            };
            if (options.Problem() is { } problem) throw new HostException(problem);
            int n = parse.GetValue(nodes);
            string? joinAddress = parse.GetValue(join);
            bool nodesGiven = parse.GetResult(nodes) is { Implicit: false };
            if (joinAddress is not null && nodesGiven) throw new HostException("--nodes and --join exclude each other: start nodes, or join a cluster");
            if (joinAddress is null && n is < 1 or > 16) throw new HostException($"--nodes must be between 1 and 16, got {n}");
            if (joinAddress is not null) ClusterNodes.ParseAddress(joinAddress, "--join");
            double? kill = parse.GetValue(killAt);
            if (kill is { } k)
            {
                if (joinAddress is not null) throw new HostException("--kill-node-at kills a node this run started: use it with --nodes, not --join");
                if (n < 2) throw new HostException("--kill-node-at needs at least 2 nodes, so that the hosts have somewhere to go");
                if (k <= 0 || k >= options.Duration.TotalSeconds) throw new HostException($"--kill-node-at must be within the duration (0 to {options.Duration.TotalSeconds} s), got {k}");
            }
            double form = parse.GetValue(formTimeout);
            if (form is <= 0 or > 600) throw new HostException($"--form-timeout must be more than 0 and at most 600 seconds, got {form}");
            var where = new LoadCluster(n, joinAddress, parse.GetValue(hostname)!, parse.GetValue(port), kill, TimeSpan.FromSeconds(form));
            return Execute(where, options, parse.GetValue(json), parse.GetValue(single), ctx);
        });
        return command;
    }

    public static int Execute(LoadCluster where, LoadOptions options, bool json, bool compareSingle, HostContext ctx)
    {
        bool live = Terminal.IsInteractive(ctx, stderr: true);
        void Progress(string run, LoadProgress p)
        {
            if (!live) return;
            ctx.Err.Write($"\r\u001b[K{run}: {p.Phase} {p.Seconds:0.0} s, {p.Sends:N0} sends" + (p.HostsRestarted > 0 ? $", {p.HostsRestarted} hosts restarted" : ""));
            ctx.Err.Flush();
        }
        void ClearProgress()
        {
            if (!live) return;
            ctx.Err.Write("\r\u001b[K");
            ctx.Err.Flush();
        }

        LoadResult cluster;
        try
        {
            cluster = LoadRun.RunCluster(where, options, p => Progress("cluster", p), CancellationToken.None);
        }
        finally
        {
            ClearProgress();
        }
        LoadResult? single = null;
        if (compareSingle)
        {
            try
            {
                single = LoadRun.RunSingleNode(options, p => Progress("one node", p), CancellationToken.None);
            }
            finally
            {
                ClearProgress();
            }
        }

        if (json) ctx.Out.WriteLine(JsonLine(cluster, single));
        else Print(cluster, single, ctx.Out);
        bool ok = cluster.Conserved && (single?.Conserved ?? true);
        return ok ? ExitCodes.Ok : ExitCodes.Failed;
    }

    private static void Print(LoadResult r, LoadResult? single, TextWriter o)
    {
        o.WriteLine($"load: {r.Nodes} nodes, {r.Hosts} hosts, {r.Sockets:N0} sockets, {r.Seconds:0.0} s of traffic");
        PrintFigures(r, o);
        if (single is not null)
        {
            o.WriteLine("same workload on one node (this process):");
            PrintFigures(single, o);
            o.WriteLine($"  ratio        {Ratio(r, single):0.00}x the sends/s of one node");
        }
    }

    private static void PrintFigures(LoadResult r, TextWriter o)
    {
        o.WriteLine($"  sends        {r.Sends:N0} ({r.SendsPerSecond:N0}/s), {r.CrossHostFraction:P1} between hosts, {r.CrossNodeFraction:P1} between nodes");
        o.WriteLine($"  latency      p50 {r.P50Us:N0} us, p99 {r.P99Us:N0} us (a checked sendmsg, asked from the driver)");
        o.WriteLine($"  heap         {r.HeapBytesPerSocket:N0} B per idle socket");
        if (r.HostsRestarted > 0 || r.ConnectionsReset > 0)
            o.WriteLine($"  faults       {r.HostsRestarted} hosts restarted on surviving nodes, {r.ConnectionsReset} connections reset and made again");
        o.WriteLine($"  bytes        accepted {r.Accepted:N0} = delivered {r.Delivered:N0} + dropped {r.Dropped:N0} + corked {r.Corked:N0} + purged {r.Purged:N0} + lost in crash {r.LostInCrash:N0}");
        string verdict = r.Conserved
            ? "conserved"
            : $"NOT conserved (difference {r.Accepted - r.Delivered - r.Dropped - r.Corked - r.Purged - r.LostInCrash:N0}, {r.Mismatches:N0} checked bytes out of place, {r.Unanswered} requests unanswered)";
        o.WriteLine($"  check        {verdict}; checked streams: {r.Mismatches:N0} bytes out of place");
    }

    private static double Ratio(LoadResult cluster, LoadResult single) => single.SendsPerSecond > 0 ? cluster.SendsPerSecond / single.SendsPerSecond : 0;

    public static string JsonLine(LoadResult r, LoadResult? single)
    {
        var line = new Dictionary<string, object>
        {
            ["nodes"] = r.Nodes,
            ["hosts"] = r.Hosts,
            ["sockets"] = r.Sockets,
            ["sends"] = r.Sends,
            ["cross_host_fraction"] = Math.Round(r.CrossHostFraction, 4),
            ["cross_node_fraction"] = Math.Round(r.CrossNodeFraction, 4),
            ["seconds"] = Math.Round(r.Seconds, 3),
            ["sends_per_s"] = Math.Round(r.SendsPerSecond),
            ["p50_us"] = Math.Round(r.P50Us, 1),
            ["p99_us"] = Math.Round(r.P99Us, 1),
            ["accepted"] = r.Accepted,
            ["delivered"] = r.Delivered,
            ["dropped"] = r.Dropped,
            ["corked"] = r.Corked,
            ["purged"] = r.Purged,
            ["lost_in_crash"] = r.LostInCrash,
            ["conserved"] = r.Conserved,
            ["heap_bytes_per_socket"] = Math.Round(r.HeapBytesPerSocket),
            ["mismatches"] = r.Mismatches,
            ["hosts_restarted"] = r.HostsRestarted,
            ["connections_reset"] = r.ConnectionsReset,
        };
        if (single is not null)
        {
            line["single_node_sends_per_s"] = Math.Round(single.SendsPerSecond);
            line["single_node_conserved"] = single.Conserved;
            line["ratio_to_single_node"] = Math.Round(Ratio(r, single), 3);
        }
        return JsonSerializer.Serialize(line);
    }
}
