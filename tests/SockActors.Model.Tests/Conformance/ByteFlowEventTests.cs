using SockActors.Model.Net;
using SockActors.Model.Scenarios;

namespace SockActors.Model.Tests.Conformance;

/// <summary>SimKernel.BytesMoved: where the send path put bytes, checked against what the receivers read.</summary>
public class ByteFlowEventTests
{
    private static (ScenarioResult Result, Dictionary<(string, ByteFlowKind), long> Moved) Run(string name)
    {
        var (scenario, _) = ObservedScenarios.Get(name);
        var kernel = new SimKernel();
        var moved = new Dictionary<(string, ByteFlowKind), long>();
        kernel.BytesMoved += e => moved[(e.SockName, e.Kind)] = moved.GetValueOrDefault((e.SockName, e.Kind)) + e.Bytes;
        var topo = ScenarioTopology.Build(scenario, ScenarioProgramFactory.Instance, kernel);
        try
        {
            return (topo.RunToEnd(), moved);
        }
        finally
        {
            topo.Close();
        }
    }

    [Theory]
    [MemberData(nameof(ObservedScenarios.Names), MemberType = typeof(ObservedScenarios))]
    public void No_receiver_reads_more_than_the_send_path_queued_for_it(string name)
    {
        var (r, moved) = Run(name);
        if (r.Runaway) return;
        Assert.True(moved.GetValueOrDefault(("c1", ByteFlowKind.TcpQueued)) >= r.P1.Bytes, $"p1 read {r.P1.Bytes}");
        Assert.True(moved.GetValueOrDefault(("p2", ByteFlowKind.TcpQueued)) >= r.C2.Bytes, $"c2 read {r.C2.Bytes}");
        Assert.True(moved.GetValueOrDefault(("p2", ByteFlowKind.Ingress)) >= r.P2.Bytes, $"p2 read {r.P2.Bytes}");
    }

    [Fact]
    public void A_pass_program_queues_every_byte_on_the_senders_tcp_and_a_drop_program_drops_every_send()
    {
        var (pass, moved) = Run("sendm-pass-many");
        Assert.Equal(pass.Sends.Sum(s => (long)s.Len), moved[("c1", ByteFlowKind.TcpQueued)]);
        Assert.Single(moved);

        var (drop, dropped) = Run("sendm-drop");
        // The first send runs the program; the cached SK_DROP then frees the later sends' bytes without a run.
        Assert.Equal(1, drop.RunsTotal);
        Assert.Equal(drop.Sends.Sum(s => (long)s.Len), dropped[("c1", ByteFlowKind.Dropped)]);
        Assert.False(dropped.ContainsKey(("c1", ByteFlowKind.TcpQueued)));
    }
}
