using Akka.TestKit.Xunit2;
using SockActors.Actors.Scenarios;
using SockActors.Model.Scenarios;
using Xunit.Abstractions;

namespace SockActors.Actors.Tests;

/// <summary>The actor runtime equals the sequential model engine, scenario for scenario, checksums included.</summary>
public class EquivalenceTests : TestKit
{
    private readonly ITestOutputHelper output;

    public EquivalenceTests(ITestOutputHelper output) : this(output, "") { }

    /// <summary>The same tests with <paramref name="config"/> added (<see cref="EquivalenceWithInPlaceVerdictsTests"/>).</summary>
    protected EquivalenceTests(ITestOutputHelper output, string config) : base(TestConfig.Create(config), output: output) => this.output = output;

    private static string ObservedPath => Path.Combine(AppContext.BaseDirectory, "conformance", "observed-linux-6.18.jsonl");

    private static void AssertSame(Scenario s, ScenarioResult expected, ScenarioResult actual)
    {
        var diffs = ResultDiff.Compare(s, expected, actual);
        Assert.True(diffs.Count == 0, $"{s.Name}: {string.Join("; ", diffs.Select(d => $"{d.Field}: model {d.Expected}, actors {d.Actual}"))}\n{ScenarioJson.ScenarioLine(s)}");
        // The FNV of every receiver too, also where the contract does not compare it: both engines run the same model.
        Assert.Equal(expected.Runaway, actual.Runaway);
        Assert.Equal(expected.P1, actual.P1);
        Assert.Equal(expected.C2, actual.C2);
        Assert.Equal(expected.P2, actual.P2);
    }

    /// <summary>Both engines on one scenario. Where the model itself throws (a model bug), the actor engine must fail
    /// loudly with the same exception inside; such scenarios are listed in the output for the model's author.</summary>
    private static (ScenarioResult? Result, Exception? Error) ModelResult(Scenario s)
    {
        try
        {
            return (ScenarioRunner.Run(s), null);
        }
        catch (Exception e)
        {
            return (null, e);
        }
    }

    private bool RunBoth(ActorScenarioEngine engine, Scenario s) => Check(engine, s, ModelResult(s));

    [Fact]
    public void Random_scenarios_on_the_linux_4_17_profile_give_the_model_result()
    {
        using var engine = new ActorScenarioEngine(Sys);
        var profile = Model.Kernel.KernelProfile.Linux417;
        int faults = 0;
        foreach (var s in new RandomScenarioGenerator(417) { ExcludeKernelRunaway = false }.Take(300))
        {
            (ScenarioResult?, Exception?) model;
            try { model = (ScenarioRunner.Run(s, profile: profile), null); }
            catch (Exception e) { model = (null, e); }
            if (model.Item2 is not null)
            {
                Assert.ThrowsAny<Exception>(() => engine.Run(s, profile: profile));
                faults++;
                continue;
            }
            AssertSame(s, model.Item1!, engine.Run(s, profile: profile));
        }
        output.WriteLine($"linux-4.17: {300 - faults} equal, {faults} model faults");
        Assert.Equal(0, faults);
    }

    private bool Check(ActorScenarioEngine engine, Scenario s, (ScenarioResult? Result, Exception? Error) model)
    {
        if (model.Error is { } modelError)
        {
            var e = Assert.ThrowsAny<Exception>(() => engine.Run(s));
            Exception? inner = e;
            while (inner is not null && inner.GetType() != modelError.GetType()) inner = inner.InnerException;
            Assert.True(inner is not null, $"{s.Name}: the model threw {modelError.GetType().Name}, the actors {e}");
            output.WriteLine($"model fault ({modelError.GetType().Name}: {modelError.Message}) on {ScenarioJson.ScenarioLine(s)}");
            return false;
        }
        AssertSame(s, model.Result!, engine.Run(s));
        return true;
    }

    [Fact]
    public void Every_observed_scenario_gives_the_model_result()
    {
        using var engine = new ActorScenarioEngine(Sys);
        int n = 0;
        foreach (var line in File.ReadLines(ObservedPath).Where(l => l.Trim().Length > 0))
        {
            var (scenario, _, _) = ScenarioJson.ParseObserved(line);
            Assert.True(RunBoth(engine, scenario), $"{scenario.Name}: the model faults");
            n++;
        }
        Assert.Equal(57, n);
    }

    [Fact]
    public async Task A_thousand_random_scenarios_give_the_model_result()
    {
        using var engine = new ActorScenarioEngine(Sys);
        var gen = new RandomScenarioGenerator(20261125) { ExcludeKernelRunaway = false };
        var scenarios = gen.Take(1000).ToList();
        // The reference results are computed on another thread while the actors run on this one (2 cores).
        var expected = scenarios.Select(s => Task.Run(() => ModelResult(s))).ToList();
        int faults = 0;
        for (int i = 0; i < scenarios.Count; i++)
            if (!Check(engine, scenarios[i], await expected[i])) faults++;
        output.WriteLine($"{1000 - faults} scenarios equal, {faults} where the model itself faults (equally on both engines)");
        Assert.Equal(0, faults);
    }
}

/// <summary>The equivalence tests with sockactors.verdict = in-place (the verdict in the socket actor's turn, no verdict
/// actor): both settings give the model's results.</summary>
public sealed class EquivalenceWithInPlaceVerdictsTests(ITestOutputHelper output) : EquivalenceTests(output, "sockactors.verdict = in-place");
