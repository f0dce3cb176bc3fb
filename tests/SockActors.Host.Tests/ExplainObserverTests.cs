using System.Text.Json;
using SockActors.Host.Explain;
using SockActors.Host.TestSockmap;
using SockActors.Model.Kernel;
using SockActors.Model.Net;
using SockActors.Model.Scenarios;

namespace SockActors.Host.Tests;

/// <summary>Drawing a picture only observes: every result is the same with and without the recorder.</summary>
public class ExplainObserverTests
{
    [Fact]
    public void Every_published_scenario_gives_the_same_result_with_the_recorder_and_one_run_mark_per_recorded_run()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "conformance", "observed-linux-6.18.jsonl");
        foreach (var line in File.ReadLines(path))
        {
            using var doc = JsonDocument.Parse(line);
            var scenario = ScenarioJson.ParseScenario(doc.RootElement.GetProperty("scenario"));
            // The runaway scenario allocates 256 MiB before the model stops it: seconds, twice; its picture is drawn
            // in ExplainCommandTests.
            if (scenario.Program.CanRunAwayOnKernel) continue;
            var plain = ScenarioRunner.Run(scenario);
            var (picture, observed) = ScenarioExplain.Simulate(scenario, line, null, KernelProfile.Linux618);
            Assert.True(ResultDiff.Compare(scenario, plain, observed).Count == 0, scenario.Name);
            if (plain.Runaway)
            {
                Assert.Contains(picture.Warnings, w => w.Code == "runaway");
                continue;
            }
            Assert.Equal(Math.Min(plain.RunsTotal, ExplainRecorder.MaxRuns), picture.Runs.Count);
            Assert.Equal(plain.RunsTotal, picture.RunsTotal);
        }
    }

    [Fact]
    public void Cork_and_apply_cases_of_the_matrix_give_the_same_figures_with_pictures_as_without()
    {
        foreach (var c in Matrix.Build(KernelProfile.Linux618).Where(c => c.Name.StartsWith("sh/cork", StringComparison.Ordinal) || c.Name.StartsWith("sh/redir-cork", StringComparison.Ordinal) || c.Name.StartsWith("ts/apply/", StringComparison.Ordinal)))
        {
            var plain = MatrixRunner.Run(c, KernelProfile.Linux618, 1, new SockDefaults());
            var drawn = MatrixRunner.Run(c, KernelProfile.Linux618, 1, new SockDefaults(), explain: true);
            Assert.Equal((plain.BytesReceived, plain.ProgramRuns, plain.SendsOk, plain.SendsFailed, plain.DataErrors, plain.Passed),
                (drawn.BytesReceived, drawn.ProgramRuns, drawn.SendsOk, drawn.SendsFailed, drawn.DataErrors, drawn.Passed));
            Assert.Null(plain.Picture);
            Assert.Equal(drawn.ProgramRuns, drawn.Picture!.RunsTotal);
            Assert.Equal(Math.Min(drawn.ProgramRuns, ExplainRecorder.MaxRuns), drawn.Picture.Runs.Count);
        }
    }
}
