namespace SockActors.Model.Scenarios;

/// <summary>
/// Scenario templates for <see cref="RandomScenarioGenerator.Families"/>: the families in which the simulation and
/// the kernel were seen to differ (issue 11) and their neighbours, each drawn with randomised sizes:
/// a drop after an apply window (apply 1, 64 or near the send, drop_every 2 or 3, several iovecs or sendfile);
/// apply below cork and apply above cork across sends (pass, redirect egress or ingress, sometimes a pop);
/// megabyte sends against the unread receiver with a ~4 KB apply window and a push shorter than it;
/// sendfile with pops. No template can run away on the kernel (a push is always shorter than apply).
/// </summary>
internal static class RandomScenarioFamilies
{
    public static Scenario Draw(Random rng, string name, Func<List<int>> sends)
    {
        return rng.Next(20) switch
        {
            < 5 => DropAfterApply(rng, name, sends()),
            < 10 => ApplyBelowCork(rng, name, sends()),
            < 14 => ApplyAboveCork(rng, name, sends()),
            < 15 => MegabyteSends(rng, name),
            _ => SendfileWithPop(rng, name, sends()),
        };
    }

    private static ProgramSpec Action(Random rng, ProgramSpec p) => rng.Next(3) switch
    {
        0 => p,
        1 => p with { Action = ScenarioAction.Redirect },
        _ => p with { Action = ScenarioAction.Redirect, Ingress = true },
    };

    private static (SendMode Mode, int Iov) Mode(Random rng, bool multiIov) =>
        rng.Next(2) == 0 ? (SendMode.SendFile, 1) : (SendMode.SendMsg, multiIov ? new[] { 2, 3, 4, 8, 1024 }[rng.Next(5)] : new[] { 1, 1, 2, 3 }[rng.Next(4)]);

    private static int Typical(Random rng, List<int> sends) => sends[rng.Next(sends.Count)];

    private static Scenario DropAfterApply(Random rng, string name, List<int> sends)
    {
        int t = Typical(rng, sends);
        uint apply = rng.Next(3) switch { 0 => 1u, 1 => 64u, _ => (uint)Math.Max(1, rng.Next(1, Math.Max(2, t))) };
        var p = Action(rng, new ProgramSpec { Apply = apply, DropEvery = (uint)rng.Next(2, 4) });
        if (rng.Next(4) == 0) p = p with { Cork = (uint)rng.Next(1, Math.Max(2, 2 * t)) };
        var (mode, iov) = Mode(rng, multiIov: true);
        return new Scenario { Name = name, Program = p, Mode = mode, Iov = iov, Sends = sends };
    }

    private static Scenario ApplyBelowCork(Random rng, string name, List<int> sends)
    {
        if (sends.Count < 2) sends.Add(sends[0]);
        int t = Typical(rng, sends);
        uint apply = rng.Next(2) == 0 ? (uint)rng.Next(1, 16) : (uint)Math.Max(1, rng.Next(1, Math.Max(2, t)));
        uint cork = apply + (uint)rng.Next(1, Math.Max(2, 2 * t));
        var p = Action(rng, new ProgramSpec { Apply = apply, Cork = cork });
        if (rng.Next(3) == 0) p = p with { PopStart = (uint)rng.Next(0, (int)cork), PopLen = (uint)rng.Next(1, 64) };
        var (mode, iov) = Mode(rng, multiIov: false);
        return new Scenario { Name = name, Program = p, Mode = mode, Iov = iov, Sends = sends };
    }

    private static Scenario ApplyAboveCork(Random rng, string name, List<int> sends)
    {
        int t = Typical(rng, sends);
        uint cork = (uint)Math.Max(1, rng.Next(1, Math.Max(2, t)));
        uint apply = cork + (uint)rng.Next(0, Math.Max(2, 3 * t));
        var p = Action(rng, new ProgramSpec { Apply = apply, Cork = cork });
        if (rng.Next(4) == 0) p = p with { PopStart = (uint)rng.Next(0, (int)apply), PopLen = (uint)rng.Next(1, 64) };
        var (mode, iov) = Mode(rng, multiIov: false);
        return new Scenario { Name = name, Program = p, Mode = mode, Iov = iov, Sends = sends };
    }

    private static Scenario MegabyteSends(Random rng, string name)
    {
        // The receiver does not read until the sends end: past its ~64 KiB window and the 4 MiB send buffer a send
        // waits SO_SNDTIMEO (1 s) and returns what was accepted, so keep these few and short on the kernel.
        uint apply = (uint)rng.Next(3000, 5000);
        // Pass or redirect to p2's ingress queue: a redirect to p2's egress would block p2's send (p2 has no
        // SO_SNDTIMEO) once c2, which reads only after the sends, stops taking data; the kernel then hangs the sender.
        var p = rng.Next(2) == 0 ? new ProgramSpec { Apply = apply } : new ProgramSpec { Apply = apply, Action = ScenarioAction.Redirect, Ingress = true };
        if (rng.Next(2) == 0) p = p with { PushStart = (uint)rng.Next(0, (int)apply), PushLen = (uint)rng.Next(1, 64) };
        var sends = new List<int>();
        int n = rng.Next(1, 4);
        for (int i = 0; i < n; i++) sends.Add(rng.Next(1 << 20, 3 << 20));
        return new Scenario { Name = name, Program = p, Mode = rng.Next(2) == 0 ? SendMode.SendMsg : SendMode.SendFile, Iov = 1, Sends = sends };
    }

    private static Scenario SendfileWithPop(Random rng, string name, List<int> sends)
    {
        int t = Typical(rng, sends);
        var p = Action(rng, new ProgramSpec { PopStart = (uint)rng.Next(0, Math.Max(1, t)), PopLen = (uint)rng.Next(1, 64) });
        if (rng.Next(2) == 0) p = p with { Apply = (uint)Math.Max(1, rng.Next(1, Math.Max(2, 2 * t))) };
        if (rng.Next(3) == 0) p = p with { Cork = (uint)Math.Max(1, rng.Next(1, Math.Max(2, 2 * t))) };
        if (rng.Next(4) == 0) p = p with { DropEvery = (uint)rng.Next(2, 5) };
        return new Scenario { Name = name, Program = p, Mode = SendMode.SendFile, Iov = 1, Sends = sends };
    }
}
