using System.Buffers;
using Akka.Actor;
using SockActors.Actors.Protocol;
using SockActors.Model;
using SockActors.Model.Maps;
using SockActors.Model.Net;
using SockActors.Model.Scenarios;

namespace SockActors.Actors.Actors;

// The data calls of a socket actor (receive, drain, the batch of sends used for load) and close, whose unlinking
// from the maps goes through the map actors.
public sealed partial class SocketActor
{
    private byte[]? _pattern;

    private async ValueTask<object> RecvAsync(Recv r)
    {
        var buf = new byte[Math.Max(0, r.MaxBytes)];
        int n;
        if (r.Blocking)
        {
            var pending = Sock.RecvMsgAsync(buf, r.Peek ? MsgFlags.Peek : 0);
            n = pending.IsCompletedSuccessfully ? pending.Result : await pending;
        }
        else
        {
            n = Sock.Recv(buf, r.Peek);
        }
        return new RecvResult(Sock.Id, n, n > 0 ? (n == buf.Length ? buf : buf[..n]) : []);
    }

    private object DoDrain(Drain d)
    {
        var buf = ArrayPool<byte>.Shared.Rent(65536);
        try
        {
            var fnv = new Fnv1a();
            long total = 0;
            int last = 0;
            long max = d.MaxBytes <= 0 ? long.MaxValue : d.MaxBytes;
            while (total < max)
            {
                int want = (int)Math.Min(65536, max - total);
                last = Sock.Recv(buf.AsSpan(0, want));
                if (last <= 0) break;
                if (!d.NoChecksum) fnv.Append(buf.AsSpan(0, last));
                total += last;
            }
            return new Drained(Sock.Id, total, Fnv1a.ToHex(fnv.Value), last);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buf);
        }
    }

    private async ValueTask<object> SendBatchAsync(SendMsgBatch b)
    {
        if (_pattern is null || _pattern.Length < b.Size)
        {
            _pattern = new byte[b.Size];
            StreamPattern.Fill(_pattern, 0);
        }
        var data = _pattern.AsMemory(0, b.Size);
        long bytes = 0, rc = 0;
        int calls = 0;
        try
        {
            for (; calls < b.Count; calls++)
            {
                var pending = Sock.SendMsgAsync(data, b.Flags);
                rc = pending.IsCompletedSuccessfully ? pending.Result : await pending;
                if (rc <= 0) break;
                bytes += rc;
            }
        }
        catch (RunawayException e)
        {
            return new SendResult(Sock.Id, -Errno.ENOMEM, e.Message);
        }
        return new SendBatchResult(Sock.Id, calls, bytes, rc);
    }

    private Resumable<bool>? _unlinked;
    private int _unlinksPending;

    /// <summary>
    /// close(2). sock_map_close runs with the socket lock held: it removes the socket from every map it is in
    /// (sock_map_remove_links), here by asking each map's actor, which owns the map and publishes the change; only then
    /// does the model close the socket (psock gone with its cork and ingress_msg, TCP close). The lock stays held across
    /// those hops, so the socket's other calls wait for it, as they would in the kernel.
    /// </summary>
    private async ValueTask<object> CloseAsync()
    {
        long before = Sock.PurgedBytes;
        var maps = Sock.Psock?.Links.Select(l => l.Map).Distinct().ToList();
        if (maps is { Count: > 0 })
        {
            _unlinked = new Resumable<bool>(null);
            _unlinksPending = 0;
            foreach (var map in maps)
            {
                var (mapId, mapRef) = _rt.MapActorOf((SockMapBase)map);
                _unlinksPending++;
                mapRef.Tell(new MapUnlinkSocket(mapId, Sock.Id), Self);
            }
            await _unlinked.Task;
        }
        Sock.Close();
        return new SocketClosed(Sock.Id, Sock.PurgedBytes - before);
    }

    private void OnUnlinked(MapResult m)
    {
        if (_unlinked is null) throw new InvalidOperationException($"{Describe()}: map {m.MapId} answered an unlink nobody asked for");
        if (--_unlinksPending > 0) return;
        var done = _unlinked;
        _unlinked = null;
        done.Complete(true);
    }
}
