using SockActors.Model.Net;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using SockActors.Actors.Client;
using SockActors.Actors.Protocol;
using SockActors.Model.Scenarios;

namespace SockActors.Actors.Tests;

/// <summary>The default (non-deterministic) configuration: all actors of a kernel on the kernel's strand (kernel-strand),
/// callers on other threads. Backpressure and redirects behave the same.</summary>
public sealed class KernelThreadTests() : TestKit(ConfigurationFactory.ParseString("""
    akka.actor.serialize-messages = on
    akka.loglevel = WARNING
    """).WithFallback(SockActorsExtension.DefaultConfig()))
{
    [Fact]
    public async Task Redirected_bytes_arrive_and_a_blocked_sender_resumes_when_the_reader_reads()
    {
        Assert.False(SockActorsExtension.Get(Sys).Settings.Deterministic);
        var host = await SimulatedHost.CreateAsync(Sys);
        var (c1, _) = await host.ConnectPairAsync("c1", "p1");
        var (c2, p2) = await host.ConnectPairAsync("c2", "p2");
        var prog = new ScenarioProgram();
        prog.Configure(new ProgramSpec { Action = ScenarioAction.Redirect, RedirectKey = 1, Apply = 1000 });
        var (ph, maps) = await host.LoadProgramAsync(prog, prog.Map);
        Assert.Equal(0, await host.AttachAsync(maps[0], ph));
        Assert.Equal(0, await host.MapUpdateAsync(maps[0], 0, c1));
        Assert.Equal(0, await host.MapUpdateAsync(maps[0], 1, p2));
        await host.SetSockOptAsync(p2, SockOption.SndBuf, 65536);
        await host.SetSockOptAsync(c2, SockOption.RcvBuf, 65536);

        var data = new byte[1 << 20];
        StreamPattern.Fill(data, 0);
        var send = host.SendMsgAsync(c1, data);
        var fnv = new Fnv1a();
        long read = 0;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (read < data.Length)
        {
            var r = await host.RecvAsync(c2, 65536);
            if (r.Rc > 0)
            {
                fnv.Append(r.Data);
                read += r.Rc;
            }
            else await Task.Delay(1);
            Assert.True(DateTime.UtcNow < deadline, $"stalled after {read} bytes");
        }
        Assert.Equal(data.Length, await send);
        var expected = new Fnv1a();
        expected.Append(data);
        Assert.Equal(expected.Value, fnv.Value);
    }
}
