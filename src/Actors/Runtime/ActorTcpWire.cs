using Akka.Actor;
using SockActors.Actors.Protocol;
using SockActors.Model.Net;

namespace SockActors.Actors.Runtime;

/// <summary>
/// One kernel's <see cref="ITcpWire"/> in the actor runtime: the model's segments, ACKs, FINs and RSTs become
/// <see cref="TcpSegment"/>, <see cref="TcpAck"/>, <see cref="TcpFin"/>, <see cref="TcpReset"/> messages, handed to
/// the destination host's kernel through the <see cref="IHostDirectory"/> of the actor system
/// (<see cref="SockActorsExtension.HostDirectory"/>, read at every send so a cluster can install its own). A link with
/// latency or bandwidth (<see cref="WireLinks"/>) delays the hand-off on the actor system's scheduler by the time
/// <see cref="TcpLinkClock"/> computes from the scheduler's clock (TestScheduler in tests, real time otherwise); an
/// instant link hands over at once, inside the sending actor's turn. A host the directory cannot reach answers the
/// sender as a vanished peer does: with a RST. Called only on the kernel's strand; holds no kernel rule.
/// </summary>
internal sealed class ActorTcpWire(KernelRuntime rt, SockActorsExtension ext, IScheduler scheduler) : ITcpWire
{
    private readonly Dictionary<string, TcpLinkClock> _clocks = new(StringComparer.Ordinal);
    private readonly DateTimeOffset _epoch = scheduler.Now;

    /// <summary>Messages handed to the directory (or scheduled) so far.</summary>
    public long Sent { get; private set; }

    public void SendSegment(TcpWireEndpoint from, TcpWireEndpoint to, long seq, byte[] data) =>
        Send(new TcpSegment(to.HostId, to.SockId, from.HostId, from.SockId, seq, data), data.Length);

    public void SendAck(TcpWireEndpoint from, TcpWireEndpoint to, long ack, long window) =>
        Send(new TcpAck(to.HostId, to.SockId, from.HostId, from.SockId, ack, window), 0);

    public void SendFin(TcpWireEndpoint from, TcpWireEndpoint to, long seq) =>
        Send(new TcpFin(to.HostId, to.SockId, from.HostId, from.SockId, seq), 0);

    public void SendReset(TcpWireEndpoint from, TcpWireEndpoint to) =>
        Send(new TcpReset(to.HostId, to.SockId, from.HostId, from.SockId), 0);

    /// <summary>Puts <paramref name="message"/> (<paramref name="bytes"/> of payload) on the link to its host.</summary>
    public void Send(IHostMessage message, int bytes)
    {
        Sent++;
        var link = ext.Links.Get(rt.Kernel.HostId, message.HostId);
        if (link.LatencyNs == 0 && link.BytesPerSecond == 0)
        {
            Deliver(message);
            return;
        }
        if (!_clocks.TryGetValue(message.HostId, out var clock) || clock.Link != link)
            _clocks[message.HostId] = clock = new TcpLinkClock(link);
        long nowNs = (scheduler.Now - _epoch).Ticks * 100;
        long delayNs = clock.Schedule(nowNs, bytes) - nowNs;
        if (delayNs <= 0)
        {
            Deliver(message);
            return;
        }
        // Whole ticks, rounded up, so a segment never arrives before its time.
        scheduler.Advanced.ScheduleOnce(TimeSpan.FromTicks((delayNs + 99) / 100), () => Deliver(message));
    }

    private void Deliver(IHostMessage message)
    {
        if (ext.HostDirectory.Tell(message, rt.KernelActor)) return;
        // No such host: the sender hears a RST (for data, FIN and SYN; nothing answers an ACK or a RST).
        var reset = message switch
        {
            TcpSegment s => new TcpReset(s.SrcHost, s.SrcSockId, s.HostId, s.DestSockId),
            TcpFin f => new TcpReset(f.SrcHost, f.SrcSockId, f.HostId, f.DestSockId),
            TcpSyn y => new TcpReset(y.SrcHost, y.SrcSockId, y.HostId, 0),
            _ => null,
        };
        if (reset is not null) rt.KernelActor.Tell(reset, ActorRefs.NoSender);
    }
}
