using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SockActors.Model.Net;

namespace SockActors.Model.Tests.Wire;

/// <summary>
/// Random traffic over a connection between hosts: non-blocking sends of random sizes, reads of random sizes and
/// deliveries of what is on the wire, interleaved at random, over a random link and buffers. After every step the
/// bytes accepted by sendmsg equal the bytes read + queued at the receiver + in flight on the wire + held in the
/// sender's write queue; the reader has read a prefix of the accepted stream; the receiver never holds more than its
/// window. A wire that reorders and duplicates segments changes none of it (sequence numbers put them right).
/// </summary>
public class WireProperties
{
    public sealed record Traffic(int Rcvbuf, int Sndbuf, long LatencyNs, long BytesPerSecond, (int Op, int Size)[] Steps)
    {
        public override string ToString() =>
            $"rcvbuf {Rcvbuf} sndbuf {Sndbuf} link {LatencyNs} ns {BytesPerSecond} B/s steps [{string.Join(",", Steps.Select(s => $"{"srd"[s.Op]}{s.Size}"))}]";
    }

    private static readonly Gen<(int, int)> Step =
        Gen.Frequency(
            (3, Gen.Choose(1, 90_000).Select(n => (0, n))),   // send
            (3, Gen.Choose(1, 70_000).Select(n => (1, n))),   // read
            (4, Gen.Choose(1, 8).Select(n => (2, n))));       // deliver n events

    private static readonly Arbitrary<Traffic> AnyTraffic =
        (from rcvbuf in Gen.Elements(1000, 20_000, 64_991, 300_000)
         from sndbuf in Gen.Elements(4608, 50_000, 4 * 1024 * 1024)
         from latency in Gen.Elements(0L, 1000L, 3_000_000L)
         from bw in Gen.Elements(0L, 10_000_000L, 1_000_000_000L)
         from n in Gen.Choose(1, 60)
         from steps in Gen.ArrayOf(Step, n)
         select new Traffic(rcvbuf, sndbuf, latency, bw, steps)).ToArbitrary();

    [Property(MaxTest = 120)]
    public Property Accepted_bytes_are_read_plus_queued_plus_in_flight_plus_held_in_order_within_the_window() =>
        Prop.ForAll(AnyTraffic, t =>
        {
            var rig = new WireRig(new TcpLink(t.LatencyNs, t.BytesPerSecond));
            rig.Server.Rcvbuf = t.Rcvbuf;
            rig.Client.Sndbuf = t.Sndbuf;
            // The client learnt the server's window in the handshake: a smaller buffer afterwards is announced with
            // the first ACK; before it, the sender may use the window it was offered (what the checks below allow).
            long window = Math.Max(t.Rcvbuf, rig.Client.Remote!.SndWndEdge);
            long accepted = 0;
            var read = new List<byte>();
            var buf = new byte[70_000];
            var endpoint = rig.Client.Remote!.Local;
            foreach (var (op, size) in t.Steps.Append((2, 1_000_000)))
            {
                switch (op)
                {
                    case 0:
                        var send = rig.Client.SendMsgAsync(WireRig.Pattern(accepted, size), MsgFlags.DontWait);
                        if (!send.IsCompleted) return false.Label("a non-blocking send slept");
                        int rc = send.Result;
                        if (rc > 0) accepted += rc;
                        else if (rc != -Errno.EAGAIN) return false.Label($"send returned {rc}");
                        break;
                    case 1:
                        int n = rig.Server.Recv(buf.AsSpan(0, size));
                        if (n > 0) read.AddRange(buf.AsSpan(0, n).ToArray());
                        break;
                    default:
                        for (int i = 0; i < size && rig.Net.Step(); i++) { }
                        break;
                }
                long sum = read.Count + rig.Server.ReceiveQueueBytes + rig.Net.BytesInFlight(endpoint) + rig.Client.HeldBytes;
                if (sum != accepted)
                    return false.Label($"accepted {accepted} != read {read.Count} + queued {rig.Server.ReceiveQueueBytes} + in flight {rig.Net.BytesInFlight(endpoint)} + held {rig.Client.HeldBytes}");
                if (rig.Server.ReceiveQueueBytes > window) return false.Label($"receive queue {rig.Server.ReceiveQueueBytes} above the window {window}");
            }
            bool prefix = read.ToArray().AsSpan().SequenceEqual(WireRig.Pattern(0, read.Count));
            return prefix.Label("the reader's bytes are not the accepted stream's prefix")
                .And((rig.Server.Remote!.WindowOverrunBytes == 0).Label($"{rig.Server.Remote.WindowOverrunBytes} bytes beyond the window"))
                .And((rig.Server.Remote.DuplicateBytes == 0).Label("duplicates on a reliable wire"));
        });

    /// <summary>A wire that delivers its packets in a seeded random order, some twice.</summary>
    private sealed class ShufflingWire(Random random) : ITcpWire
    {
        public readonly List<Action<SimKernel, SimKernel>> Pending = new();

        private void Add(TcpWireEndpoint to, Action<Sock> deliver)
        {
            Pending.Add((a, b) =>
            {
                var sk = (to.HostId == a.HostId ? a : b).WireSocket(to.SockId);
                if (sk is not null) deliver(sk);
            });
        }

        public void SendSegment(TcpWireEndpoint from, TcpWireEndpoint to, long seq, byte[] data)
        {
            Add(to, sk => sk.WireSegmentArrived(seq, data));
            if (random.Next(4) == 0) Add(to, sk => sk.WireSegmentArrived(seq, data));
        }

        public void SendAck(TcpWireEndpoint from, TcpWireEndpoint to, long ack, long window) => Add(to, sk => sk.WireAckArrived(ack, window));

        public void SendFin(TcpWireEndpoint from, TcpWireEndpoint to, long seq) => Add(to, sk => sk.WireFinArrived(seq));

        public void SendReset(TcpWireEndpoint from, TcpWireEndpoint to) => Add(to, sk => sk.WireResetArrived());

        public bool DeliverOne(SimKernel a, SimKernel b)
        {
            if (Pending.Count == 0) return false;
            int i = random.Next(Pending.Count);
            var p = Pending[i];
            Pending.RemoveAt(i);
            p(a, b);
            return true;
        }
    }

    [Property(MaxTest = 60)]
    public Property A_wire_that_reorders_and_duplicates_segments_still_delivers_the_stream_once_in_order(int seed, PositiveInt sends) =>
        Prop.ForAll(Gen.Choose(1, 50_000).ArrayOf(Math.Min(sends.Get, 40)).ToArbitrary(), sizes =>
        {
            var random = new Random(seed);
            var wire = new ShufflingWire(random);
            var a = new SimKernel { HostId = "host-1", Wire = wire };
            var b = new SimKernel { HostId = "host-2", Wire = wire };
            var client = a.BeginRemoteConnect("c");
            var server = b.AcceptRemote(b.Listen("l"), new TcpWireEndpoint("host-1", client.Id), client.LocalPort, client.Rcvbuf, "s");
            a.CompleteRemoteConnect(client, new TcpWireEndpoint("host-2", server.Id), server.LocalPort, server.Remote!.RcvWnd);
            long accepted = 0;
            var read = new List<byte>();
            foreach (int size in sizes)
            {
                var send = client.SendMsgAsync(WireRig.Pattern(accepted, size), MsgFlags.DontWait);
                if (send.Result > 0) accepted += send.Result;
                for (int i = random.Next(6); i > 0 && wire.DeliverOne(a, b); i--) { }
                read.AddRange(WireRig.ReadAvailable(server, random.Next(1, 80_000)));
            }
            client.Close();
            while (true)
            {
                read.AddRange(WireRig.ReadAvailable(server));
                if (!wire.DeliverOne(a, b)) break;
            }
            read.AddRange(WireRig.ReadAvailable(server));
            return read.ToArray().AsSpan().SequenceEqual(WireRig.Pattern(0, (int)accepted))
                .Label($"read {read.Count} of {accepted} accepted bytes, or out of order")
                .And(server.Remote.FinReceived.Label("no end of stream"));
        });
}
