namespace SockActors.Cluster.Tests;

/// <summary>The socket id base of a host's incarnations: derived, not random, and different for each incarnation.</summary>
public class HostIncarnationTests
{
    [Fact]
    public void Each_incarnation_of_a_host_on_a_node_gets_its_own_socket_id_base_and_the_same_inputs_give_the_same_bases()
    {
        // A node address no other test uses, so the process-wide incarnation count starts at 1 here.
        const string node = "akka.tcp://incarnation-test@127.0.0.1:1";
        var bases = Enumerable.Range(0, 5).Select(_ => HostActor.IncarnationBase(node, "host-3")).ToArray();
        Assert.Equal(bases.Length, bases.Distinct().Count());
        Assert.All(bases, b => Assert.True(b >= 1 << 20 && b % (1 << 20) == 0 && b <= 2047 << 20, $"base {b}"));

        // Another node counts its own incarnations of the host; the address keeps its bases apart from the first node's.
        const string other = "akka.tcp://incarnation-test@127.0.0.1:2";
        Assert.NotEqual(bases[0], HostActor.IncarnationBase(other, "host-3"));

        // Deterministic: the first incarnation's base is a function of (address, host, 1).
        ulong h = Model.Scenarios.Fnv1a.Hash(System.Text.Encoding.UTF8.GetBytes($"{node}|host-3|1"));
        Assert.Equal((int)(h % 2047 + 1) << 20, bases[0]);
    }
}
