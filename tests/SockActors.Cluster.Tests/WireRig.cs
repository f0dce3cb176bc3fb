using SockActors.Actors.Protocol;
using SockActors.Cluster.Load;
using SockActors.Model.Scenarios;

namespace SockActors.Cluster.Tests;

/// <summary>
/// A connection between two hosts with an SK_MSG program on the sending host, driven with protocol messages only, so
/// the same run can be made on hosts of one actor system and on sharded hosts of different nodes. The receiving host
/// listens; the sending host connects to it (the wire socket w) and has an application pair (c1, p1); the program's
/// sockmap holds c1 at key 0 and w at key 1. With a redirect program the application's sends on c1 go out through w;
/// otherwise the program runs on w's own sends (w at key 0). The result: every send's return code, the corked bytes,
/// then everything the accepted socket on the receiving host reads, in order.
/// </summary>
internal static class WireRig
{
    public static async Task<string> RunAsync(IHostCalls hosts, string sender, string receiver, ProgramSpec spec, int[] sends, TimeSpan timeout)
    {
        var log = new List<string>();
        var listener = await hosts.AskAsync<SocketCreated>(receiver, new Listen("proxy-listen", 0), timeout);
        var wire = await hosts.AskAsync<RemoteConnected>(sender, new ConnectRemote(receiver, listener.SockId, 0, "w", "s"), timeout);
        log.Add($"connect {wire.Rc}");
        var app = await hosts.AskAsync<Connected>(sender, new Connect(0, "c1", "p1"), timeout);
        var prog = await hosts.AskAsync<ProgramLoaded>(sender, new LoadProgramReference(new ProgramReference(Model.Programs.ProgramSource.ScenarioProgramName)), timeout);
        int map = prog.Maps!.Single(m => m.MapId != 0).MapId;
        bool redirect = spec.Action == ScenarioAction.Redirect;
        int source = redirect ? app.ClientId : wire.ClientId;
        log.Add("configure " + (await hosts.AskAsync<ProgramResult>(sender, new ConfigureScenarioProgram(prog.ProgId, spec.ToConfigWords()), timeout)).Rc);
        log.Add("attach " + (await hosts.AskAsync<MapResult>(sender, new AttachProgram(map, prog.ProgId), timeout)).Rc);
        log.Add("update " + (await hosts.AskAsync<MapResult>(sender, new MapUpdate(map, 0, source, 0), timeout)).Rc);
        if (redirect) log.Add("update " + (await hosts.AskAsync<MapResult>(sender, new MapUpdate(map, 1, wire.ClientId, 0), timeout)).Rc);
        long offset = 0;
        foreach (int n in sends)
        {
            var data = new byte[n];
            StreamPattern.Fill(data, offset);
            var r = await hosts.AskAsync<SendResult>(sender, new SendMsg(source, data, 0), timeout);
            if (r.Rc > 0) offset += r.Rc;
            log.Add($"send {n} -> {r.Rc}");
        }
        long corked = (await hosts.AskAsync<SockStats>(sender, new GetSockStats(source), timeout)).CorkedBytes;
        log.Add($"corked {corked}");
        // The bytes not corked travel to the receiving host; read until all of them are there (or the time is up).
        long expected = offset - corked, got = 0;
        var read = new List<byte>();
        using var cts = new CancellationTokenSource(timeout);
        while (got < expected)
        {
            var r = await hosts.AskAsync<RecvResult>(receiver, new Recv(wire.ServerId, 65536, false), timeout, cts.Token);
            if (r.Rc > 0)
            {
                read.AddRange(r.Data);
                got += r.Rc;
            }
            else await Task.Delay(10, cts.Token);
        }
        log.Add($"received {got} {Convert.ToHexString(read.ToArray())}");
        return string.Join("\n", log);
    }
}
