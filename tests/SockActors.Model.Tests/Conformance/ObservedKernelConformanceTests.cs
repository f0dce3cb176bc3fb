using SockActors.Model.Scenarios;

namespace SockActors.Model.Tests.Conformance;

public class ObservedKernelConformanceTests
{
    [Fact]
    public void The_observed_file_holds_57_scenarios()
    {
        Assert.Equal(57, ObservedScenarios.All.Count);
    }

    [Theory]
    [MemberData(nameof(ObservedScenarios.Names), MemberType = typeof(ObservedScenarios))]
    public void Model_reproduces_every_field_the_kernel_produced(string name)
    {
        var (scenario, expected) = ObservedScenarios.Get(name);
        var actual = ScenarioRunner.Run(scenario);
        var diff = ResultDiff.Compare(scenario, expected, actual);
        Assert.True(diff.Count == 0,
            $"{name}: {diff.Count} differences\n" + string.Join("\n", diff.Take(20).Select(d => $"  {d.Field}: kernel {d.Expected}, model {d.Actual}")));
    }
}
