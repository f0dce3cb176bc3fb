using SockActors.Kernel.Conformance;
using SockActors.Model.Scenarios;
using Xunit;

namespace SockActors.Kernel.Tests;

/// <summary>The judgement of a simulation result against several kernel runs (no kernel needed): the majority decides,
/// a split kernel is reported with its counts, and the held-back bytes at the timer edge count as the other answer.</summary>
public sealed class KernelVerdictTests
{
    private static readonly Scenario S = ScenarioJson.ParseScenario("""{"name":"v","program":{"apply":64,"drop_every":2},"iov":3,"sends":[1000,1000]}""");
    private static readonly ScenarioResult Model = ScenarioRunner.Run(S);

    private static ScenarioResult WithP1(long bytes) => Model with { P1 = new ReceiverResult(bytes, bytes == 0 ? Model.P1.Fnv : "0000000000000000") };

    [Fact]
    public void The_simulation_giving_the_kernels_minority_answer_fails_with_the_counts()
    {
        var c = KernelVerdict.Judge(S, [WithP1(7), WithP1(7), Model], Model, ran: true);
        Assert.False(c.Agrees);
        Assert.Equal(1, c.Matching);
        Assert.Equal(3, c.Attempts);
        Assert.Contains("1 of 3 kernel runs match", c.Note);
        Assert.Contains(c.Differences, d => d.Field == "p1.bytes" && d.Expected == "7");
    }

    [Fact]
    public void The_simulation_giving_the_kernels_majority_answer_agrees_and_is_marked_unstable()
    {
        var c = KernelVerdict.Judge(S, [Model, WithP1(7), Model], Model, ran: true);
        Assert.True(c.Agrees);
        Assert.True(c.Unstable);
        Assert.Equal(2, c.Matching);
    }

    [Fact]
    public void The_held_back_bytes_reaching_p1_are_the_kernels_other_answer()
    {
        var late = Model.P1IfHeldArrive!.Value;
        Assert.Equal(64, late.Bytes);
        var c = KernelVerdict.Judge(S, [Model with { P1 = late }], Model, ran: true);
        Assert.True(c.Agrees);
        Assert.Contains("kernel timing: 64 bytes", c.Note);
    }

    [Fact]
    public void A_different_p1_that_is_not_the_held_bytes_is_a_difference()
    {
        Assert.False(KernelVerdict.Judge(S, [WithP1(63)], Model, ran: true).Agrees);
    }
}
