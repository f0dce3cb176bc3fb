using SockActors.Model.Scenarios;

namespace SockActors.Host.TestSockmap;

/// <summary>
/// The known kernel defects a matrix case trips (<see cref="KernelDefects"/>), for `sockactors run`. The case is
/// expressed as the contract scenario with the same program options and sends (its rate × chunk, iov count, mode) and
/// run on the sequential model, whose warnings depend only on the sender's side (the program's verdicts, the cork, the
/// send results). Only cases that can trip one are run: apply with a push (the runaway, decided without running), or a
/// cork (stale data, a cork hanging at close). test_sockmap's drop program drops every run, so its DROP never
/// "sticks" over a later PASS.
/// </summary>
public static class MatrixWarnings
{
    /// <summary>Cases larger than this are not re-run for warnings (the matrix's few megabyte cases have no cork).</summary>
    public const long MaxBytes = 4L << 20;

    public static Scenario AsScenario(MatrixCase c)
    {
        var o = c.Options;
        var program = new ProgramSpec
        {
            Action = o.Program switch
            {
                TxMsgProgramKind.Redirect => ScenarioAction.Redirect,
                TxMsgProgramKind.Drop => ScenarioAction.Drop,
                _ => ScenarioAction.Pass,
            },
            Ingress = o.Ingress, Apply = o.Apply, Cork = o.Cork, PullStart = o.PullStart, PullEnd = o.PullEnd,
            PushStart = o.PushStart, PushLen = o.PushLen, PopStart = o.PopStart, PopLen = o.PopLen,
        };
        return new Scenario
        {
            Name = c.Name, Program = program, Mode = c.Mode, Iov = c.Mode == SendMode.SendMsg ? c.IovCount : 1,
            Sends = Enumerable.Repeat(c.ChunkSize, c.Rate).ToList(),
        };
    }

    public static IReadOnlyList<KernelWarning> For(MatrixCase c)
    {
        var s = AsScenario(c);
        if (s.Program.CanRunAwayOnKernel) return KernelDefects.Detect(s, ScenarioResult.RunawayResult("matrix case"));
        if (s.Program.Cork == 0 || c.SentBytes > MaxBytes) return [];
        return ScenarioRunner.Run(s).Warnings;
    }
}
