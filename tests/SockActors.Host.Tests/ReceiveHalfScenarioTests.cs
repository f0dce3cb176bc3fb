namespace SockActors.Host.Tests;

/// <summary>`sockactors scenario` with receive-half scenarios: the model runs them, the actor engine says it cannot.</summary>
public class ReceiveHalfScenarioTests
{
    private const string Line =
        """{"name":"rx","program":{},"sends":[100,200],"skb":{"parser":"fixed","frame":120,"verdict":"pass"},"sockops":true}""";

    [Fact]
    public void The_model_engine_prints_the_parser_and_verdict_runs_and_the_sockops_counts()
    {
        var run = HostRun.Invoke(["scenario", "--engine", "model"], stdin: Line + "\n");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("\"p1\":{\"bytes\":240", run.Out);
        Assert.Contains("\"parser_total\":3", run.Out);
        Assert.Contains("\"verdict_total\":2", run.Out);
        Assert.Contains("\"sockops\":{\"active\":2,\"passive\":2,\"updates\":3,\"update_errors\":0}", run.Out);
    }

    [Fact]
    public void The_actor_engine_refuses_a_receive_half_scenario_naming_the_engine_that_runs_it()
    {
        var run = HostRun.Invoke(["scenario", "--engine", "actors"], stdin: Line + "\n");
        Assert.Contains("--engine model", run.Out + run.Err);
        Assert.DoesNotContain("   at ", run.Err);
    }
}
