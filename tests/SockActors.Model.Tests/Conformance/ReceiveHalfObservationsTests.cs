using SockActors.Model.Scenarios;

namespace SockActors.Model.Tests.Conformance;

/// <summary>
/// The receive half recorded on the live Linux 6.18 kernel (conformance/observed-receive-linux-6.18.jsonl): SK_SKB
/// parsers and verdicts on sock_map and SOCK_OPS filling it, each line one kernel run of bpf/sk_skb_scenario.bpf.c
/// beside bpf/sk_msg_scenario.bpf.c. The model, with the C# twins of those programs, must give every field.
/// </summary>
public class ReceiveHalfObservationsTests
{
    private static IReadOnlyList<(Scenario Scenario, ScenarioResult Result)> Recorded { get; } =
        File.ReadLines(Path.Combine(AppContext.BaseDirectory, "conformance", "observed-receive-linux-6.18.jsonl"))
            .Where(l => l.Trim().Length > 0)
            .Select(l => { var (s, r, _) = ScenarioJson.ParseObserved(l); return (s, r); })
            .ToList();

    public static IEnumerable<object[]> Names => Recorded.Select(x => new object[] { x.Scenario.Name });

    [Theory]
    [MemberData(nameof(Names))]
    public void Model_reproduces_every_field_of_the_kernels_receive_half(string name)
    {
        var (scenario, expected) = Recorded.Single(x => x.Scenario.Name == name);
        var actual = ScenarioRunner.Run(scenario);
        var diff = ResultDiff.Compare(scenario, expected, actual);
        Assert.True(diff.Count == 0,
            $"{name}: {diff.Count} differences\n" + string.Join("\n", diff.Take(20).Select(d => $"  {d.Field}: kernel {d.Expected}, model {d.Actual}")));
    }

    [Fact]
    public void The_recording_covers_framing_across_sends_every_verdict_both_redirects_and_sockops()
    {
        var scenarios = Recorded.Select(r => r.Scenario).ToList();
        Assert.Contains(scenarios, s => s.Skb is { Parser: SkbParserKind.Fixed } skb && skb.Frame > s.Sends.Max());
        Assert.Contains(scenarios, s => s.Skb is { Parser: SkbParserKind.Fixed } skb && skb.Frame > 0 && skb.Frame < s.Sends.Min());
        Assert.Contains(scenarios, s => s.Skb is { Verdict: SkbVerdictKind.Pass, SkbVerdict: true });
        Assert.Contains(scenarios, s => s.Skb is { Verdict: SkbVerdictKind.Drop });
        Assert.Contains(scenarios, s => s.Skb is { Verdict: SkbVerdictKind.Redirect, Ingress: false });
        Assert.Contains(scenarios, s => s.Skb is { Verdict: SkbVerdictKind.Redirect, Ingress: true });
        Assert.Contains(scenarios, s => s.SockOps && s.Skb is null);
        Assert.Contains(scenarios, s => s.SockOps && s.Skb is not null);
    }

    [Fact]
    public void The_kernel_runs_p2s_sk_msg_program_on_what_p1s_verdict_redirects_to_p2s_egress()
    {
        // skb_send_sock goes through sock_sendmsg, i.e. tcp_bpf_sendmsg: 300 bytes with apply 100 run the SK_MSG
        // program three times on c1 and three times again on p2.
        var (scenario, kernel) = Recorded.Single(x => x.Scenario.Name == "rx-redirect-egress-p2-skmsg-apply");
        Assert.Equal(6, kernel.RunsTotal);
        Assert.Equal(300, kernel.C2.Bytes);
        Assert.Equal(6, ScenarioRunner.Run(scenario).RunsTotal);
    }

    [Fact]
    public void A_sockops_program_inserts_c1_p1_and_p2_as_their_connections_establish()
    {
        var (scenario, kernel) = Recorded.Single(x => x.Scenario.Name == "rx-sockops-both-halves");
        Assert.Equal(new SockOpsTrace(Active: 2, Passive: 2, Updates: 3, UpdateErrors: 0), kernel.SockOps);
        Assert.Equal(kernel.SockOps, ScenarioRunner.Run(scenario).SockOps);
    }
}
