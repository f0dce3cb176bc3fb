namespace SockActors.Model.Net;

/// <summary>
/// One end of a connection between hosts: the simulated host (one <see cref="SimKernel"/>, named like "host-17") and
/// the socket's id in that kernel. A TCP four-tuple of the simulation.
/// </summary>
public readonly record struct TcpWireEndpoint(string HostId, int SockId)
{
    /// <summary>"host-17/5": the host id and the socket id.</summary>
    public override string ToString() => $"{HostId}/{SockId}";
}

/// <summary>
/// What a socket puts on the wire when its peer is on another host: the IP output of tcp_transmit_skb and
/// tcp_send_ack / tcp_send_fin / tcp_send_active_reset, as effects the environment carries (the sequential
/// <see cref="SimNetwork"/>, or the actor runtime's messages between kernels). The model never waits for the wire: a
/// segment handed over here is in flight until the far host hands it to <see cref="Sock.WireSegmentArrived"/> (or the
/// ACK, FIN, RST entry points). Bytes are copies (pages do not cross hosts). The wire is reliable and delivers what
/// one socket sends to one peer in order; the receiving side still checks sequence numbers (duplicates dropped, a gap
/// buffered), so an environment that reorders does not change the bytes.
/// </summary>
public interface ITcpWire
{
    /// <summary>tcp_transmit_skb of a data segment: <paramref name="data"/> (a copy, owned by the callee) is stream
    /// bytes [<paramref name="seq"/>, seq + length) of <paramref name="from"/>'s direction.</summary>
    void SendSegment(TcpWireEndpoint from, TcpWireEndpoint to, long seq, byte[] data);

    /// <summary>tcp_send_ack / __tcp_send_ack: everything before <paramref name="ack"/> arrived, and the receiver has room
    /// for <paramref name="window"/> bytes beyond it (a window update is an ACK whose window grew).</summary>
    void SendAck(TcpWireEndpoint from, TcpWireEndpoint to, long ack, long window);

    /// <summary>tcp_send_fin: <paramref name="from"/> sends no byte at or after <paramref name="seq"/> (close).</summary>
    void SendFin(TcpWireEndpoint from, TcpWireEndpoint to, long seq);

    /// <summary>tcp_send_active_reset / tcp_v4_send_reset: the connection is gone at <paramref name="from"/>'s side
    /// (closed with unread data, or no such socket any more).</summary>
    void SendReset(TcpWireEndpoint from, TcpWireEndpoint to);
}

/// <summary>
/// A one-way link between two hosts: <paramref name="LatencyNs"/> of propagation delay and a bandwidth in bytes per
/// second (0 = unlimited). A segment sent at time t arrives at max(t, link free) + length / bandwidth + latency: the
/// link serialises segments one after the other, so queued bytes delay the ones behind them. Timing only: the bytes
/// delivered are the same on every link.
/// </summary>
public sealed record TcpLink(long LatencyNs = 0, long BytesPerSecond = 0)
{
    /// <summary>A link without delay.</summary>
    public static TcpLink Instant { get; } = new();

    /// <summary>Virtual nanoseconds that <paramref name="bytes"/> occupy the link (0 when bandwidth is unlimited).</summary>
    public long TransmissionNs(long bytes) => BytesPerSecond <= 0 ? 0 : (long)Math.Ceiling(bytes * 1_000_000_000.0 / BytesPerSecond);

    /// <summary>Validates the numbers (negative latency or bandwidth is a configuration error).</summary>
    public TcpLink Checked()
    {
        if (LatencyNs < 0) throw new ArgumentException($"link latency must not be negative: {LatencyNs} ns");
        if (BytesPerSecond < 0) throw new ArgumentException($"link bandwidth must not be negative: {BytesPerSecond} bytes/s");
        return this;
    }
}

/// <summary>
/// The sending side of one link: when it is free again. <see cref="Schedule"/> gives a segment's arrival time as
/// <see cref="TcpLink"/> describes. The sequential network and the actor runtime both use it, so the same traffic
/// gets the same timing from the same link in both.
/// </summary>
public sealed class TcpLinkClock(TcpLink link)
{
    private long _freeAtNs;

    /// <summary>The latency and bandwidth this clock schedules departures and arrivals with.</summary>
    public TcpLink Link { get; } = link;

    /// <summary>The arrival time of <paramref name="bytes"/> put on the link at <paramref name="nowNs"/>.</summary>
    public long Schedule(long nowNs, long bytes)
    {
        long start = Math.Max(nowNs, _freeAtNs);
        _freeAtNs = start + Link.TransmissionNs(bytes);
        return _freeAtNs + Link.LatencyNs;
    }
}
