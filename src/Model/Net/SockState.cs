namespace SockActors.Model.Net;

/// <summary>TCP states the simulation distinguishes (include/net/tcp_states.h).</summary>
public enum SockState
{
    Close = 7,
    Established = 1,
    Listen = 10,
}

/// <summary>msg_flags bits used by the send path (include/linux/socket.h).</summary>
public static class MsgFlags
{
    public const int Peek = 0x2;
    public const int DontWait = 0x40;
    public const int NoSignal = 0x4000;
    public const int More = 0x8000;
    public const int SplicePages = 0x8000000;
    public const int NoSharedFrags = 0x80000;
}
