using Akka.Actor;
using SockActors.Actors.Protocol;
using SockActors.Actors.Runtime;
using SockActors.Model;
using SockActors.Model.Maps;

namespace SockActors.Actors.Actors;

/// <summary>
/// One sockmap or sockhash: updates, deletes and attaches are applied to the model map in the order this actor
/// receives them (the kernel orders them under the map's lock); after each change it publishes an immutable
/// <see cref="MapSnapshot"/> to its subscribers (as the kernel publishes slots under RCU). Programs read the model
/// map directly during a send: they run on the kernel's thread, like a BPF program under rcu_read_lock.
/// </summary>
public sealed class MapActor : UntypedActor
{
    private readonly KernelRuntime _rt;
    private readonly int _id;
    private readonly SockMapBase _map;
    private readonly HashSet<IActorRef> _subscribers = new();
    private long _version;

    internal MapActor(KernelRuntime rt, int id, SockMapBase map)
    {
        _rt = rt;
        _id = id;
        _map = map;
    }

    internal static Props Props(KernelRuntime rt, int id, SockMapBase map) =>
        FuncProducer<MapActor>.Props(() => new MapActor(rt, id, map), rt.Settings.KernelDispatcher);

    /// <summary>One turn of the map: a request (update, delete, lookup, attach, detach, unlink, subscribe) applied to the
    /// model map in arrival order, its snapshot published after a change.</summary>
    protected override void OnReceive(object message)
    {
        bool outer = _rt.Current is null;
        _rt.EnterTurn("map " + _id);
        try
        {
            Handle(message);
        }
        finally
        {
            if (outer) _rt.ExitTurn();
        }
    }

    private void Handle(object message)
    {
        switch (message)
        {
            case MapUpdate u:
                if (!_rt.Socks.TryGetValue(u.SockId, out var sk)) { Sender.Tell(new MapResult(_id, -Errno.EBADF)); return; }
                Changed(_map switch
                {
                    SockMap m => m.Update(u.Key, sk, u.Flags),
                    SockHash h => h.Update(KeyOf(u.Key, u.KeyBytes), sk, u.Flags),
                    _ => -Errno.EINVAL,
                });
                break;
            case MapDelete d:
                Changed(_map switch
                {
                    SockMap m => m.Delete(d.Key),
                    SockHash h => h.Delete(KeyOf(d.Key, d.KeyBytes)),
                    _ => -Errno.EINVAL,
                });
                break;
            case MapUnlinkSocket u:
                if (!_rt.Socks.TryGetValue(u.SockId, out var closing)) { Sender.Tell(new MapResult(_id, -Errno.EBADF)); return; }
                _map.UnlinkSocket(closing);
                Changed(0);
                break;
            case MapLookup l:
            {
                var s = _map switch
                {
                    SockMap m => m.LookupSock(l.Key),
                    SockHash h => h.LookupSock(KeyOf(l.Key, l.KeyBytes)),
                    _ => null,
                };
                Sender.Tell(new MapResult(_id, s?.Id ?? -Errno.ENOENT));
                break;
            }
            case AttachProgram a:
                if (!_rt.Programs.TryGetValue(a.ProgId, out var p)) { Sender.Tell(new MapResult(_id, -Errno.EBADF)); return; }
                Changed(_map.Attach(SockAttachType.SkMsgVerdict, p));
                break;
            case DetachProgram d:
                if (!_rt.Programs.TryGetValue(d.ProgId, out var dp)) { Sender.Tell(new MapResult(_id, -Errno.EBADF)); return; }
                Changed(_map.Detach(SockAttachType.SkMsgVerdict, dp));
                break;
            case SubscribeMap:
                _subscribers.Add(Sender);
                Sender.Tell(Snapshot());
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private static byte[] KeyOf(uint key, byte[]? bytes) => bytes ?? BitConverter.GetBytes(key);

    private void Changed(long rc)
    {
        Sender.Tell(new MapResult(_id, rc));
        if (rc != 0) return;
        _version++;
        if (_subscribers.Count == 0) return;
        var snap = Snapshot();
        foreach (var s in _subscribers) s.Tell(snap);
    }

    private MapSnapshot Snapshot()
    {
        var slots = new List<MapSlot>();
        switch (_map)
        {
            case SockMap m:
                for (uint k = 0; k < m.MaxEntries; k++)
                    if (m.LookupSock(k) is { } s) slots.Add(new MapSlot(BitConverter.GetBytes(k), s.Id));
                break;
            case SockHash h:
            {
                var key = new byte[h.KeySize];
                bool first = true;
                while (true)
                {
                    long rc = h.GetNextKey(first ? ReadOnlySpan<byte>.Empty : key, out var next);
                    first = false;
                    if (rc != 0 || next is null) break;
                    key = next;
                    if (h.LookupSock(key) is { } s) slots.Add(new MapSlot(key, s.Id));
                }
                break;
            }
        }
        return new MapSnapshot(_id, _version, slots.ToArray());
    }
}
