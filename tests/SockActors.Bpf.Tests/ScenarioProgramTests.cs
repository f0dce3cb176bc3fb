using SockActors.Model.Bpf;
using SockActors.Model.Scenarios;

namespace SockActors.Bpf.Tests;

/// <summary>The repository's bpf/sk_msg_scenario.bpf.c, compiled by clang, against a fake context.</summary>
public class ScenarioProgramTests
{
    private static BpfScenarioProgram Load() => (BpfScenarioProgram)new BpfScenarioProgramFactory(Clang.ScenarioObject).Create();

    [ClangFact]
    public void PassRecordsSizeLenAndFirstBytes()
    {
        var sp = Load();
        sp.Configure(new ProgramSpec());
        var ctx = new FakeContext(100);
        Assert.Equal(1, sp.Program.Run(ctx));
        Assert.Equal(1, sp.Program.Run(new FakeContext(5)));
        var (runs, total) = sp.ReadTrace();
        Assert.Equal(2, total);
        Assert.Equal(new ProgramRun(100, 100, 0, 0, 0, 0, 0, 1), runs[0]);
        Assert.Equal(new ProgramRun(5, 5, 0, 0, 0, 0, 0, 1), runs[1]);
        Assert.Equal(ctx.Buffer[..8], sp.FirstBytes(0));
        Assert.Equal(new byte[8], sp.FirstBytes(1)); // fewer than 8 bytes → zeros
        Assert.Null(sp.BpfProgram.LastFault);
    }

    [ClangFact]
    public void HelpersInContractOrderAndRedirect()
    {
        var sp = Load();
        sp.Configure(new ProgramSpec
        {
            Action = ScenarioAction.Redirect, RedirectKey = 1, Ingress = true, Apply = 10, Cork = 20,
            PullStart = 0, PullEnd = 50, PushStart = 1, PushLen = 2, PopStart = 3, PopLen = 4,
        });
        var ctx = new FakeContext(100);
        Assert.Equal(1, sp.Program.Run(ctx));
        Assert.Equal(["apply(10)", "cork(20)", "pull(0,50,0)", "push(1,2,0)", "pop(3,4,0)", "redirect_map(sock_map,1,1)"], ctx.Calls);
        var (runs, _) = sp.ReadTrace();
        // size recorded before the helpers; len after them: fake push/pop make the window 100 + 2 - 4
        Assert.Equal(new ProgramRun(100, 98, 0, 0, 0, 0, 0, 1), runs[0]);
    }

    [ClangFact]
    public void DropEveryAndTraceOverflow()
    {
        var sp = Load();
        sp.Configure(new ProgramSpec { DropEvery = 3 });
        var verdicts = new List<int>();
        for (int i = 0; i < 300; i++) verdicts.Add(sp.Program.Run(new FakeContext(10)));
        Assert.Equal([1, 1, 0, 1, 1, 0], verdicts.Take(6));
        var (runs, total) = sp.ReadTrace();
        Assert.Equal(300, total);
        Assert.Equal(256, runs.Count);
        Assert.Equal(0, runs[2].Verdict);
    }

    [ClangFact]
    public void DropAndFailedRedirect()
    {
        var sp = Load();
        sp.Configure(new ProgramSpec { Action = ScenarioAction.Drop });
        Assert.Equal(0, sp.Program.Run(new FakeContext(10)));
        var sp2 = Load();
        sp2.Configure(new ProgramSpec { Action = ScenarioAction.Redirect, RedirectKey = 3 });
        Assert.Equal(0, sp2.Program.Run(new FakeContext(10) { RedirectResult = 0 }));
        Assert.Equal(0, sp2.ReadTrace().Runs[0].Verdict);
        Assert.Null(sp2.BpfProgram.LastFault);
    }

    [ClangFact]
    public void NegativeHelperReturnIsRecordedSigned()
    {
        var sp = Load();
        sp.Configure(new ProgramSpec { PullStart = 50, PullEnd = 10 });
        sp.Program.Run(new FakeContext(100));
        Assert.Equal(-22, sp.ReadTrace().Runs[0].Pull);
    }
}
