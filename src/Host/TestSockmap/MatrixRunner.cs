using System.Diagnostics;
using SockActors.Host.Explain;
using SockActors.Model;
using SockActors.Model.Kernel;
using SockActors.Model.Maps;
using SockActors.Model.Msg;
using SockActors.Model.Net;
using SockActors.Model.Programs;
using SockActors.Model.Scenarios;

namespace SockActors.Host.TestSockmap;

/// <summary>
/// Runs one matrix case on a fresh simulated kernel in test_sockmap's topology: loopback pairs c1&lt;-&gt;p1 and
/// c2&lt;-&gt;p2; sock_map_txmsg with the SK_MSG program attached before c1 is inserted at key 0 (and p1 at key 1 with
/// ingress); sock_map_redir with c2 at key 0 (c1 when not redirecting) and, with ingress, p1 at 1 and p2 at 2 (so p2
/// has a psock and reads its ingress_msg). Without the SK_SKB stage the receiver is where the SK_MSG path delivers: p1
/// for pass, p2 for a redirect (egress out of c2, or p2's ingress); with it (<see cref="TxMsgOptions.SkSkb"/>,
/// <see cref="SkbStage"/>) the sockets are created in the sockops cgroup and the receiver is p2, as in sockmap_user.
/// The receiver runs "concurrently": it reads after every send and whenever the sender waits for memory.
/// </summary>
public static class MatrixRunner
{
    /// <summary>test_sockmap's select() timeout: the receiver gives up after 3 s without data.</summary>
    private const long ReceiveTimeoutNs = 3_000_000_000;

    /// <summary>Steps of virtual time the final read waits in (TCP's 200 ms probe timer releases a MSG_MORE tail).</summary>
    private const long ReadStepNs = 200_000_000;

    /// <summary>Runs the case on the sequential model, or through the actor runtime when <paramref name="actors"/> is given;
    /// with <paramref name="explain"/> the result carries the case's picture (see <see cref="ExplainRecorder"/>).</summary>
    public static CaseResult Run(MatrixCase c, KernelProfile profile, long seed, SockDefaults defaults, Actors.Scenarios.ActorScenarioEngine? actors = null,
        bool explain = false)
    {
        var watch = Stopwatch.StartNew();
        var kernel = new SimKernel(profile, seed, defaults);
        var recorder = explain ? new ExplainRecorder(kernel) : null;
        var o = c.Options;
        var skbMap = o.SkSkb ? SkbStage.Install(kernel, o.SkbParserLength) : null;
        var (c1, p1) = kernel.Connect(kernel.Listen("s1", 10000), "c1", "p1");
        var (c2, p2) = kernel.Connect(kernel.Listen("s2", 10001), "c2", "p2");

        var txmsgMap = new SockMap("sock_map_txmsg", 20);
        var redirMap = new SockMap("sock_map_redir", 20);
        var program = new TxMsgProgram(o, redirMap, callsPushPop: profile.HasPushPop);
        Check(txmsgMap.Attach(SockAttachType.SkMsgVerdict, recorder?.Wrap(program) ?? program), "attach the SK_MSG program to sock_map_txmsg");
        Check(txmsgMap.Update(0, c1), "insert c1 into sock_map_txmsg[0]");
        if (o.Ingress) Check(txmsgMap.Update(1, p1), "insert p1 into sock_map_txmsg[1]");
        Check(redirMap.Update(0, o.Redirecting ? c2 : c1), "insert the redirect target into sock_map_redir[0]");
        if (o.Ingress)
        {
            Check(redirMap.Update(1, p1), "insert p1 into sock_map_redir[1]");
            Check(redirMap.Update(2, p2), "insert p2 into sock_map_redir[2]");
        }

        var receiver = o.SkSkb || o.Program != TxMsgProgramKind.Pass ? p2 : p1;
        recorder?.Track(c1, [c1, p1, c2, p2]);
        var verifier = new PatternVerifier(c.ChunkSize, (o.PushStart, o.PushLen), (o.PopStart, o.PopLen), profile.PushPopFixes613);
        IMatrixDriver driver = actors is null
            ? new ModelMatrixDriver(kernel)
            : ActorMatrixDriver.Adopt(actors, kernel, [c1, p1, c2, p2], skbMap is null ? [txmsgMap, redirMap] : [txmsgMap, redirMap, skbMap], [program]);
        var reader = new Reader(driver, receiver, [p1, c2, p2], c.VerifyData && c.Rule != BytesRule.Nothing ? verifier : null);

        int ok = 0, failed = 0;
        string? firstError = null, fault = null;
        try
        {
            byte[] buffer;
            if (c.Mode == SendMode.SendMsg)
            {
                // sendmsg: one iov_count × iov_length buffer, byte j = j mod 256 across the iovecs, sent `rate` times.
                buffer = new byte[c.ChunkSize];
                for (int j = 0; j < buffer.Length; j++) buffer[j] = (byte)j;
            }
            else
            {
                // sendpage: a file of `rate` blocks of iov_length bytes, each block 0, 1, 2, ... mod 256.
                buffer = new byte[(long)c.IovLength * c.Rate];
                for (int j = 0; j < buffer.Length; j++) buffer[j] = (byte)(j % c.IovLength);
            }
            long fileOffset = 0;
            for (int r = 0; r < c.Rate; r++)
            {
                long rc;
                if (c.Mode == SendMode.SendMsg)
                {
                    rc = driver.Call(c1, $"sendmsg {r}", async s => await s.SendMsgAsync(buffer, MsgFlags.NoSignal), reader.ReadAvailable);
                }
                else
                {
                    // sendfile(c1, fd, NULL, iov_length): the file position advances by what was sent.
                    long at = fileOffset;
                    rc = driver.Call(c1, $"sendfile {r}", s => s.SendFileAsync(buffer, at, c.IovLength), reader.ReadAvailable);
                    if (rc > 0) fileOffset += rc;
                }
                recorder?.SendDone(c.ChunkSize, rc);
                if (rc >= 0) ok++;
                else
                {
                    failed++;
                    firstError ??= $"send {r}: {Errno.Name((int)-rc)}";
                }
                reader.ReadAvailable();
            }
            recorder?.BeforeRead();
            // The receiver keeps reading until it has been quiet for its select() timeout.
            for (long waited = 0; waited < ReceiveTimeoutNs; waited += ReadStepNs)
            {
                driver.AdvanceClock(ReadStepNs);
                reader.ReadAvailable();
            }
        }
        catch (Exception e) when (e is RunawayException or SimulationDeadlockException or ProgramFaultException or BpfErrnoException)
        {
            fault = $"{e.GetType().Name}: {e.Message}";
        }
        finally
        {
            recorder?.BeforeClose();
            if (fault is null)
                foreach (var s in new[] { c1, p1, c2, p2 }) driver.Close(s);
            driver.Dispose();
        }

        var (passed, reason) = Judge(c, reader, verifier, ok, failed, firstError, fault);
        var result = new CaseResult(c, reader.Received, program.Runs, ok, failed, firstError, verifier.Errors, passed, reason, watch.Elapsed);
        return recorder is null ? result : result with { Picture = MatrixPicture(recorder, result, reader.ReceiverName, profile, fault) };
    }

    /// <summary>The case's picture: what its receiver read, the verdict, a fault as a warning.</summary>
    private static ExplainPicture MatrixPicture(ExplainRecorder recorder, CaseResult r, string receiver, KernelProfile profile, string? fault)
    {
        var c = r.Case;
        string input = $"{c.ModeName}, {c.Options}, rate {c.Rate} × iov {c.IovCount} × {c.IovLength} bytes; expected {c.Rule} {c.ExpectedBytes}" +
                       (c.Note is null ? "" : $" ({c.Note})");
        IReadOnlyList<ExplainWarning> warnings = fault is null ? [] : [new ExplainWarning("fault", fault)];
        return recorder.Finish(c.Name, "model", profile.Name, input, [(receiver, r.BytesReceived, null)], warnings,
            r.Passed ? "PASS" : $"FAIL: {r.Reason}");
    }

    private static (bool, string?) Judge(MatrixCase c, Reader reader, PatternVerifier verifier, int ok, int failed, string? firstError, string? fault)
    {
        if (fault is not null) return (false, fault);
        if (reader.Misdelivered > 0) return (false, $"{reader.Misdelivered} bytes arrived at a socket other than {reader.ReceiverName}");
        if (c.Rule == BytesRule.Nothing)
        {
            // Drop: the sender fails if any send returns >= 0.
            if (ok > 0) return (false, $"{ok} sends succeeded although the program drops");
            if (reader.Received > 0) return (false, $"{reader.Received} bytes arrived although the program drops");
            return (true, null);
        }
        if (failed > 0) return (false, $"{failed} sends failed ({firstError})");
        if (c.VerifyData && verifier.Errors > 0)
            return (false, $"data integrity: {verifier.Errors} bytes differ from the pattern, first at offset {verifier.FirstErrorAt} ({verifier.FirstErrorDetail})");
        return c.Rule switch
        {
            BytesRule.AtLeast when reader.Received < c.ExpectedBytes => (false, $"received {reader.Received} of {c.ExpectedBytes} bytes before the timeout"),
            BytesRule.Exact when reader.Received != (long)c.ExpectedBytes => (false, $"received {reader.Received} bytes, the kernel delivers {c.ExpectedBytes}"),
            _ => (true, null),
        };
    }

    private static void Check(long rc, string what)
    {
        if (rc != 0) throw new InvalidOperationException($"test setup failed to {what}: {Errno.Name((int)-rc)}");
    }

    /// <summary>The test's receiver process: reads every socket that could receive, counts and verifies.</summary>
    private sealed class Reader(IMatrixDriver driver, Sock receiver, Sock[] all, PatternVerifier? verifier)
    {
        private readonly byte[] _buf = new byte[64 * 1024];

        public string ReceiverName => receiver.Name;
        public long Received { get; private set; }
        public long Misdelivered { get; private set; }

        public void ReadAvailable()
        {
            foreach (var sk in all)
            {
                while (true)
                {
                    int n = driver.Recv(sk, _buf);
                    if (n <= 0) break;
                    if (ReferenceEquals(sk, receiver))
                    {
                        Received += n;
                        verifier?.Feed(_buf.AsSpan(0, n));
                    }
                    else
                    {
                        Misdelivered += n;
                    }
                }
            }
        }
    }
}
