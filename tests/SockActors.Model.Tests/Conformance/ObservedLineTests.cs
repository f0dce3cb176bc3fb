using System.Text.Json;
using SockActors.Model.Scenarios;

namespace SockActors.Model.Tests.Conformance;

/// <summary>The observed-line format `conformance record` writes: the kernel's exact release beside its MAJOR.MINOR.</summary>
public class ObservedLineTests
{
    [Fact]
    public void An_observed_line_carries_the_kernel_release_and_reads_back_unchanged()
    {
        var scenario = ScenarioJson.ParseScenario("""{"name":"rel","sends":[100]}""");
        var result = ScenarioRunner.Run(scenario);
        string line = ScenarioJson.ObservedLine(scenario, "linux-6.18 x86_64", result, "6.18.44-fc-v1300");

        using (var doc = JsonDocument.Parse(line))
        {
            Assert.Equal("6.18.44-fc-v1300", doc.RootElement.GetProperty("kernel_release").GetString());
            Assert.Equal("linux-6.18 x86_64", doc.RootElement.GetProperty("kernel").GetString());
        }
        var (s, r, kernel) = ScenarioJson.ParseObserved(line);
        Assert.Equal("linux-6.18 x86_64", kernel);
        Assert.Equal(ScenarioJson.ScenarioLine(scenario), ScenarioJson.ScenarioLine(s));
        Assert.Equal(result.Sends, r.Sends);
    }

    [Fact]
    public void A_line_without_a_release_has_no_release_key()
    {
        var scenario = ScenarioJson.ParseScenario("""{"name":"old","sends":[1]}""");
        string line = ScenarioJson.ObservedLine(scenario, "linux-6.18 x86_64", ScenarioRunner.Run(scenario));
        using var doc = JsonDocument.Parse(line);
        Assert.False(doc.RootElement.TryGetProperty("kernel_release", out _));
    }
}
