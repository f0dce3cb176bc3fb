using SockActors.Model.Net;
using SockActors.Model.Scenarios;

namespace SockActors.Model.Tests.Conformance;

/// <summary>
/// bpf_tcp_ingress's copy of the sender's entries carries no scatterlist end mark (TcpBpf.BpfTcpIngress). In these
/// scenarios the sender's ring wraps onto slot 17, whose entry keeps sg_init_marker's end mark through
/// bpf_msg_pop_data's or bpf_msg_push_data's sg_set_page; an apply window then takes that entry and the next one into
/// one ingress message. The live 6.18 kernel's p2 reads that whole message (observed-families-linux-6.18.jsonl,
/// family2-single-send-apply3-pop-ingress: 559 bytes in every run; re-recorded random-7-19 and random-1-58).
/// </summary>
public class IngressEndMarkTests
{
    private static (ScenarioResult Result, long Queued) Run(string line)
    {
        var scenario = ScenarioJson.ParseScenario(line);
        var kernel = new SimKernel();
        long queued = 0;
        kernel.BytesMoved += e =>
        {
            if (e.SockName == "p2" && e.Kind == ByteFlowKind.Ingress) queued += e.Bytes;
        };
        var topo = ScenarioTopology.Build(scenario, ScenarioProgramFactory.Instance, kernel);
        try
        {
            return (topo.RunToEnd(), queued);
        }
        finally
        {
            topo.Close();
        }
    }

    [Theory]
    // Family 2's smallest reproducer: one send, apply 3, a pop; the ring wraps onto slot 17 at run 56.
    [InlineData("""{"name":"apply3-pop","program":{"action":"redirect","ingress":true,"apply":3,"pop_start":164,"pop_len":57},"sends":[7000]}""", 559)]
    // random-7-19: the pop's split lands on slot 17 at run 17; a 750-byte window takes 749 bytes from it and 1 after.
    [InlineData("""{"name":"random-7-19","program":{"action":"redirect","ingress":true,"apply":750,"pop_start":749,"pop_len":11},"mode":"sendfile","sends":[15680,749]}""", 16209)]
    // random-1-58: the push places its 37 bytes on slot 17; a 210-byte window takes them and 68 bytes after.
    [InlineData("""{"name":"random-1-58","program":{"action":"redirect","ingress":true,"apply":210,"pull_start":105,"pull_end":118,"push_start":105,"push_len":37},"mode":"sendfile","sends":[55082,115,10524,3992,2,105,40000,1,37733,1693,4573,1,292,150,4096,73,59,1024,880,54870]}""", 261034)]
    public void An_end_mark_on_the_senders_ring_does_not_end_an_ingress_read_every_queued_byte_reaches_p2(string line, long kernelP2)
    {
        var (result, queued) = Run(line);
        Assert.Equal(kernelP2, result.P2.Bytes);
        Assert.Equal(queued, result.P2.Bytes);
    }

    /// <summary>
    /// Ten scenarios drawn on 2026-12-08 after this change (a seeded draw of redirect-to-ingress programs with an apply
    /// window and a pop, conformance/observed-ingress-endmark-linux-6.18.jsonl), kept only where stopping at the end
    /// mark would change p2: with the stop, p2 would read 678, 1227, 1287, 1988, 746, 7741, 6675, 8179, 4619 and 992
    /// bytes. The kernel's p2 is the model's in all ten, checksums included.
    /// </summary>
    [Fact]
    public void Fresh_scenarios_where_the_end_mark_would_matter_match_the_kernel_that_reads_through_it()
    {
        var recorded = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "conformance", "observed-ingress-endmark-linux-6.18.jsonl"))
            .Where(l => l.Trim().Length > 0)
            .Select(l => { var (sc, r, _) = ScenarioJson.ParseObserved(l); return (sc, r); })
            .ToList();
        Assert.Equal(10, recorded.Count);
        Assert.All(recorded, x => Assert.Empty(ResultDiff.Compare(x.sc, x.r, ScenarioRunner.Run(x.sc))));
    }
}
