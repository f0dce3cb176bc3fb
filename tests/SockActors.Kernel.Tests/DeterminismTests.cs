using SockActors.Model.Scenarios;
using Xunit;
using Xunit.Abstractions;

namespace SockActors.Kernel.Tests;

/// <summary>The kernel copies sendmsg data into the sending task's page frag (current-&gt;task_frag); the driver makes
/// each scenario's sends on a fresh thread so that the first run's size does not depend on earlier scenarios.</summary>
public sealed class DeterminismTests(ITestOutputHelper output)
{
    private const string Random238 =
        "{\"name\":\"random-2-38\",\"program\":{\"cork\":17374},\"mode\":\"sendfile\",\"iov\":1,\"sends\":[34749,7]}";

    [KernelFact]
    public void The_first_run_of_random_2_38_has_the_same_length_every_time()
    {
        var scenario = ScenarioJson.ParseScenario(Random238);
        using var runner = new KernelScenarioRunner();
        // Before each run, a scenario whose corked bytes are still held when its sockets close: the psock frees them
        // after an RCU grace period, so the page they sit in may still be in use when the next scenario starts.
        var holder = new Scenario { Name = "cork-holder", Program = new ProgramSpec { Cork = 5000 }, Sends = [3000] };
        var lens = new List<uint>();
        for (int i = 0; i < 10; i++)
        {
            runner.Run(holder);
            var r = runner.Run(scenario);
            Assert.False(r.Runaway, r.Diagnostic);
            lens.Add(r.Runs[0].Len);
        }
        output.WriteLine($"random-2-38 runs[0].len over 10 runs: {string.Join(", ", lens)}");
        Assert.All(lens, l => Assert.Equal(32768u, l));
    }
}
