using Akka.Configuration;
using Akka.TestKit.Xunit2;
using SockActors.Actors.Client;
using SockActors.Model.Net;
using SockActors.Model.Scenarios;

namespace SockActors.Actors.Tests;

/// <summary>
/// The full-duplex case through the actor runtime in its default (concurrent) configuration: one connection c1 &lt;-&gt; p1,
/// a blocking sender on each end (8 MiB in 1 MiB or 4 MiB calls) and a blocking reader on each end, four concurrent
/// callers. It completes because each socket's lock is given up by the send that sleeps in sk_stream_wait_memory, so
/// the receive on the same socket runs; every byte arrives once and in order. Each call has a timeout, so a hang is a
/// failure, not a stuck test.
/// </summary>
public sealed class FullDuplexTests() : TestKit(ConfigurationFactory.ParseString("""
    akka.actor.serialize-messages = on
    akka.loglevel = WARNING
    akka.log-dead-letters = off
    sockactors.ask-timeout = 60s
    """).WithFallback(SockActorsExtension.DefaultConfig()))
{
    private const long Total = 8L << 20;

    [Theory]
    [InlineData(1 << 20, false)]
    [InlineData(4 << 20, false)]
    [InlineData(1 << 20, true)]
    [InlineData(4 << 20, true)]
    public async Task Full_duplex_blocking_senders_and_readers_on_one_connection_complete_with_every_byte_in_order(int callSize, bool passProgram)
    {
        var host = await SimulatedHost.CreateAsync(Sys);
        var (c1, p1) = await host.ConnectPairAsync("c1", "p1");
        if (passProgram)
        {
            var prog = new ScenarioProgram();
            prog.Configure(new ProgramSpec { Action = ScenarioAction.Pass });
            var (ph, maps) = await host.LoadProgramAsync(prog, prog.Map);
            Assert.Equal(0, await host.AttachAsync(maps[0], ph));
            Assert.Equal(0, await host.MapUpdateAsync(maps[0], 0, c1));
            Assert.Equal(0, await host.MapUpdateAsync(maps[0], 1, p1));
        }

        async ValueTask<int> Send(SocketHandle s, ReadOnlyMemory<byte> d) => await host.SendMsgAsync(s, d);
        async ValueTask<int> Recv(SocketHandle s, Memory<byte> b)
        {
            var r = await host.RecvAsync(s, b.Length, blocking: true);
            r.Data.CopyTo(b);
            return r.Rc;
        }

        var up = Task.Run(() => PatternStreams.SendAllAsync(d => Send(c1, d), Total, callSize, 0x00));
        var down = Task.Run(() => PatternStreams.SendAllAsync(d => Send(p1, d), Total, callSize, 0x5a));
        var atP1 = Task.Run(() => PatternStreams.ReadAllAsync(b => Recv(p1, b), Total, 0x00));
        var atC1 = Task.Run(() => PatternStreams.ReadAllAsync(b => Recv(c1, b), Total, 0x5a));
        var all = await Task.WhenAll(up, down, atP1, atC1);
        Assert.All(all, n => Assert.Equal(Total, n));
    }
}
