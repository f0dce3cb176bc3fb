using System.Diagnostics;
using SockActors.Kernel.Native;
using SockActors.Model.Scenarios;

namespace SockActors.Kernel;

/// <summary>
/// Reads the receivers with poll until each has been quiet for the quiet time (contract: 200 ms) and returns byte counts
/// and checksums. All receivers are drained concurrently, but in <see cref="ReadOrder.Sequential"/> mode receiver i's
/// quiet clock starts only when receiver i-1 has finished, which gives exactly the results of reading p1, then c2, then
/// p2 one after the other, as the published observations were recorded. That matters: loopback TCP can deliver held
/// data about 200 ms late (a TCP timer), so a receiver read later sees bytes that an early concurrent window misses
/// (sendm-redir-cork gives c2 15 bytes read in order and 0 read concurrently, in most runs).
/// </summary>
internal static unsafe class QuietReader
{
    public static ReceiverResult[] ReadUntilQuiet(int[] fds, TimeSpan quiet, ReadOrder order)
    {
        var hashes = new Fnv1a[fds.Length];
        var counts = new long[fds.Length];
        var lastData = new long[fds.Length];
        var active = new bool[fds.Length];
        var done = new long[fds.Length];
        var closed = new bool[fds.Length];
        var clock = Stopwatch.StartNew();
        long quietMs = (long)quiet.TotalMilliseconds;
        Array.Fill(active, true);
        var buf = new byte[65536];
        var pfds = new Libc.PollFd[fds.Length];
        while (true)
        {
            long now = clock.ElapsedMilliseconds;
            int n = 0;
            long wait = long.MaxValue;
            long previousDone = 0; // when the receiver before this one finished (sequential order)
            for (int i = 0; i < fds.Length; i++)
            {
                long since = order == ReadOrder.Sequential ? Math.Max(lastData[i], previousDone) : lastData[i];
                bool blocked = order == ReadOrder.Sequential && previousDone < 0;
                if (active[i] && !blocked && now - since >= quietMs)
                {
                    active[i] = false;
                    done[i] = since + quietMs;
                }
                previousDone = active[i] ? -1 : (blocked ? -1 : done[i]);
                if (!active[i]) continue;
                if (!blocked) wait = Math.Min(wait, since + quietMs - now);
                pfds[n++] = new Libc.PollFd { Fd = closed[i] ? -1 : fds[i], Events = Libc.PollIn };
            }
            if (n == 0) break;
            int ready;
            fixed (Libc.PollFd* p = pfds) ready = Libc.Poll(p, (nuint)n, (int)Math.Max(1, wait));
            if (ready < 0 && Libc.Errno != Libc.EIntr)
                throw new KernelDriverException($"poll on the receivers failed: {Libc.StrError(Libc.Errno)}");
            if (ready <= 0) continue;
            for (int j = 0; j < n; j++)
            {
                if (pfds[j].REvents == 0) continue;
                int i = Array.IndexOf(fds, pfds[j].Fd);
                if (i < 0) continue;
                nint r;
                fixed (byte* b = buf) r = Libc.Recv(fds[i], b, (nuint)buf.Length, Libc.MsgDontWait);
                if (r > 0)
                {
                    hashes[i].Append(buf.AsSpan(0, (int)r));
                    counts[i] += r;
                    lastData[i] = clock.ElapsedMilliseconds;
                }
                else if (r == 0 || Libc.Errno is not (Libc.EAgain or Libc.EIntr))
                {
                    // End of stream or a socket error: nothing more will arrive; stop polling it (it still counts as
                    // reading until its quiet time is over, so the sequential order is kept).
                    closed[i] = true;
                }
            }
        }
        var results = new ReceiverResult[fds.Length];
        for (int i = 0; i < fds.Length; i++) results[i] = new ReceiverResult(counts[i], Fnv1a.ToHex(hashes[i].Value));
        return results;
    }
}
