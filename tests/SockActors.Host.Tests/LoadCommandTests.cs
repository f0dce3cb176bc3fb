using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace SockActors.Host.Tests;

/// <summary>`sockactors load` and its bad input: node processes of this build on 127.0.0.1, small sizes.</summary>
public sealed class LoadCommandTests
{
    private static readonly string[] Keys =
    [
        "nodes", "hosts", "sockets", "sends", "cross_host_fraction", "seconds", "sends_per_s", "p50_us", "p99_us", "accepted", "delivered",
        "dropped", "corked", "purged", "lost_in_crash", "conserved", "heap_bytes_per_socket",
    ];

    private static JsonElement LastJson(HostRun run) => JsonDocument.Parse(run.OutLines[^1]).RootElement;

    [Fact]
    public void Load_on_three_node_processes_ends_with_one_json_line_of_every_figure_and_accounts_for_every_byte()
    {
        var run = HostRun.Invoke(["load", "--nodes", "3", "--hosts", "6", "--sockets", "200", "--duration", "1", "--json"]);
        Assert.True(run.ExitCode == 0, run.Err + run.Out);
        var json = LastJson(run);
        foreach (var key in Keys) Assert.True(json.TryGetProperty(key, out _), $"no {key} in {run.OutLines[^1]}");
        Assert.Equal(3, json.GetProperty("nodes").GetInt32());
        Assert.True(json.GetProperty("sends").GetInt64() > 0);
        Assert.True(json.GetProperty("cross_host_fraction").GetDouble() > 0, "proxies talk to other hosts' proxies over the wire");
        Assert.True(json.GetProperty("conserved").GetBoolean());
        Assert.Equal(0, json.GetProperty("mismatches").GetInt64());
        Assert.True(json.GetProperty("heap_bytes_per_socket").GetDouble() > 0);
    }

    [Fact]
    public void Killing_a_node_mid_run_restarts_its_hosts_elsewhere_and_every_accepted_byte_is_accounted_for_once()
    {
        var run = HostRun.Invoke(["load", "--nodes", "3", "--hosts", "6", "--sockets", "100", "--duration", "12", "--kill-node-at", "1", "--json"]);
        Assert.True(run.ExitCode == 0, run.Err + run.Out);
        var json = LastJson(run);
        Assert.True(json.GetProperty("conserved").GetBoolean(), run.OutLines[^1]);
        Assert.Equal(0, json.GetProperty("mismatches").GetInt64());
        Assert.True(json.GetProperty("hosts_restarted").GetInt32() + json.GetProperty("connections_reset").GetInt32() > 0, run.OutLines[^1]);
        Assert.True(json.GetProperty("lost_in_crash").GetInt64() > 0, run.OutLines[^1]);
        Assert.Equal(json.GetProperty("accepted").GetInt64(),
            json.GetProperty("delivered").GetInt64() + json.GetProperty("dropped").GetInt64() + json.GetProperty("corked").GetInt64()
            + json.GetProperty("purged").GetInt64() + json.GetProperty("lost_in_crash").GetInt64());
    }

    [Fact]
    public void Load_joins_a_cluster_of_a_node_process_started_on_its_own()
    {
        using var node = SockActors.Host.Load.ClusterNodes.StartProcess(1, "127.0.0.1", seed: null, TimeSpan.FromSeconds(30));
        try
        {
            var run = HostRun.Invoke(["load", "--join", node.Address, "--hosts", "3", "--sockets", "60", "--duration", "1", "--json"]);
            Assert.True(run.ExitCode == 0, run.Err + run.Out);
            var json = LastJson(run);
            Assert.Equal(1, json.GetProperty("nodes").GetInt32());
            Assert.True(json.GetProperty("sends").GetInt64() > 0);
            Assert.True(json.GetProperty("conserved").GetBoolean(), run.OutLines[^1]);
        }
        finally
        {
            node.Stop(TimeSpan.FromSeconds(5));
        }
    }

    [Fact]
    public void An_unknown_flag_is_a_one_line_error()
    {
        var run = HostRun.Invoke(["load", "--bogus"]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--bogus", run.Err);
        Assert.False(run.HasStackTrace);
    }

    [Fact]
    public void A_port_that_cannot_be_bound_is_a_one_line_error()
    {
        var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        try
        {
            int port = ((IPEndPoint)taken.LocalEndpoint).Port;
            var run = HostRun.Invoke(["load", "--nodes", "1", "--hosts", "1", "--sockets", "20", "--duration", "1", "--port", port.ToString()]);
            Assert.Equal(2, run.ExitCode);
            Assert.Contains($"cannot listen on 127.0.0.1:{port}", run.Err);
            Assert.Single(run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.False(run.HasStackTrace);
        }
        finally
        {
            taken.Stop();
        }
    }

    [Fact]
    public void A_join_address_that_does_not_answer_is_a_one_line_error_not_a_hang()
    {
        var free = new TcpListener(IPAddress.Loopback, 0);
        free.Start();
        int port = ((IPEndPoint)free.LocalEndpoint).Port;
        free.Stop();
        var run = HostRun.Invoke(["load", "--join", $"akka.tcp://sockactors@127.0.0.1:{port}", "--hosts", "1", "--sockets", "20", "--duration", "1", "--form-timeout", "3"]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--join", run.Err);
        Assert.Contains("no node with hosts answered", run.Err);
        Assert.False(run.HasStackTrace);
    }

    [Theory]
    [InlineData("--join", "not-an-address", "is not a node address")]
    [InlineData("--nodes", "0", "--nodes must be between 1 and 16")]
    [InlineData("--hosts", "0", "--hosts must be at least 1")]
    [InlineData("--sockets", "3", "--sockets must be at least")]
    [InlineData("--duration", "0", "--duration must be more than 0")]
    [InlineData("--kill-node-at", "99", "--kill-node-at must be within the duration")]
    public void Bad_option_values_are_one_line_errors(string option, string value, string message)
    {
        var run = HostRun.Invoke(["load", option, value]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Err);
        Assert.False(run.HasStackTrace);
    }
}
