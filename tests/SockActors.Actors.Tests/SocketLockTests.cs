using Akka.TestKit.Xunit2;
using SockActors.Actors.Client;
using SockActors.Actors.Protocol;
using SockActors.Model;
using SockActors.Model.Net;
using SockActors.Model.Scenarios;

namespace SockActors.Actors.Tests;

/// <summary>
/// The socket lock as the kernel releases it, under the seeded interleaving of deterministic mode: a receive runs
/// while a send of the same socket sleeps for memory; two senders on one socket interleave only where one of them
/// sleeps (a sendmsg keeps the lock from its start until it sleeps or returns), keep their own order, and lose nothing;
/// the seed picks the interleaving and replays it.
/// </summary>
public sealed class SocketLockTests() : TestKit(TestConfig.Create("sockactors.trace-calls = on"))
{
    private const int Small = 16 * 1024;

    [Fact]
    public async Task A_receive_overtakes_a_send_that_sleeps_on_the_same_socket()
    {
        for (long seed = 1; seed <= 10; seed++)
        {
            var host = await SimulatedHost.CreateAsync(Sys, interleavingSeed: seed);
            var (c1, p1) = await host.ConnectPairAsync("c1", "p1");
            Assert.Equal(0, await host.SetSockOptAsync(c1, SockOption.SndBuf, Small));
            Assert.Equal(0, await host.SetSockOptAsync(p1, SockOption.RcvBuf, Small));
            Assert.Equal(0, await host.SetSockOptAsync(c1, SockOption.SndTimeoNs, 0));
            // p1 has sent c1 something to read.
            var hello = host.SendMsgAsync(p1, "hello"u8.ToArray(), thread: 3);

            // Thread 1 sends far more than c1's buffer and p1's window hold: it sleeps. Thread 2 reads c1 meanwhile.
            var big = new byte[8 * Small];
            var send = host.SendMsgAsync(c1, big, thread: 1);
            var recv = host.RecvAsync(c1, 100, blocking: true, thread: 2);
            await host.RunScheduledAsync();

            Assert.Equal(5, await hello);
            var r = await recv;
            Assert.Equal("hello"u8.ToArray(), r.Data);
            Assert.False(send.IsCompleted, $"seed {seed}: the big send should still sleep");
            Assert.Equal(1, (await host.SockStatsAsync(c1)).WaitingSends);

            // The peer reads: the send wakes and completes with every byte.
            long read = 0;
            while (!send.IsCompleted) read += (await host.DrainAsync(p1)).Bytes;
            read += (await host.DrainAsync(p1)).Bytes;
            Assert.Equal(big.Length, await send);
            Assert.Equal(big.Length, read);
        }
    }

    /// <summary>Byte k of sender j's stream: the sender in the top bit, k mod 128 below.</summary>
    private static byte[] Bytes(int sender, long from, int len)
    {
        var b = new byte[len];
        for (int i = 0; i < len; i++) b[i] = (byte)((sender << 7) | (int)((from + i) & 127));
        return b;
    }

    private sealed record TwoSenders(string[] Trace, byte[] Stream, int[] Rcs);

    private async Task<TwoSenders> RunTwoSenders(long seed, int sndbuf)
    {
        var host = await SimulatedHost.CreateAsync(Sys, interleavingSeed: seed);
        var (c1, p1) = await host.ConnectPairAsync("c1", "p1");
        Assert.Equal(0, await host.SetSockOptAsync(c1, SockOption.SndBuf, sndbuf));
        Assert.Equal(0, await host.SetSockOptAsync(p1, SockOption.RcvBuf, Small));
        var sends = new List<(int Sender, Task<int> Rc, int Len)>();
        var offsets = new long[2];
        for (int k = 0; k < 4; k++)
            for (int j = 0; j < 2; j++)
            {
                var data = Bytes(j, offsets[j], 3 * Small + 1000 * (k + j));
                offsets[j] += data.Length;
                sends.Add((j, host.SendMsgAsync(c1, data, thread: j + 1), data.Length));
            }
        await host.RunScheduledAsync();
        var stream = new List<byte>();
        while (!sends.All(s => s.Rc.IsCompleted))
        {
            var r = await host.RecvAsync(p1, 65536);
            if (r.Rc > 0) stream.AddRange(r.Data);
        }
        while (true)
        {
            var r = await host.RecvAsync(p1, 65536);
            if (r.Rc <= 0) break;
            stream.AddRange(r.Data);
        }
        var rcs = new int[sends.Count];
        for (int i = 0; i < sends.Count; i++) rcs[i] = await sends[i].Rc;
        for (int i = 0; i < sends.Count; i++) Assert.Equal(sends[i].Len, rcs[i]);
        // Each sender's bytes arrive whole and in order; nothing else arrives.
        for (int j = 0; j < 2; j++)
        {
            var mine = stream.Where(b => b >> 7 == j).ToArray();
            Assert.Equal(offsets[j], mine.Length);
            Assert.True(mine.SequenceEqual(Bytes(j, 0, mine.Length)), $"seed {seed}: sender {j}'s bytes are out of order");
        }
        return new TwoSenders(await host.TraceAsync(), stream.ToArray(), rcs);
    }

    /// <summary>Runs of one sender's bytes in the merged stream.</summary>
    private static int Runs(byte[] stream)
    {
        int runs = 0;
        for (int i = 0; i < stream.Length; i++)
            if (i == 0 || stream[i] >> 7 != stream[i - 1] >> 7) runs++;
        return runs;
    }

    [Fact]
    public async Task Two_senders_on_one_socket_interleave_only_where_one_sleeps_and_keep_their_order()
    {
        // Buffers larger than everything sent: no send sleeps, so each sendmsg holds the lock from start to return and
        // its bytes are one run in the stream (8 sends, at most 8 runs), whatever the seed.
        for (long seed = 1; seed <= 5; seed++)
            Assert.True(Runs((await RunTwoSenders(seed, 4 << 20)).Stream) <= 8);

        // Small buffers: sends sleep in sk_stream_wait_memory, the other sender takes the lock, and one sendmsg's bytes
        // are split around the other's; the seed decides how.
        var streams = new HashSet<string>();
        int maxRuns = 0;
        for (long seed = 1; seed <= 8; seed++)
        {
            var run = await RunTwoSenders(seed, Small);
            maxRuns = Math.Max(maxRuns, Runs(run.Stream));
            streams.Add(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(run.Stream)));
        }
        Assert.True(maxRuns > 8, $"sleeping senders never interleaved within a sendmsg (at most {maxRuns} runs)");
        Assert.True(streams.Count > 1, "the seed does not change how two senders on one socket interleave");
    }

    [Fact]
    public async Task The_same_seed_replays_the_same_interleaving_of_two_senders_on_one_socket()
    {
        var a = await RunTwoSenders(7, Small);
        var b = await RunTwoSenders(7, Small);
        Assert.Equal(a.Stream, b.Stream);
        // The calls that did something, in order (the reader's empty polls depend on when the test's awaits resume).
        static IEnumerable<string> Calls(string[] trace) => trace.Where(l => !l.StartsWith("trace:") && !l.EndsWith("Recv -> -11")).Select(l => l.Split(' ', 3)[2]);
        Assert.Equal(Calls(a.Trace), Calls(b.Trace));
    }
}
