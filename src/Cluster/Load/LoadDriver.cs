using System.Diagnostics;
using SockActors.Actors.Protocol;
using SockActors.Model.Scenarios;

namespace SockActors.Cluster.Load;

/// <summary>A moment of a run, for live progress.</summary>
public sealed record LoadProgress(string Phase, double Seconds, long Sends, int HostsRestarted);

/// <summary>
/// Runs the sidecar workload on hosts host-1 .. host-H through <see cref="IHostCalls"/>: sets up every host's topology
/// (<see cref="SidecarHost"/>), creates the idle sockets (measuring the heap around them), drives every flow from its
/// own task until the duration is over, then counts where every accepted byte is. A host that answers "no such socket"
/// after a failed call was made again by sharding after its node was lost: its old flows are retired (what they
/// accepted and had not delivered is lost with the crash) and its topology is set up afresh.
/// </summary>
public sealed class LoadDriver(IHostCalls hosts, LoadOptions options, Func<CancellationToken, Task<long>>? measureHeap = null,
    Action<LoadProgress>? progress = null)
{
    /// <summary>Where each host is at the end of the run (host id -> node), to count the sends that crossed nodes; null
    /// on one node.</summary>
    public Func<IReadOnlyCollection<string>, CancellationToken, Task<IReadOnlyDictionary<string, string>>>? Placement { get; init; }

    private readonly List<long> _latencyTicks = new();
    private long _sends;
    private long _crossSends;
    private long _unanswered;
    private int _restarted;
    private int _reconnected;

    /// <summary>Sends counted so far (for progress).</summary>
    public long Sends => Interlocked.Read(ref _sends);

    public async Task<LoadResult> RunAsync(int nodes, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        void Report(string phase) => progress?.Invoke(new LoadProgress(phase, clock.Elapsed.TotalSeconds, Sends, Volatile.Read(ref _restarted)));

        Report("setting up hosts");
        var rigs = new HostRig[options.Hosts];
        await ForEachAsync(Enumerable.Range(1, options.Hosts), 8, async n =>
        {
            string id = HostId.Of(n);
            rigs[n - 1] = new HostRig(id, await SidecarHost.SetUpAsync(hosts, id, options, ct));
        }, ct);

        Report("creating idle sockets");
        long heapBefore = measureHeap is null ? 0 : await measureHeap(ct);
        int idlePairs = (options.Sockets - options.Hosts * LoadOptions.ActiveSocketsPerHost) / 2;
        await ForEachAsync(Enumerable.Range(0, idlePairs), 256,
            i => hosts.AskAsync<Connected>(HostId.Of(i % options.Hosts + 1), new Connect(0, null, null), options.CallTimeout, ct), ct);
        long heapAfter = measureHeap is null ? 0 : await measureHeap(ct);

        Report("traffic");
        var traffic = Stopwatch.StartNew();
        using var ticker = progress is null ? null : new Timer(_ => Report("traffic"), null, 500, 500);
        var until = options.Duration;
        await Task.WhenAll(rigs.SelectMany(rig => Enumerable.Range(0, rig.Flows.Length).Select(i => Task.Run(() => DriveAsync(rig, i, traffic, until, ct), ct))));
        double seconds = traffic.Elapsed.TotalSeconds;

        Report("accounting");
        long delivered = 0, corked = 0, purged = 0, accepted = 0, lost = 0, mismatches = 0;
        foreach (var rig in rigs)
        {
            foreach (var f in rig.Retired)
            {
                if (f.CrossesHosts && !f.Done)
                {
                    try
                    {
                        if (f.Kind == FlowKind.Checked) await ReadCheckedAsync(f, ct);
                        else f.Delivered += (await ReaderAsync<Drained>(f, new Drain(f.Reader, 0, NoChecksum: true), ct)).Bytes;
                    }
                    catch (Exception e) when (e is TimeoutException or InvalidOperationException or ConnectionLost)
                    {
                        // The reader's host was lost too: what it held is lost with it.
                    }
                }
                accepted += f.Accepted;
                delivered += f.Delivered;
                lost += f.Accepted - f.Delivered;
                mismatches += f.Mismatches;
            }
            foreach (var f in rig.Flows)
            {
                try
                {
                    await FinishAsync(f, ct);
                }
                catch (Exception e) when (e is TimeoutException or InvalidOperationException or ConnectionLost)
                {
                    // A host lost at the very end: what it held is lost with it.
                    f.Done = true;
                }
                if (f.Done)
                {
                    accepted += f.Accepted;
                    delivered += f.Delivered;
                    lost += f.Accepted - f.Delivered;
                    mismatches += f.Mismatches;
                    continue;
                }
                accepted += f.Accepted;
                delivered += f.Delivered;
                corked += f.Corked;
                purged += f.Purged;
                mismatches += f.Mismatches;
            }
        }
        long crossNode = 0;
        if (Placement is not null)
        {
            var where = await Placement(rigs.Select(r => r.HostId).ToArray(), ct);
            foreach (var f in rigs.SelectMany(r => r.Flows.Concat(r.Retired)).Where(f => f.CrossesHosts))
                if (where.TryGetValue(f.HostId, out var a) && where.TryGetValue(f.ReaderHost, out var b) && a != b) crossNode += f.Sends;
        }
        long[] lat;
        lock (_latencyTicks) lat = _latencyTicks.Order().ToArray();
        return new LoadResult
        {
            Nodes = nodes,
            Hosts = options.Hosts,
            Sockets = options.Sockets,
            Sends = Sends,
            CrossHostSends = Interlocked.Read(ref _crossSends),
            CrossNodeSends = crossNode,
            ConnectionsReset = _reconnected,
            Seconds = seconds,
            P50Us = Percentile(lat, 0.50),
            P99Us = Percentile(lat, 0.99),
            Accepted = accepted,
            Delivered = delivered,
            Dropped = 0,
            Corked = corked,
            Purged = purged,
            LostInCrash = lost,
            Mismatches = mismatches,
            Unanswered = Interlocked.Read(ref _unanswered),
            HostsRestarted = _restarted,
            HeapBytesPerSocket = measureHeap is null || idlePairs == 0 ? 0 : Math.Max(0, heapAfter - heapBefore) / (2.0 * idlePairs),
        };
    }

    private static double Percentile(long[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))] * 1e6 / Stopwatch.Frequency;

    /// <summary>The flows of one host's current incarnation, and those of incarnations lost with their node.</summary>
    private sealed class HostRig(string hostId, Flow[] flows)
    {
        public string HostId { get; } = hostId;
        public Flow[] Flows { get; set; } = flows;
        public int Incarnation { get; set; }
        public List<Flow> Retired { get; } = new();
        public SemaphoreSlim Gate { get; } = new(1, 1);
    }

    private async Task DriveAsync(HostRig rig, int index, Stopwatch traffic, TimeSpan until, CancellationToken ct)
    {
        while (traffic.Elapsed < until && !ct.IsCancellationRequested)
        {
            int incarnation = rig.Incarnation;
            var flow = rig.Flows[index];
            if (flow.Done)
            {
                await Task.Delay(100, ct);
                continue;
            }
            try
            {
                await RoundAsync(flow, () => traffic.Elapsed >= until, ct);
            }
            catch (ConnectionLost lost) when (!ct.IsCancellationRequested)
            {
                await ReconnectAsync(rig, index, lost.Flow, traffic, until, ct);
            }
            catch (Exception e) when (e is TimeoutException or InvalidOperationException && !ct.IsCancellationRequested)
            {
                // Which end is gone? A host that no longer has its socket was made again after its node was lost; one
                // that does not answer is still moving (the next round asks again); if both ends still have their
                // sockets, a reply was lost and its bytes cannot be accounted for.
                var senderEnd = await ProbeAsync(flow.HostId, flow.Sender, ct);
                var readerEnd = senderEnd != End.Gone && flow.CrossesHosts ? await ProbeAsync(flow.ReaderHost, flow.Reader, ct) : End.Has;
                if (senderEnd == End.Gone) await RecoverAsync(rig, incarnation, flow, traffic, until, ct);
                else if (readerEnd == End.Gone) await ReconnectAsync(rig, index, flow, traffic, until, ct);
                else if (senderEnd == End.Has && readerEnd == End.Has && e is TimeoutException) Interlocked.Increment(ref _unanswered);
            }
        }
    }

    /// <summary>One send (a batch, or one checked sendmsg) and its read. A flow whose reader is closed at the end leaves
    /// its last batch unread when the run ended meanwhile, so that the close has bytes to purge.</summary>
    private async Task RoundAsync(Flow f, Func<bool> ended, CancellationToken ct)
    {
        var t = options.CallTimeout;
        if (f.Kind == FlowKind.Checked)
        {
            var data = new byte[options.CheckedSize];
            StreamPattern.Fill(data, f.Accepted);
            long start = Stopwatch.GetTimestamp();
            var r = await hosts.AskAsync<SendResult>(f.HostId, new SendMsg(f.Sender, data, 0), t, ct);
            long took = Stopwatch.GetTimestamp() - start;
            lock (_latencyTicks) _latencyTicks.Add(took);
            if (r.Rc < 0 && f.CrossesHosts) throw new ConnectionLost(f, r.Rc);
            if (r.Rc > 0) f.Accepted += r.Rc;
            Counted(f, 1);
            await ReadCheckedAsync(f, ct);
        }
        else
        {
            var r = await hosts.AskAsync<SendBatchResult>(f.HostId, new SendMsgBatch(f.Sender, options.Batch, options.Size, 0), t, ct);
            f.Accepted += r.Bytes;
            Counted(f, r.Calls);
            if (r.LastRc < 0 && f.CrossesHosts) throw new ConnectionLost(f, r.LastRc);
            if (f.CloseReaderAtEnd && ended()) return;
            f.Delivered += (await ReaderAsync<Drained>(f, new Drain(f.Reader, 0, NoChecksum: true), ct)).Bytes;
        }
    }

    private void Counted(Flow f, long sends)
    {
        f.Sends += sends;
        Interlocked.Add(ref _sends, sends);
        if (f.CrossesHosts) Interlocked.Add(ref _crossSends, sends);
    }

    /// <summary>A request to a flow's reading socket. On another host, a host that no longer knows the socket was made
    /// again after its node was lost: the connection is gone (<see cref="ConnectionLost"/>).</summary>
    private async Task<T> ReaderAsync<T>(Flow f, ISockActorsRequest request, CancellationToken ct)
    {
        try
        {
            return await hosts.AskAsync<T>(f.ReaderHost, request, options.CallTimeout, ct);
        }
        catch (InvalidOperationException) when (f.CrossesHosts)
        {
            throw new ConnectionLost(f, 0);
        }
    }

    /// <summary>A connection between hosts ended under a flow: the sender got ECONNRESET / EPIPE, or the reader's host
    /// no longer has the socket.</summary>
    private sealed class ConnectionLost(Flow flow, long rc) : Exception($"{flow.HostId} -> {flow.ReaderHost}: connection lost ({rc})")
    {
        public Flow Flow { get; } = flow;
    }

    /// <summary>recvmsg until -EAGAIN, every byte compared with the stream pattern at its offset.</summary>
    private async Task ReadCheckedAsync(Flow f, CancellationToken ct)
    {
        var expected = new byte[65536];
        while (true)
        {
            var r = await ReaderAsync<RecvResult>(f, new Recv(f.Reader, 65536, false), ct);
            if (r.Rc <= 0) return;
            StreamPattern.Fill(expected.AsSpan(0, r.Rc), f.Delivered);
            for (int i = 0; i < r.Rc; i++)
                if (r.Data[i] != expected[i]) f.Mismatches++;
            f.Delivered += r.Rc;
        }
    }

    private enum End
    {
        Has,
        Gone,
        NoAnswer,
    }

    /// <summary>Whether <paramref name="hostId"/> still has socket <paramref name="sockId"/>, no longer has it (a new
    /// incarnation of the host), or does not answer.</summary>
    private async Task<End> ProbeAsync(string hostId, int sockId, CancellationToken ct)
    {
        try
        {
            await hosts.AskAsync<SockStats>(hostId, new GetSockStats(sockId), options.CallTimeout, ct);
            return End.Has;
        }
        catch (InvalidOperationException)
        {
            return End.Gone;
        }
        catch (TimeoutException)
        {
            return End.NoAnswer;
        }
    }

    /// <summary>A connection to another host ended because a host at one end was lost: the flow is retired (what its
    /// reader had not read is lost with the crash) and the connection made again, to the far host's new incarnation,
    /// as an application reconnects after ECONNRESET.</summary>
    private async Task ReconnectAsync(HostRig rig, int index, Flow old, Stopwatch traffic, TimeSpan until, CancellationToken ct)
    {
        await rig.Gate.WaitAsync(ct);
        try
        {
            if (!ReferenceEquals(rig.Flows[index], old)) return;
            rig.Retired.Add(old);
            Interlocked.Increment(ref _reconnected);
            while (traffic.Elapsed < until && !ct.IsCancellationRequested)
            {
                try
                {
                    rig.Flows[index] = await SidecarHost.WireAsync(hosts, old.HostId, old.ReaderHost, old.Kind, old.WireSpec!, options.CallTimeout, ct);
                    return;
                }
                catch (Exception e) when (e is TimeoutException or InvalidOperationException)
                {
                    await Task.Delay(100, ct);
                }
            }
            // The run ended before the far host was back: the flow stays retired, with nothing more to count.
            rig.Flows[index] = new Flow(old.HostId, old.Kind, old.Sender, old.Reader, false, old.ReaderHost) { WireSpec = old.WireSpec, Done = true };
        }
        finally
        {
            rig.Gate.Release();
        }
    }

    /// <summary>After a failed call: a host that no longer knows the flow's socket is a new incarnation (its node was
    /// lost and sharding made it again): retire its flows and set up the topology again. A host that still knows the
    /// socket lost a reply, which leaves bytes unaccounted for. A host that does not answer is waited for.</summary>
    private async Task RecoverAsync(HostRig rig, int incarnation, Flow failed, Stopwatch traffic, TimeSpan until, CancellationToken ct)
    {
        await rig.Gate.WaitAsync(ct);
        try
        {
            if (rig.Incarnation != incarnation) return;
            while (traffic.Elapsed < until + options.CallTimeout && !ct.IsCancellationRequested)
            {
                try
                {
                    await hosts.AskAsync<SockStats>(rig.HostId, new GetSockStats(failed.Sender), options.CallTimeout, ct);
                    Interlocked.Increment(ref _unanswered);
                    return;
                }
                catch (InvalidOperationException)
                {
                    // The sender's host was made again: its flows end (what a reader on a living host still holds is
                    // read at the end of the run, when no flow's task touches it any more).
                    rig.Retired.AddRange(rig.Flows);
                    rig.Flows = await SidecarHost.SetUpAsync(hosts, rig.HostId, options, ct);
                    rig.Incarnation++;
                    Interlocked.Increment(ref _restarted);
                    return;
                }
                catch (TimeoutException)
                {
                    // The host's shard is still moving; ask again.
                }
            }
        }
        finally
        {
            rig.Gate.Release();
        }
    }

    /// <summary>The end of a flow: what its sender still corks, then its reader drained (or closed unread: purged). Over
    /// the wire the last segments may still be on their way: the reader is read until every byte the sender does not
    /// cork has arrived, for at most the call timeout.</summary>
    private async Task FinishAsync(Flow f, CancellationToken ct)
    {
        if (f.Done) return;
        var t = options.CallTimeout;
        f.Corked = (await hosts.AskAsync<SockStats>(f.HostId, new GetSockStats(f.Sender), t, ct)).CorkedBytes;
        if (f.CloseReaderAtEnd)
        {
            f.Purged = (await hosts.AskAsync<SocketClosed>(f.ReaderHost, new Close(f.Reader), t, ct)).PurgedBytes;
            return;
        }
        var deadline = Stopwatch.StartNew();
        do
        {
            if (f.Kind == FlowKind.Checked) await ReadCheckedAsync(f, ct);
            else f.Delivered += (await ReaderAsync<Drained>(f, new Drain(f.Reader, 0, NoChecksum: true), ct)).Bytes;
            if (!f.CrossesHosts || f.Delivered + f.Corked >= f.Accepted) return;
            await Task.Delay(20, ct);
        }
        while (deadline.Elapsed < t);
    }

    private static async Task ForEachAsync<T>(IEnumerable<T> items, int parallel, Func<T, Task> body, CancellationToken ct)
    {
        using var gate = new SemaphoreSlim(parallel);
        var running = new List<Task>();
        foreach (var item in items)
        {
            await gate.WaitAsync(ct);
            running.Add(Run(item));
            if (running.Count >= 4 * parallel)
            {
                await Task.WhenAll(running.Where(t => t.IsCompleted));
                running.RemoveAll(t => t.IsCompleted);
            }
        }
        await Task.WhenAll(running);

        async Task Run(T item)
        {
            try
            {
                await body(item);
            }
            finally
            {
                gate.Release();
            }
        }
    }
}
