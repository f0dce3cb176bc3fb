using System.CommandLine;
using Akka.Actor;
using SockActors.Cluster;
using SockActors.Host.Load;

namespace SockActors.Host.Commands;

/// <summary>
/// `sockactors node` (hidden; `load --nodes` starts it): one cluster node that holds sharded hosts. It binds
/// --hostname:--port, prints "node ADDRESS" on stdout once it listens, joins --seed (or, without one, starts a cluster
/// of its own that others join), and runs until its standard input
/// ends (the process that started it is gone or closed it) or the cluster downs it. A port that cannot be bound is a
/// one-line error and exit 2.
/// </summary>
public static class NodeCommand
{
    public static Command Create(HostContext ctx)
    {
        var hostname = new Option<string>("--hostname") { Description = "Address to bind and advertise", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "TCP port (0: any free port)", DefaultValueFactory = _ => 0 };
        var seed = new Option<string[]>("--seed") { Description = "Address of a node to join (repeatable); none: start a cluster", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("node", "Run one cluster node that holds simulated hosts (started by `load --nodes`)") { hostname, port, seed };
        command.Hidden = true;
        command.SetAction(parse => Execute(parse.GetValue(hostname)!, parse.GetValue(port), parse.GetValue(seed) ?? [], ctx));
        return command;
    }

    public static int Execute(string hostname, int port, string[] seeds, HostContext ctx)
    {
        foreach (var s in seeds) ClusterNodes.ParseAddress(s, "--seed");
        var system = ClusterNodes.StartSystem(hostname, port, seeds, ClusterNodes.HostsRole);
        try
        {
            NodeAgents.Start(system);
            // Without a seed the node starts a cluster of its own, which others (and `load --join`) join.
            if (seeds.Length == 0) Akka.Cluster.Cluster.Get(system).Join(Akka.Cluster.Cluster.Get(system).SelfAddress);
            ctx.Out.WriteLine($"node {Akka.Cluster.Cluster.Get(system).SelfAddress}");
            ctx.Out.Flush();
            // Runs until stdin ends (the parent closed it or died) or the system stops (downed, or left).
            var stdinEnded = Task.Run(() =>
            {
                while (ctx.In.ReadLine() is not null)
                {
                }
            });
            Task.WaitAny(stdinEnded, system.WhenTerminated);
            return ExitCodes.Ok;
        }
        finally
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
        }
    }
}
