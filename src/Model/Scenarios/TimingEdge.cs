namespace SockActors.Model.Scenarios;

/// <summary>
/// The one kernel result the scenario does not determine: bytes c1 holds back with MSG_MORE when its sends end leave
/// on the ~200 ms TCP probe timer (tcp_check_probe_timer arms it with TCP_RTO_MIN; tcp_probe_timer -> tcp_write_wakeup
/// sends them, net/ipv4/tcp_timer.c, tcp_output.c), at the edge of p1's 200 ms read window. The kernel then gives p1
/// either without them or with them (observed: apply 64, drop_every 2, 1000-byte sends: p1 got 0 or 64 bytes across
/// runs of one scenario). The simulation reports the first in the result and the second as
/// <see cref="ScenarioResult.P1IfHeldArrive"/>.
/// </summary>
public static class TimingEdge
{
    /// <summary>True when every difference between <paramref name="kernel"/> and <paramref name="simulation"/> is p1,
    /// and the kernel's p1 is the simulation's other answer (the held bytes arrived in time).</summary>
    public static bool Explains(IReadOnlyList<FieldDifference> differences, ScenarioResult kernel, ScenarioResult simulation, bool compareFnv)
    {
        if (differences.Count == 0 || simulation.P1IfHeldArrive is not { } late) return false;
        if (differences.Any(d => d.Field is not ("p1.bytes" or "p1.fnv"))) return false;
        return kernel.P1.Bytes == late.Bytes && (!compareFnv || kernel.P1.Fnv == late.Fnv);
    }

    /// <summary>A kernel run matches a simulation result: no difference, or only p1 differing by the held bytes.</summary>
    public static bool Matches(Scenario scenario, ScenarioResult kernel, ScenarioResult simulation)
    {
        var d = ResultDiff.Compare(scenario, kernel, simulation);
        return d.Count == 0 || Explains(d, kernel, simulation, !scenario.Program.ContentIsUndefined);
    }

    /// <summary>Why, for a report line.</summary>
    public static string Describe(ScenarioResult simulation) =>
        $"kernel timing: {simulation.P1IfHeldArrive!.Value.Bytes - simulation.P1.Bytes} bytes c1 held back with MSG_MORE leave on the ~200 ms TCP probe timer, at the edge of p1's read window (the kernel gives p1 either count)";
}
