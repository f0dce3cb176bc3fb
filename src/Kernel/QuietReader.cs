using System.Diagnostics;
using SockActors.Kernel.Native;
using SockActors.Model.Scenarios;

namespace SockActors.Kernel;

/// <summary>
/// Reads several sockets concurrently with poll until each has been quiet for the quiet time (contract: 200 ms), so a
/// scenario costs about one quiet time instead of one per receiver. Returns byte counts and FNV-1a checksums.
/// </summary>
internal static unsafe class QuietReader
{
    public static ReceiverResult[] ReadUntilQuiet(int[] fds, TimeSpan quiet)
    {
        var hashes = new Fnv1a[fds.Length];
        var counts = new long[fds.Length];
        var lastData = new long[fds.Length];
        var active = new bool[fds.Length];
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
            for (int i = 0; i < fds.Length; i++)
            {
                if (active[i] && now - lastData[i] >= quietMs) active[i] = false;
                if (!active[i]) continue;
                wait = Math.Min(wait, lastData[i] + quietMs - now);
                pfds[n++] = new Libc.PollFd { Fd = fds[i], Events = Libc.PollIn };
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
                    active[i] = false; // end of stream or a socket error: nothing more will arrive
                }
            }
        }
        var results = new ReceiverResult[fds.Length];
        for (int i = 0; i < fds.Length; i++) results[i] = new ReceiverResult(counts[i], Fnv1a.ToHex(hashes[i].Value));
        return results;
    }
}
