using SockActors.Actors.Protocol;
using SockActors.Model.Scenarios;

namespace SockActors.Cluster.Tests;

/// <summary>
/// The same protocol messages against any kernel, a single-node one or a sharded host on another node: two connected
/// pairs (c1,p1) and (c2,p2), the scenario program attached to its sockmap with c1 at key 0 and p2 at key 1, sends on
/// c1, then the reader drained with recvmsg until -EAGAIN. The result is what a user sees: every return code and every
/// byte read, plus c1's corked bytes.
/// </summary>
internal static class SkMsgRig
{
    public static async Task<string> RunAsync(Func<ISockActorsRequest, Task<object>> ask, ProgramSpec spec, int[] sends)
    {
        var log = new List<string>();
        var a = (Connected)await ask(new Connect(0, "c1", "p1"));
        var b = (Connected)await ask(new Connect(0, "c2", "p2"));
        var loaded = (ProgramLoaded)await ask(new LoadProgramReference(new ProgramReference(Model.Programs.ProgramSource.ScenarioProgramName)));
        int mapId = loaded.Maps!.Single(m => m.Name == "sock_map").MapId;
        log.Add("configure " + ((ProgramResult)await ask(new ConfigureScenarioProgram(loaded.ProgId, spec.ToConfigWords()))).Rc);
        log.Add("attach " + ((MapResult)await ask(new AttachProgram(mapId, loaded.ProgId))).Rc);
        log.Add("update " + ((MapResult)await ask(new MapUpdate(mapId, 0, a.ClientId, 0))).Rc);
        log.Add("update " + ((MapResult)await ask(new MapUpdate(mapId, 1, b.ServerId, 0))).Rc);
        long offset = 0;
        foreach (int n in sends)
        {
            var data = new byte[n];
            StreamPattern.Fill(data, offset);
            var r = (SendResult)await ask(new SendMsg(a.ClientId, data, 0));
            if (r.Rc > 0) offset += r.Rc;
            log.Add($"send {n} -> {r.Rc}");
        }
        int reader = spec.Action != ScenarioAction.Redirect ? a.ServerId : spec.Ingress ? b.ServerId : b.ClientId;
        while (true)
        {
            var r = (RecvResult)await ask(new Recv(reader, 65536, false));
            log.Add($"recv {r.Rc} {Convert.ToHexString(r.Data)}");
            if (r.Rc <= 0) break;
        }
        var stats = (SockStats)await ask(new GetSockStats(a.ClientId));
        log.Add($"corked {stats.CorkedBytes}");
        return string.Join("\n", log);
    }

    /// <summary>The program configurations the cross-node tests use: pass, redirect to egress and to ingress, apply and cork.</summary>
    public static readonly (string Name, ProgramSpec Spec)[] Programs =
    [
        ("pass", new ProgramSpec()),
        ("redirect", new ProgramSpec { Action = ScenarioAction.Redirect, RedirectKey = 1 }),
        ("redirect-ingress-apply", new ProgramSpec { Action = ScenarioAction.Redirect, RedirectKey = 1, Ingress = true, Apply = 100 }),
        ("pass-cork", new ProgramSpec { Cork = 500 }),
    ];

    public static readonly int[] Sends = [1, 64, 300, 4096, 70_000, 10];
}
