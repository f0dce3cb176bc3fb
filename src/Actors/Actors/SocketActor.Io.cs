using System.Buffers;
using Akka.Actor;
using SockActors.Actors.Protocol;
using SockActors.Model;
using SockActors.Model.Net;
using SockActors.Model.Scenarios;

namespace SockActors.Actors.Actors;

// The data calls of a socket actor: receive, drain, and the batch of sends used for load.
public sealed partial class SocketActor
{
    private byte[]? _pattern;

    private object DoRecv(Recv r)
    {
        var buf = new byte[Math.Max(0, r.MaxBytes)];
        int n = Sock.Recv(buf, r.Peek);
        if (n > 0 && !r.Peek) PeerMayWrite();
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
            if (total > 0) PeerMayWrite();
            return new Drained(Sock.Id, total, Fnv1a.ToHex(fnv.Value), last);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buf);
        }
    }

    /// <summary>Reading opened this socket's receive window, so the peer transmitted and its send buffer may have room:
    /// its waiting senders re-check (sk_stream_write_space).</summary>
    private void PeerMayWrite()
    {
        var peer = Sock.Peer;
        if (peer is not null && _rt.Waiting.ContainsKey(peer.Id) && _rt.SocketRefs.TryGetValue(peer.Id, out var p))
            p.Tell(new WriteSpace(peer.Id), Self);
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
}
