using SockActors.Model;
using SockActors.Model.Kernel;
using SockActors.Model.Net;
using SockActors.Model.Scenarios;

namespace SockActors.Host.Explain;

/// <summary>
/// Runs a conformance scenario on the sequential model with an <see cref="ExplainRecorder"/> listening, the same
/// steps as <see cref="ScenarioTopology.RunToEnd"/> (every send, then the receivers read, then close), and returns
/// the picture together with the contract's result (identical to what `scenario` prints for the line).
/// </summary>
public static class ScenarioExplain
{
    public static (ExplainPicture Picture, ScenarioResult Result) Simulate(Scenario scenario, string? input,
        IScenarioProgramFactory? program, KernelProfile profile)
    {
        var kernel = new SimKernel(profile);
        var recorder = new ExplainRecorder(kernel);
        var topo = ScenarioTopology.Build(scenario, recorder.Wrap(program ?? ScenarioProgramFactory.Instance), kernel);
        recorder.Track(topo.C1, [topo.C1, topo.P1, topo.C2, topo.P2]);
        ScenarioResult result;
        try
        {
            for (int i = 0; i < topo.SendCount; i++)
            {
                var pending = topo.SendAsync(i);
                if (!pending.IsCompleted)
                    throw new InvalidOperationException("a send did not complete synchronously on the sequential engine: simulator bug");
                recorder.SendDone(scenario.Sends[i], pending.GetAwaiter().GetResult());
            }
            recorder.BeforeRead();
            result = topo.Collect();
            recorder.BeforeClose();
        }
        catch (RunawayException e)
        {
            result = ScenarioResult.RunawayResult(e.Message);
        }
        finally
        {
            topo.Close();
        }
        var picture = recorder.Finish(scenario.Name, "model", profile.Name, input, Receivers(result), Warnings(scenario, result));
        return (picture, result);
    }

    /// <summary>The contract's receivers and what they read.</summary>
    public static IReadOnlyList<(string Name, long Read, string? Fnv)> Receivers(ScenarioResult r) =>
        r.Runaway ? [] : [("p1", r.P1.Bytes, r.P1.Fnv), ("c2", r.C2.Bytes, r.C2.Fnv), ("p2", r.P2.Bytes, r.P2.Fnv)];

    /// <summary>
    /// The warnings a picture of this scenario carries: a runaway; the kernel defects the run tripped, as the result
    /// reports them (<see cref="KernelDefects"/>: defect, condition, kernel function); and the contract's notes on the
    /// scenario's program (push: pushed bytes are undefined; apply with cork &gt; apply: stale, repeated data on 6.18).
    /// </summary>
    public static List<ExplainWarning> Warnings(Scenario scenario, ScenarioResult result)
    {
        var w = new List<ExplainWarning>();
        if (result.Runaway)
            w.Add(new("runaway", $"the kernel would loop and allocate without end here; the simulation stopped: {result.Diagnostic}"));
        var tripped = result.Warnings.Count > 0 ? result.Warnings : KernelDefects.Detect(scenario, result);
        foreach (var defect in tripped)
            w.Add(new("kernel-defect", defect.ToString()));
        var p = scenario.Program;
        if (p.PushLen != 0)
            w.Add(new("kernel-defect", "bpf_msg_push_data leaves the pushed bytes uninitialised in the kernel: their content is undefined (compare byte counts only)"));
        if (p.Apply > 0 && p.Cork > p.Apply)
            w.Add(new("kernel-defect", "apply > 0 with cork > apply: Linux 6.18 can deliver stale, repeated bytes from the reused cork message (reference section 11)"));
        if (p.CanRunAwayOnKernel && !result.Runaway)
            w.Add(new("kernel-defect", "apply > 0 with a push at least as long as apply can make the kernel allocate without end: never run on the live kernel"));
        return w;
    }
}
