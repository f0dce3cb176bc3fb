using SockActors.Model.Memory;

namespace SockActors.Model.Net;

/// <summary>
/// The parts of tcp_sock a connection needs when its peer is on another host (see docs/wire.md): the send sequence
/// space (snd_una, snd_nxt, the right edge of the peer's advertised window) with the retransmit queue of sent,
/// unacknowledged bytes; the receive sequence space (rcv_nxt, the window last advertised: rcv_wup + rcv_wnd) with the
/// out-of-order queue; and the FIN / RST state. Sequence numbers count stream bytes from 0 in each direction (the
/// handshake's ISN is 0; SYN and FIN take no sequence space: nothing is retransmitted, so nothing needs to ACK them).
/// Owned by its <see cref="Sock"/>; the rules that change it are the socket's (Sock.Remote.cs).
/// </summary>
public sealed class TcpRemote
{
    internal TcpRemote(TcpWireEndpoint local, TcpWireEndpoint peer, long peerWindow, long ownWindow)
    {
        Local = local;
        Peer = peer;
        SndWndEdge = peerWindow;
        RcvWnd = ownWindow;
    }

    /// <summary>This socket on the wire.</summary>
    public TcpWireEndpoint Local { get; }

    /// <summary>The far socket: its host and its id there.</summary>
    public TcpWireEndpoint Peer { get; }

    /// <summary>snd_una: the oldest byte sent and not yet acknowledged.</summary>
    public long SndUna { get; internal set; }

    /// <summary>snd_nxt: the next byte to send; every byte before it has left this host.</summary>
    public long SndNxt { get; internal set; }

    /// <summary>snd_una + snd_wnd of the latest ACK: the sender may send up to, not including, this byte.</summary>
    public long SndWndEdge { get; internal set; }

    /// <summary>The usable send window: the peer's advertised window minus the bytes in flight (tcp_wnd_end - snd_nxt).</summary>
    public long UsableWindow => Math.Max(0, SndWndEdge - SndNxt);

    /// <summary>rcv_nxt: the next byte expected; every byte before it is in the receive queue or was read.</summary>
    public long RcvNxt { get; internal set; }

    /// <summary>rcv_wup: rcv_nxt when the window was last advertised.</summary>
    public long RcvWup { get; internal set; }

    /// <summary>rcv_wnd: the window last advertised (from <see cref="RcvWup"/>).</summary>
    public long RcvWnd { get; internal set; }

    /// <summary>tcp_receive_window: what remains of the advertised window.</summary>
    public long ReceiveWindowLeft => Math.Max(0, RcvWup + RcvWnd - RcvNxt);

    /// <summary>The retransmit queue (tcp_rtx_queue): sent bytes kept, with their pages, until the peer ACKs them.</summary>
    internal SegmentQueue Rtx { get; } = new();

    /// <summary>The write queue of the socket after close (an orphan in FIN_WAIT1): what close left unsent still goes
    /// out as the peer's window allows, then the FIN.</summary>
    internal SegmentQueue? OrphanQueue { get; set; }

    /// <summary>tcp_data_queue_ofo: segments that arrived beyond rcv_nxt, by sequence number; made on the first gap
    /// (a wire that keeps order never needs it).</summary>
    internal SortedDictionary<long, byte[]>? OutOfOrder { get; set; }

    /// <summary>The FIN's sequence number once it arrived (it applies when rcv_nxt reaches it), else -1.</summary>
    internal long FinSeq { get; set; } = -1;

    /// <summary>SOCK_DONE: the peer's FIN was processed (tcp_fin); the reader gets end of stream.</summary>
    public bool FinReceived { get; internal set; }

    /// <summary>shutdown(SHUT_WR) asked for a FIN: it goes once the write queue has drained.</summary>
    internal bool FinPending { get; set; }

    /// <summary>This side sent its FIN (after its last byte).</summary>
    public bool FinSent { get; internal set; }

    /// <summary>The connection is gone: a RST arrived or was sent. Nothing more goes on the wire for it.</summary>
    public bool Reset { get; internal set; }

    /// <summary>Both FINs went through, or a RST: the environment may forget the connection.</summary>
    public bool Finished => Reset || (FinSent && FinReceived);

    /// <summary>Bytes that arrived a second time (at or below rcv_nxt) and were dropped.</summary>
    public long DuplicateBytes { get; internal set; }

    /// <summary>Segments that arrived beyond rcv_nxt and were held in the out-of-order queue.</summary>
    public long OutOfOrderSegments { get; internal set; }

    /// <summary>Bytes that arrived beyond the window this socket advertised. The sender's tcp_write_xmit never sends
    /// them; a non-zero count is a simulator bug (tests check it stays 0).</summary>
    public long WindowOverrunBytes { get; internal set; }

    /// <summary>The largest receive queue (plus SK_SKB receive memory) this socket held: never above its window.</summary>
    public long MaxReceiveQueued { get; internal set; }

    /// <summary>The two endpoints and the sequence state (snd_una/snd_nxt/window edge, rcv_nxt), for traces.</summary>
    public override string ToString() => $"{Local} <-> {Peer} snd {SndUna}/{SndNxt}/{SndWndEdge} rcv {RcvNxt}";
}
