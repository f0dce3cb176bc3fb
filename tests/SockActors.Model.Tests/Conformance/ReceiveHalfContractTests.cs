using SockActors.Model.Scenarios;

namespace SockActors.Model.Tests.Conformance;

/// <summary>The receive half's part of the scenario contract: its keys, what the reader refuses, the generator.</summary>
public class ReceiveHalfContractTests
{
    private const string WithSkb =
        """{"name":"x","program":{},"mode":"sendmsg","iov":1,"sends":[10],"skb":{"parser":"fixed","frame":-3,"verdict":"redirect","skb_verdict":true,"redirect_key":1,"ingress":true,"drop_every":2},"sockops":true}""";

    [Fact]
    public void A_receive_half_scenario_reads_back_as_it_was_written()
    {
        var s = ScenarioJson.ParseScenario(WithSkb);
        Assert.Equal(new ReceiveHalfSpec
        {
            Parser = SkbParserKind.Fixed, Frame = -3, Verdict = SkbVerdictKind.Redirect, SkbVerdict = true, RedirectKey = 1, Ingress = true, DropEvery = 2,
        }, s.Skb);
        Assert.True(s.SockOps);
        var again = ScenarioJson.ParseScenario(ScenarioJson.ScenarioLine(s));
        Assert.Equal(s.Skb, again.Skb);
        Assert.Equal(ScenarioJson.ScenarioLine(s), ScenarioJson.ScenarioLine(again));
    }

    [Fact]
    public void An_sk_msg_only_scenario_has_no_receive_half_and_its_result_no_receive_fields()
    {
        var s = ScenarioJson.ParseScenario("""{"name":"y","sends":[5]}""");
        Assert.Null(s.Skb);
        Assert.False(s.UsesReceiveHalf);
        var line = ScenarioJson.ResultLine(s.Name, ScenarioRunner.Run(s));
        Assert.DoesNotContain("\"skb\"", line);
        Assert.DoesNotContain("\"sockops\"", line);
    }

    [Theory]
    [InlineData("""{"parser":"len","verdict":"redirect","redirect_key":0}""", "egress of key 0")]
    [InlineData("""{"parser":"len","verdict":"redirect","redirect_key":2}""", "egress of key 2")]
    [InlineData("""{"parser":"sometimes"}""", "unknown skb.parser \"sometimes\"")]
    [InlineData("""{"verdict":"pass","frame":10}""", "\"skb.frame\" goes with \"parser\": \"fixed\"")]
    [InlineData("""{"colour":1}""", "unknown skb key \"colour\"")]
    public void The_reader_refuses_a_bad_or_endless_receive_half_naming_why(string skb, string expected)
    {
        var e = Assert.Throws<ScenarioFormatException>(() =>
            ScenarioJson.ParseScenario($$"""{"name":"z","sends":[5],"skb":{{skb}}}"""));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void An_egress_redirect_to_p2_is_refused_when_p2s_sk_msg_program_sends_the_bytes_back_to_p1()
    {
        var e = Assert.Throws<ScenarioFormatException>(() => ScenarioJson.ParseScenario(
            """{"name":"z","program":{"action":"redirect","redirect_key":2},"sends":[5],"skb":{"verdict":"redirect","redirect_key":1}}"""));
        Assert.Contains("for ever", e.Message);
    }

    [Fact]
    public void Receive_half_random_scenarios_stay_off_the_kernels_edges_and_run_on_the_model()
    {
        var generator = new RandomScenarioGenerator(7) { ReceiveHalf = true };
        foreach (var s in generator.Take(150))
        {
            Assert.StartsWith("receive-7-", s.Name);
            Assert.True(s.UsesReceiveHalf);
            Assert.False(s.BouncesForEver, s.Name);
            Assert.True(s.TotalBytes <= 64 * 1024, $"{s.Name}: {s.TotalBytes} bytes");
            if (s.Skb is { RedirectsToEgress: true }) Assert.Single(s.Sends);
            var r = ScenarioRunner.Run(s);
            Assert.False(r.Runaway, s.Name);
            // Nothing is delivered twice: what the receivers read never exceeds what c1 handed over.
            Assert.True(r.P1.Bytes + r.C2.Bytes + r.P2.Bytes <= r.Sends.Where(x => x.Rc > 0).Sum(x => (long)x.Rc), s.Name);
        }
    }

    [Fact]
    public void The_same_seed_draws_the_same_receive_half_scenarios()
    {
        var a = new RandomScenarioGenerator(11) { ReceiveHalf = true }.Take(40).Select(ScenarioJson.ScenarioLine).ToList();
        var b = new RandomScenarioGenerator(11) { ReceiveHalf = true }.Take(40).Select(ScenarioJson.ScenarioLine).ToList();
        Assert.Equal(a, b);
    }
}
