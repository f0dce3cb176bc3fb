using SockActors.Model.Kernel;
using SockActors.Model.Maps;
using SockActors.Model.Net;

namespace SockActors.Model.Scenarios;

/// <summary>
/// Runs a conformance scenario on the sequential model engine, in the contract's fixed topology: loopback pairs
/// c1&lt;-&gt;p1 and c2&lt;-&gt;p2, one SOCKMAP with c1 at key 0 and p2 at key 1, the program attached before the sockets
/// are inserted, c1 the only sender (blocking, TCP_NODELAY, SO_SNDTIMEO 1 s); after the last send p1, c2 and p2
/// are read until empty, then everything closes.
/// </summary>
public static class ScenarioRunner
{
    /// <summary>SO_SNDTIMEO of c1 in the contract.</summary>
    public const long SendTimeoutNs = 1_000_000_000;

    /// <summary>Runs <paramref name="scenario"/> with the C# scenario program (or <paramref name="program"/>) on the
    /// given profile (default linux-6.18) and returns the contract's result.</summary>
    public static ScenarioResult Run(Scenario scenario, IScenarioProgramFactory? program = null, KernelProfile? profile = null)
    {
        var topo = ScenarioTopology.Build(scenario, program ?? ScenarioProgramFactory.Instance, new SimKernel(profile));
        try
        {
            return topo.RunToEnd();
        }
        finally
        {
            topo.Close();
        }
    }
}

/// <summary>The contract's topology, built on one kernel; the sequential engine and the actor runtime both drive it.</summary>
public sealed class ScenarioTopology
{
    private readonly Scenario _scenario;
    private readonly byte[] _stream;
    private readonly List<SendOutcome> _sends = new();
    private long _offset;
    private byte[] _sendBuffer = [];

    private ScenarioTopology(Scenario scenario, SimKernel kernel, IScenarioProgram program, Sock c1, Sock p1, Sock c2, Sock p2)
    {
        _scenario = scenario;
        Kernel = kernel;
        Program = program;
        C1 = c1; P1 = p1; C2 = c2; P2 = p2;
        // sendfile's file holds the pattern for the scenario's total length, as the kernel harness writes it.
        _stream = new byte[scenario.TotalBytes];
        StreamPattern.Fill(_stream, 0);
    }

    /// <summary>The kernel the topology is built on.</summary>
    public SimKernel Kernel { get; }
    /// <summary>The scenario program, attached to its sock_map.</summary>
    public IScenarioProgram Program { get; }
    /// <summary>The sender (sock_map key 0; SO_SNDTIMEO of the contract, TCP_NODELAY).</summary>
    public Sock C1 { get; }
    /// <summary>c1's peer: receives what passes.</summary>
    public Sock P1 { get; }
    /// <summary>p2's peer: receives egress redirects.</summary>
    public Sock C2 { get; }
    /// <summary>The redirect target (sock_map key 1).</summary>
    public Sock P2 { get; }

    /// <summary>Two connected pairs (c1-p1, c2-p2) on <paramref name="kernel"/>, a fresh program from
    /// <paramref name="factory"/> attached and configured, c1 and p2 in its sock_map. Throws
    /// <see cref="InvalidOperationException"/> when the program's map is not a socket map or the kernel refuses a step.</summary>
    public static ScenarioTopology Build(Scenario scenario, IScenarioProgramFactory factory, SimKernel kernel)
    {
        if (scenario.UsesReceiveHalf) return BuildWithReceiveHalf(scenario, factory, kernel);
        var (c1, p1) = kernel.Connect(kernel.Listen("s1"), "c1", "p1");
        var (c2, p2) = kernel.Connect(kernel.Listen("s2"), "c2", "p2");
        var program = factory.Create();
        var map = SockMapOf(program);
        Check(map.Attach(SockAttachType.SkMsgVerdict, program.Program), "attach the program");
        program.Configure(scenario.Program);
        Check(Insert(map, 0, c1), "insert c1 at key 0");
        Check(Insert(map, 1, p2), "insert p2 at key 1");
        c1.NoDelay = true;
        c1.SndTimeoNs = ScenarioRunner.SendTimeoutNs;
        return new ScenarioTopology(scenario, kernel, program, c1, p1, c2, p2);
    }

    /// <summary>
    /// The topology of a receive-half scenario (conformance/CONTRACT.md, "The receive half"), in the kernel driver's
    /// order: the SK_MSG program attached and configured; the SK_SKB parser and verdict attached to the same map; with
    /// "sockops", the SOCK_OPS program attached to a cgroup that the sockets are created in (the listeners first, so
    /// the program knows their ports), which inserts c1, p2 and p1 as their connections establish; without it the
    /// harness inserts c1 at 0, p2 at 1 and p1 at 2 after connecting.
    /// </summary>
    private static ScenarioTopology BuildWithReceiveHalf(Scenario scenario, IScenarioProgramFactory factory, SimKernel kernel)
    {
        var program = factory.Create();
        var map = SockMapOf(program);
        var rx = program.ReceiveHalf ?? throw new InvalidOperationException(
            $"{factory.Description} brings no SK_SKB / SOCK_OPS programs; scenarios with \"skb\" or \"sockops\" need the C# scenario programs");
        if (map is not SockMap sockMap) throw new InvalidOperationException("the receive half needs the scenario program's sock_map to be a SOCKMAP");
        Check(map.Attach(SockAttachType.SkMsgVerdict, program.Program), "attach the program");
        program.Configure(scenario.Program);
        var skb = scenario.Skb;
        if (skb is not null)
        {
            if (scenario.BouncesForEver)
                throw new InvalidOperationException($"{scenario.Name}: the skb redirect to the egress of key {skb.RedirectKey} sends bytes round the two halves for ever");
            if (skb.Parser != SkbParserKind.None) Check(map.Attach(SockAttachType.SkSkbStreamParser, rx.Parser), "attach the stream parser");
            if (skb.Verdict != SkbVerdictKind.None)
                Check(map.Attach(skb.SkbVerdict ? SockAttachType.SkSkbVerdict : SockAttachType.SkSkbStreamVerdict, rx.Verdict), "attach the skb verdict");
        }
        uint p1Key = skb is null ? ReceiveHalfPrograms.NoKey : ReceiveHalfSpec.P1Key;
        if (scenario.SockOps)
        {
            var cgroup = new SockOps.Cgroup("/sockactors-scenario");
            Check(cgroup.AttachSockOps(rx.SockOps), "attach the SOCK_OPS program to the cgroup");
            kernel.CurrentCgroup = cgroup;
        }
        Sock c1, p1, c2, p2;
        try
        {
            var s1 = kernel.Listen("s1");
            var s2 = kernel.Listen("s2");
            uint[] opsKeys = scenario.SockOps ? [0, p1Key, ReceiveHalfPrograms.NoKey, 1] : [.. Enumerable.Repeat(ReceiveHalfPrograms.NoKey, 4)];
            rx.Configure(skb ?? new ReceiveHalfSpec(), s1.LocalPort, s2.LocalPort, opsKeys);
            (c1, p1) = kernel.Connect(s1, "c1", "p1");
            (c2, p2) = kernel.Connect(s2, "c2", "p2");
        }
        finally
        {
            kernel.CurrentCgroup = null;
        }
        if (!scenario.SockOps)
        {
            Check(sockMap.Update(0, c1), "insert c1 at key 0");
            Check(sockMap.Update(1, p2), "insert p2 at key 1");
            if (skb is not null) Check(sockMap.Update(ReceiveHalfSpec.P1Key, p1), "insert p1 at key 2");
        }
        c1.NoDelay = true;
        c1.SndTimeoNs = ScenarioRunner.SendTimeoutNs;
        return new ScenarioTopology(scenario, kernel, program, c1, p1, c2, p2);
    }

    private static SockMapBase SockMapOf(IScenarioProgram program) => program.SockMap as SockMapBase
        ?? throw new InvalidOperationException($"the scenario program's sock_map is a {program.SockMap.Type}, not a SOCKMAP or SOCKHASH");

    private static long Insert(SockMapBase map, uint key, Sock sk) => map switch
    {
        SockMap m => m.Update(key, sk),
        SockHash h => h.Update(BitConverter.GetBytes(key), sk),
        _ => -Errno.EINVAL,
    };

    private static void Check(long rc, string what)
    {
        if (rc != 0) throw new InvalidOperationException($"scenario setup failed to {what}: {rc} ({Errno.Name((int)rc)})");
    }

    /// <summary>The next send of the scenario as c1 would make it: its length and, for sendmsg, its bytes.</summary>
    public int SendCount => _scenario.Sends.Count;

    /// <summary>Performs send <paramref name="index"/> (sendmsg or sendfile), records its return code and advances the stream.</summary>
    public async ValueTask<int> SendAsync(int index)
    {
        int len = _scenario.Sends[index];
        int rc;
        if (_scenario.Mode == SendMode.SendMsg)
        {
            // The stream can run ahead of the bytes handed over: a DROP after a push makes sendmsg return more than
            // it was given (copied -= tosend + delta with a negative delta), and the contract advances by the return.
            if (_sendBuffer.Length < len) _sendBuffer = new byte[len];
            StreamPattern.Fill(_sendBuffer.AsSpan(0, len), _offset);
            rc = await C1.SendMsgAsync(_sendBuffer.AsMemory(0, len));
        }
        else
            rc = (int)await C1.SendFileAsync(_stream, _offset, len);
        _sends.Add(new SendOutcome(len, rc));
        // The contract: after r > 0 the stream advances by r; after a failure (r < 0) by the send's length. A send that
        // returned 0 (sendmsg while corked, when the copy cursor had no room) accepted nothing, so the stream does not
        // advance and the next send repeats its bytes, as the live-kernel driver does (Kernel/StreamSender.SendAll);
        // observed: apply 1 / cork 2 with eight 1-byte sends delivers stream bytes 0, 1, 2, 3 (family 4 of issue 11).
        _offset += StreamAdvance(len, rc);
        return rc;
    }

    /// <summary>How far c1's stream moves after a send of <paramref name="len"/> that returned <paramref name="rc"/>
    /// (see <see cref="SendAsync"/>): every engine that drives the contract advances by this one rule.</summary>
    public static long StreamAdvance(int len, int rc) => rc > 0 ? rc : rc < 0 ? len : 0;

    /// <summary>Reads a receiver until it has nothing more (the harness's "quiet for 200 ms").</summary>
    public static ReceiverResult Drain(Sock sk)
    {
        var fnv = new Fnv1a();
        long total = DrainInto(sk, ref fnv);
        return new ReceiverResult(total, Fnv1a.ToHex(fnv.Value));
    }

    /// <summary>Reads <paramref name="sk"/> until it has nothing more, hashing into <paramref name="fnv"/>; returns the bytes read.</summary>
    private static long DrainInto(Sock sk, ref Fnv1a fnv)
    {
        var buf = new byte[65536];
        long total = 0;
        while (true)
        {
            int n = sk.Recv(buf);
            if (n <= 0) break;
            fnv.Append(buf.AsSpan(0, n));
            total += n;
        }
        return total;
    }

    /// <summary>The harness's read window: a receiver is read until it has been quiet this long.</summary>
    public const long QuietNs = 200_000_000;

    /// <summary>
    /// Reads the receivers one after the other as the harness does, each until quiet for 200 ms of virtual time, and
    /// the program's trace. Data that TCP held back with MSG_MORE leaves on the 200 ms probe timer: too late for p1,
    /// which is read first, in time for c2 and p2 (observed).
    /// </summary>
    public ScenarioResult Collect()
    {
        var (runs, total) = Program.ReadTrace();
        var p1Hash = new Fnv1a();
        long p1Bytes = DrainInto(P1, ref p1Hash);
        if (_scenario.UsesReceiveHalf) p1Bytes += ReadWhileBacklogDelivers(P1, ref p1Hash, C1.ProbeDeadlineNs);
        var p1 = new ReceiverResult(p1Bytes, Fnv1a.ToHex(p1Hash.Value));
        bool held = C1.ProbeDeadlineNs >= 0;
        Kernel.AdvanceClock(QuietNs);
        // The probe timer has fired now: what it released is what p1 reads in the kernel runs where the timer beats
        // p1's read window (tcp_probe_timer -> tcp_write_wakeup against the harness's 200 ms quiet window).
        ReceiverResult? p1Late = null;
        if (held)
        {
            long late = DrainInto(P1, ref p1Hash);
            if (late > 0) p1Late = new ReceiverResult(p1Bytes + late, Fnv1a.ToHex(p1Hash.Value));
        }
        var c2 = DrainReceiver(C2);
        Kernel.AdvanceClock(QuietNs);
        var p2 = DrainReceiver(P2);
        Kernel.AdvanceClock(QuietNs);
        var result = new ScenarioResult
        {
            Sends = _sends.ToList(),
            P1 = p1,
            C2 = c2,
            P2 = p2,
            Runs = runs.Take(ScenarioResult.MaxRecordedRuns).ToList(),
            RunsTotal = total,
            P1IfHeldArrive = p1Late,
            Skb = _scenario.Skb is null ? null : Program.ReceiveHalf?.ReadSkbTrace(),
            SockOps = _scenario.SockOps ? Program.ReceiveHalf?.ReadSockOpsTrace() : null,
        };
        return KernelDefects.Annotate(_scenario, result, CorkedBytes);
    }

    /// <summary>c2 or p2 read as the harness does; in a receive-half scenario also while the psock backlog delivers.</summary>
    private ReceiverResult DrainReceiver(Sock sk)
    {
        var fnv = new Fnv1a();
        long n = DrainInto(sk, ref fnv);
        if (_scenario.UsesReceiveHalf) n += ReadWhileBacklogDelivers(sk, ref fnv, -1);
        return new ReceiverResult(n, Fnv1a.ToHex(fnv.Value));
    }

    /// <summary>
    /// The harness reads a receiver until it has been quiet for 200 ms; meanwhile a psock backlog that waited for the
    /// receiver's memory (sk_psock_backlog after -EAGAIN) retries every jiffy and delivers what the reads made room for.
    /// So the model keeps reading, a jiffy of virtual time at a time, until a quiet time has passed without data, and
    /// stops short of <paramref name="stopBeforeNs"/> (c1's probe timer, which the published read order keeps after p1's
    /// window; -1 for none).
    /// </summary>
    private long ReadWhileBacklogDelivers(Sock sk, ref Fnv1a fnv, long stopBeforeNs)
    {
        long total = 0, quietSince = Kernel.NowNs;
        while (Kernel.NowNs - quietSince < QuietNs)
        {
            if (stopBeforeNs >= 0 && Kernel.NowNs + SkSkb.SkPsockRx.JiffyNs >= stopBeforeNs) break;
            Kernel.AdvanceClock(SkSkb.SkPsockRx.JiffyNs);
            long n = DrainInto(sk, ref fnv);
            if (n > 0)
            {
                total += n;
                quietSince = Kernel.NowNs;
            }
        }
        return total;
    }

    /// <summary>Bytes c1's psock still holds in its cork message (psock->cork), which close will free unsent.</summary>
    public long CorkedBytes => C1.Psock?.Cork?.Size ?? 0;

    /// <summary>Runs every send in order on the sequential engine and collects the result.</summary>
    public ScenarioResult RunToEnd()
    {
        try
        {
            for (int i = 0; i < SendCount; i++)
            {
                var pending = SendAsync(i);
                if (!pending.IsCompleted)
                    throw new InvalidOperationException("a send did not complete synchronously on the sequential engine: simulator bug");
                pending.GetAwaiter().GetResult();
            }
        }
        catch (RunawayException e)
        {
            return KernelDefects.Annotate(_scenario, ScenarioResult.RunawayResult(e.Message));
        }
        return Collect();
    }

    /// <summary>Closes the four sockets.</summary>
    public void Close()
    {
        foreach (var s in new[] { C1, P1, C2, P2 }) s.Close();
    }
}
