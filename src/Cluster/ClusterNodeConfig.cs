using System.Globalization;
using Akka.Configuration;

namespace SockActors.Cluster;

/// <summary>
/// The configuration of one node of a SockActors cluster on one machine or a LAN: cluster provider, DotNetty TCP on
/// <c>hostname:port</c> (port 0: any free port), the seed nodes to join, and downing tuned for a simulation: a node
/// that stops answering is marked unreachable after about 4 s and downed by the split-brain resolver (keep-majority)
/// 2 s later, so its hosts move to the survivors within seconds rather than Akka's production defaults (tens of
/// seconds), and the kernel-strand dispatcher's strand-key-parent listing the sharded hosts (which only the node's own
/// configuration can set). Put the application's own configuration in front of it.
/// </summary>
public static class ClusterNodeConfig
{
    /// <param name="hostname">Address the node binds and advertises (127.0.0.1 for a cluster on this machine).</param>
    /// <param name="port">TCP port; 0 picks a free one.</param>
    /// <param name="seeds">Addresses (akka.tcp://system@host:port) of nodes to join; empty to join nobody yet.</param>
    /// <param name="roles">Cluster roles of this node.</param>
    /// <param name="typeName">Sharding type name of the hosts (sockactors.cluster.type-name).</param>
    public static Config Create(string hostname, int port, IEnumerable<string> seeds, IEnumerable<string>? roles = null, string typeName = "sockactors-host")
    {
        string seedList = string.Join(", ", seeds.Select(Quote));
        string roleList = string.Join(", ", (roles ?? []).Select(Quote));
        return ConfigurationFactory.ParseString($$"""
            # Kernels of the kernel manager and sharded hosts are strands: one host's actors run one at a time, hosts in parallel.
            sockactors.dispatchers.kernel-strand.strand-key-parent = ["/system/sockactors", {{Quote(SockActorsCluster.HostsStrandPath(typeName))}}]
            sockactors.cluster.type-name = {{Quote(typeName)}}
            akka {
              loglevel = WARNING
              stdout-loglevel = WARNING
              log-dead-letters = off
              log-dead-letters-during-shutdown = off
              actor.provider = cluster
              remote {
                log-remote-lifecycle-events = off
                dot-netty.tcp {
                  hostname = {{Quote(hostname)}}
                  port = {{port.ToString(CultureInfo.InvariantCulture)}}
                  # Room for a window of page bytes in one message (the default 128 KiB would cap a wire segment).
                  maximum-frame-size = 4 MiB
                  send-buffer-size = 4 MiB
                  receive-buffer-size = 4 MiB
                }
              }
              cluster {
                seed-nodes = [{{seedList}}]
                roles = [{{roleList}}]
                # One machine or a LAN: gossip and leader actions five times as often as Akka's defaults, so a cluster
                # forms and moves hosts in about a second instead of several.
                gossip-interval = 200ms
                leader-actions-interval = 200ms
                unreachable-nodes-reaper-interval = 250ms
                periodic-tasks-initial-delay = 100ms
                # Join retries end: a node whose seeds never answer shuts down instead of trying for ever.
                shutdown-after-unsuccessful-join-seed-nodes = 20s
                failure-detector {
                  heartbeat-interval = 1s
                  # 4 s: a node that is only slow (a loaded machine) is not taken for a dead one.
                  acceptable-heartbeat-pause = 4s
                }
                downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
                split-brain-resolver {
                  active-strategy = keep-majority
                  stable-after = 2s
                }
                sharding {
                  # A region retries its registration with the coordinator (and a shard's home) this often; Akka's 2 s
                  # would delay every first message after the cluster forms or a node is lost.
                  retry-interval = 200ms
                  # A host is a machine: it moves only when its node is lost. A rebalance would stop a living host and
                  # make it again, empty, elsewhere (sharding hands over no state), so the coordinator never rebalances;
                  # new shards still go to the node with the fewest.
                  rebalance-interval = 3650d
                }
                singleton.hand-over-retry-interval = 200ms
                run-coordinated-shutdown-when-down = on
              }
              coordinated-shutdown.exit-clr = off
            }
            """);
    }

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
