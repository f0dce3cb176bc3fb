using SockActors.Actors.Protocol;

namespace SockActors.Actors.Actors;

// Packets from the socket's peer on another host (docs/wire.md). The kernel processes an arriving segment under the
// socket lock (tcp_v4_rcv, or from the backlog at release_sock when a call owns the socket): here the packet takes the
// lock like any other holder, runs the model's entry point (Sock.WireSegmentArrived, WireAckArrived, WireFinArrived,
// WireResetArrived) and lets go. Wake-ups it causes (sk_data_ready, sk_write_space) reach sleeping calls as WakeUp.
public sealed partial class SocketActor
{
    private void OnWirePacket(ITcpWireMessage packet)
    {
        if (!_lock.TryEnter("wire"))
        {
            _lock.Acquire("wire", () => ApplyPacket(packet));
            return;
        }
        try
        {
            ApplyPacket(packet);
        }
        finally
        {
            _lock.Leave();
        }
    }

    /// <summary>Runs with the lock held and releases it.</summary>
    private void ApplyPacket(ITcpWireMessage packet)
    {
        try
        {
            switch (packet)
            {
                case TcpSegment s:
                    Sock.WireSegmentArrived(s.Seq, s.Data);
                    break;
                case TcpAck a:
                    Sock.WireAckArrived(a.Ack, a.Window);
                    break;
                case TcpFin f:
                    Sock.WireFinArrived(f.Seq);
                    break;
                case TcpReset:
                    Sock.WireResetArrived();
                    break;
            }
            // release_sock: loopback ACKs of what a redirect target just sent are processed here too.
            Sock.ReleaseSock();
        }
        catch (Exception e)
        {
            Fault(packet, Akka.Actor.ActorRefs.Nobody, e);
        }
        finally
        {
            _lock.Release();
        }
    }
}
