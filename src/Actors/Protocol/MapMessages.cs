using MessagePack;

namespace SockActors.Actors.Protocol;

// The protocol of a sockmap/sockhash actor: updates are ordered by the map's actor; after each change it publishes an
// immutable snapshot (as the kernel publishes slots under RCU) to its subscribers.

/// <summary>A request for one map (routed by <see cref="MapId"/>).</summary>
public interface IMapRequest : ISockActorsRequest
{
    /// <summary>The map's id in its kernel.</summary>
    int MapId { get; }
}

/// <summary>bpf_map_update_elem(map, key, socket, flags). For a SOCKHASH the key is the 4-byte little-endian
/// <see cref="Key"/> unless <see cref="KeyBytes"/> is given. Reply: <see cref="MapResult"/>.</summary>
/// <param name="MapId">The map.</param>
/// <param name="Key">The slot (SOCKMAP) or the 4-byte little-endian key (SOCKHASH).</param>
/// <param name="SockId">The socket to put in the slot.</param>
/// <param name="Flags">BPF_ANY, BPF_NOEXIST or BPF_EXIST.</param>
/// <param name="KeyBytes">A SOCKHASH key of any size, instead of <paramref name="Key"/>.</param>
[MessagePackObject]
public sealed record MapUpdate(
    [property: Key(0)] int MapId,
    [property: Key(1)] uint Key,
    [property: Key(2)] int SockId,
    [property: Key(3)] ulong Flags,
    [property: Key(4)] byte[]? KeyBytes = null) : IMapRequest;

/// <summary>bpf_map_delete_elem. Reply: <see cref="MapResult"/>.</summary>
/// <param name="MapId">The map.</param>
/// <param name="Key">The slot or 4-byte key.</param>
/// <param name="KeyBytes">A SOCKHASH key of any size, instead of <paramref name="Key"/>.</param>
[MessagePackObject]
public sealed record MapDelete([property: Key(0)] int MapId, [property: Key(1)] uint Key, [property: Key(2)] byte[]? KeyBytes = null) : IMapRequest;

/// <summary>The socket in a slot (by socket id, 0 when empty). Reply: <see cref="MapResult"/> with Rc = socket id or -ENOENT.</summary>
/// <param name="MapId">The map.</param>
/// <param name="Key">The slot or 4-byte key.</param>
/// <param name="KeyBytes">A SOCKHASH key of any size, instead of <paramref name="Key"/>.</param>
[MessagePackObject]
public sealed record MapLookup([property: Key(0)] int MapId, [property: Key(1)] uint Key, [property: Key(2)] byte[]? KeyBytes = null) : IMapRequest;

/// <summary>bpf_prog_attach(program, map, BPF_SK_MSG_VERDICT). Reply: <see cref="MapResult"/>.</summary>
/// <param name="MapId">The map.</param>
/// <param name="ProgId">The SK_MSG program to attach.</param>
[MessagePackObject]
public sealed record AttachProgram([property: Key(0)] int MapId, [property: Key(1)] int ProgId) : IMapRequest;

/// <summary>bpf_prog_detach(program, map, BPF_SK_MSG_VERDICT). Reply: <see cref="MapResult"/>.</summary>
/// <param name="MapId">The map.</param>
/// <param name="ProgId">The program to detach.</param>
[MessagePackObject]
public sealed record DetachProgram([property: Key(0)] int MapId, [property: Key(1)] int ProgId) : IMapRequest;

/// <summary>sock_map_remove_links for one map: the closing socket leaves every slot of this map it is in (sent by
/// the socket's actor while it holds the socket lock in close). Reply: <see cref="MapResult"/>.</summary>
/// <param name="MapId">The map.</param>
/// <param name="SockId">The closing socket.</param>
[MessagePackObject]
public sealed record MapUnlinkSocket([property: Key(0)] int MapId, [property: Key(1)] int SockId) : IMapRequest;

/// <summary>Reply to <see cref="MapUpdate"/>, <see cref="MapDelete"/>, <see cref="MapLookup"/>, <see cref="AttachProgram"/>,
/// <see cref="DetachProgram"/> and <see cref="MapUnlinkSocket"/>.</summary>
/// <param name="MapId">The map.</param>
/// <param name="Rc">The kernel's return: 0 (a socket id for <see cref="MapLookup"/>), or -errno.</param>
[MessagePackObject]
public sealed record MapResult([property: Key(0)] int MapId, [property: Key(1)] long Rc) : ISockActorsReply
{
    /// <summary><see cref="Rc"/> typed: 0 (or a socket id for a lookup), or the errno by name.</summary>
    [IgnoreMember]
    public Client.SysResult Result => new(Rc);
}

/// <summary>Subscribes the sender to the map's snapshots; the current one is sent at once.</summary>
/// <param name="MapId">The map.</param>
[MessagePackObject]
public sealed record SubscribeMap([property: Key(0)] int MapId) : IMapRequest;

/// <summary>One slot of a snapshot.</summary>
/// <param name="Key">The slot's key bytes (4-byte little-endian index for a SOCKMAP).</param>
/// <param name="SockId">The socket in the slot.</param>
[MessagePackObject]
public sealed record MapSlot([property: Key(0)] byte[] Key, [property: Key(1)] int SockId);

/// <summary>An immutable view of a map after its <see cref="Version"/>-th change.</summary>
/// <param name="MapId">The map.</param>
/// <param name="Version">Changes made to the map so far.</param>
/// <param name="Slots">The occupied slots.</param>
[MessagePackObject]
public sealed record MapSnapshot([property: Key(0)] int MapId, [property: Key(1)] long Version, [property: Key(2)] MapSlot[] Slots) : ISockActorsReply;
