using SockActors.Model.Scenarios;

namespace SockActors.Model.Tests.Conformance;

/// <summary>
/// The divergence families of issue 11, each recorded on the live Linux 6.18 kernel several times
/// (conformance/observed-families-linux-6.18.jsonl: one line per kernel run, five runs of most scenarios).
/// Closed families must match every kernel run; open ones are pinned with the evidence that they are open, so that
/// a fix shows up here and in docs/conformance.md ("Open disagreements").
/// </summary>
public class FamilyObservationsTests
{
    private static IReadOnlyList<(Scenario Scenario, ScenarioResult Result)> Runs { get; } =
        File.ReadLines(Path.Combine(AppContext.BaseDirectory, "conformance", "observed-families-linux-6.18.jsonl"))
            .Where(l => l.Trim().Length > 0)
            .Select(l => { var (s, r, _) = ScenarioJson.ParseObserved(l); return (s, r); })
            .ToList();

    private static (Scenario Scenario, List<ScenarioResult> Kernel) Family(string name)
    {
        var runs = Runs.Where(r => r.Scenario.Name == name).ToList();
        Assert.True(runs.Count >= 3, $"{name}: {runs.Count} kernel runs recorded, at least 3 needed");
        return (runs[0].Scenario, runs.Select(r => r.Result).ToList());
    }

    [Theory]
    [InlineData("family1-apply64-drop2-iov3")]
    [InlineData("family1-apply1-drop3-iov4")]
    [InlineData("family1-apply64-drop2-sendfile")]
    public void Bytes_passed_before_a_drop_are_the_kernels_timer_edge_answer_and_every_kernel_run_matches(string name)
    {
        // tcp_bpf_push sends the passed window with MSG_MORE (the element is only partly sent); the DROP that follows
        // leaves it held, and the ~200 ms probe timer releases it at the edge of p1's read window.
        var (scenario, kernel) = Family(name);
        var model = ScenarioRunner.Run(scenario);
        Assert.NotNull(model.P1IfHeldArrive);
        Assert.All(kernel, k => Assert.True(TimingEdge.Matches(scenario, k, model), $"{name}: kernel p1 {k.P1.Bytes}, model {model.P1.Bytes} or {model.P1IfHeldArrive!.Value.Bytes}"));
    }

    [Fact]
    public void The_kernel_itself_answers_both_ways_at_the_timer_edge()
    {
        var (_, kernel) = Family("family1-apply1-drop3-iov4");
        Assert.Equal([0L, 2L], kernel.Select(k => k.P1.Bytes).Distinct().Order());
    }

    [Fact]
    public void Apply_above_cork_replays_stale_bytes_on_the_kernel_141_delivered_for_118_accepted()
    {
        // Formerly a model-only prediction (ConservationProperties); now the kernel's: when the probe timer wins, p1
        // gets 141 bytes although the sends accepted 70 + 48.
        var (scenario, kernel) = Family("apply47-cork34-pass");
        Assert.All(kernel, k => Assert.Equal(118, k.Sends.Sum(s => s.Rc)));
        Assert.Contains(kernel, k => k.P1.Bytes == 141);
        var model = ScenarioRunner.Run(scenario);
        Assert.Equal(141, model.P1IfHeldArrive!.Value.Bytes);
        Assert.All(kernel, k => Assert.True(TimingEdge.Matches(scenario, k, model)));
    }

    [Fact]
    public void Apply_above_cork_content_varies_on_the_kernel_so_only_byte_counts_are_compared()
    {
        var (scenario, kernel) = Family("family4-apply50000-cork20000-sendfile");
        Assert.True(scenario.Program.ContentIsUndefined);
        Assert.True(kernel.Select(k => k.P1.Fnv).Distinct().Count() > 1, "the kernel's checksum was the same in every run");
        var model = ScenarioRunner.Run(scenario);
        Assert.All(kernel, k => Assert.Empty(ResultDiff.Compare(scenario, k, model)));
    }

    [Fact]
    public void A_send_that_returns_0_while_corked_does_not_advance_the_stream_and_the_content_matches_the_kernel()
    {
        // apply 1 / cork 2, eight 1-byte sendfiles: sends 2 and 5 return 0 (nothing accepted), so the next send
        // repeats their byte, as the kernel driver does; p1 gets stream bytes 0, 1, 2, 3 (and 4 when the timer wins).
        // Checked on the checksums, which the comparison skips here (apply with cork).
        var (scenario, kernel) = Family("family4-apply1-cork2-sendfile");
        var model = ScenarioRunner.Run(scenario);
        Assert.Equal([1, 1, 0, 1, 1, 0, 1, 1], model.Sends.Select(x => x.Rc));
        Assert.Equal(Fnv1a.ToHex(Fnv1a.Hash(StreamBytes(0, 4))), model.P1.Fnv);
        Assert.Equal(Fnv1a.ToHex(Fnv1a.Hash(StreamBytes(0, 5))), model.P1IfHeldArrive!.Value.Fnv);
        Assert.All(kernel, k => Assert.Contains(k.P1, new[] { model.P1, model.P1IfHeldArrive!.Value }));
    }

    private static byte[] StreamBytes(long offset, int count)
    {
        var b = new byte[count];
        StreamPattern.Fill(b, offset);
        return b;
    }

    [Fact]
    public void Open_megabyte_sends_with_apply_and_push_stop_within_two_percent_of_the_kernel_truesize_not_modelled()
    {
        var (scenario, kernel) = Family("family3-megabyte-apply4096-push");
        Assert.Single(kernel.Select(k => k.P1.Bytes).Distinct());
        var model = ScenarioRunner.Run(scenario);
        double gap = Math.Abs(model.P1.Bytes - kernel[0].P1.Bytes) / (double)kernel[0].P1.Bytes;
        Assert.True(gap < 0.02, $"kernel {kernel[0].P1.Bytes}, model {model.P1.Bytes}");
    }

    [Theory]
    [InlineData("family2-random-90917-5")]
    [InlineData("family2-single-send-apply3-pop-ingress")]
    public void Ingress_reads_after_apply_windows_with_a_pop_match_every_kernel_run(string name)
    {
        // Family 2, closed: an entry of the sender's ring keeps sg_init_marker's end mark (the ring wraps onto slot 17
        // and bpf_msg_pop_data's sg_set_page keeps SG_END), yet the kernel's p2 reads the whole message that
        // bpf_tcp_ingress built from it: the ingress copy carries no end mark (docs/conformance.md, "Ingress messages
        // carry no end mark").
        var (scenario, kernel) = Family(name);
        Assert.Single(kernel.Select(k => (k.P2.Bytes, k.P2.Fnv)).Distinct());
        var model = ScenarioRunner.Run(scenario);
        Assert.All(kernel, k => Assert.Empty(ResultDiff.Compare(scenario, k, model)));
    }
}
