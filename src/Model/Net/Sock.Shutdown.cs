namespace SockActors.Model.Net;

/// <summary>The how argument of shutdown(2) (include/linux/net.h).</summary>
public static class ShutdownHow
{
    /// <summary>SHUT_RD: no more receptions.</summary>
    public const int Rd = 0;
    /// <summary>SHUT_WR: no more transmissions; the peer reads end of stream after the queued bytes.</summary>
    public const int Wr = 1;
    /// <summary>SHUT_RDWR: both.</summary>
    public const int RdWr = 2;
}

// shutdown(2): the half-close that close(2) does in full.
public sealed partial class Sock
{
    /// <summary>
    /// shutdown(2) → inet_shutdown → tcp_shutdown. SHUT_RD marks RCV_SHUTDOWN (reads see end of stream once the
    /// queue is empty); SHUT_WR marks SEND_SHUTDOWN (later sends get EPIPE) and sends the FIN after what is queued
    /// (tcp_close_state → tcp_send_fin): a loopback peer gets the queued bytes and then end of stream, as at close; a
    /// remote peer gets them as the window allows, then the FIN. Returns 0, -EINVAL for a bad how, -ENOTCONN when
    /// not connected.
    /// </summary>
    public int Shutdown(int how)
    {
        if (how is < ShutdownHow.Rd or > ShutdownHow.RdWr) return -Errno.EINVAL;
        if (State != SockState.Established) return -Errno.ENOTCONN;
        int mask = how + 1; // RCV_SHUTDOWN = 1, SEND_SHUTDOWN = 2
        if ((mask & 1) != 0) RcvShutdown = true;
        if ((mask & 2) != 0 && !SendShutdown)
        {
            SendShutdown = true;
            if (Peer is { } peer)
            {
                _moreHeld = 0;
                ProbeDeadlineNs = -1;
                TransmitAll();
                SkSkb.SkPsockRx.DataReady(peer);
                bool peerWasEstablished = !peer.RcvShutdown && peer.State == SockState.Established;
                peer.RcvShutdown = true;
                if (peerWasEstablished) SockOps.SockOpsRunner.StateChange(peer, Programs.SockOpsOp.TcpEstablished, Programs.SockOpsOp.TcpCloseWait);
                peer.Wake();
            }
            else if (Remote is not null) WireShutdownSend();
        }
        // sk_state_change: sleepers re-check (a blocked sender gets EPIPE, a blocked reader end of stream).
        Wake();
        return 0;
    }
}
