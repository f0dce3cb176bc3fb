using MessagePack;

namespace SockActors.Actors.Protocol;

/// <summary>shutdown(2) with <see cref="How"/> (<see cref="Model.Net.ShutdownHow"/>: 0 SHUT_RD, 1 SHUT_WR, 2 SHUT_RDWR):
/// SHUT_WR sends the FIN after what is queued, to a loopback or a remote peer. Reply: <see cref="ShutdownDone"/>.</summary>
[MessagePackObject]
public sealed record Shutdown([property: Key(0)] int SockId, [property: Key(1)] int How, [property: Key(2)] int Thread = 0) : ISocketCall;

/// <summary>shutdown's return value: 0 or -errno.</summary>
[MessagePackObject]
public sealed record ShutdownDone([property: Key(0)] int SockId, [property: Key(1)] int Rc) : ISockActorsReply;
