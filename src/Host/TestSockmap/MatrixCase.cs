using SockActors.Model.Scenarios;

namespace SockActors.Host.TestSockmap;

/// <summary>How the received byte count is judged.</summary>
public enum BytesRule
{
    /// <summary>test_sockmap: the receiver stops at the expected count; more is fine, fewer is a timeout (failure).</summary>
    AtLeast,

    /// <summary>The kernel's actual count, where the original test's formula is wrong and tolerated (see the case's note).</summary>
    Exact,

    /// <summary>Cork subtests: the receiver turns any error but a data-integrity error into success, so any count passes.</summary>
    CorkTolerant,

    /// <summary>Drop: the receiver is not run; nothing may arrive.</summary>
    Nothing,
}

/// <summary>
/// One case of the run matrix: the program options, the send pattern (test_sockmap's rate / iov_count / iov_length,
/// sendmsg or sendpage=sendfile) and the expectation derived from test_sockmap's rules (reference 7.3).
/// </summary>
public sealed record MatrixCase
{
    public required string Name { get; init; }
    public required TxMsgOptions Options { get; init; }
    public required SendMode Mode { get; init; }
    public required int Rate { get; init; }
    public required int IovCount { get; init; }
    public required int IovLength { get; init; }

    /// <summary>Bytes the receiver must see (formula of 7.3 unless <see cref="Note"/> says why not).</summary>
    public required double ExpectedBytes { get; init; }

    public BytesRule Rule { get; init; } = BytesRule.AtLeast;

    /// <summary>Check the received bytes against the send pattern (msg_verify_data): restart per chunk, pushed ranges
    /// skipped, popped ranges removed.</summary>
    public bool VerifyData { get; init; } = true;

    /// <summary>Why the expectation differs from the original test's, if it does.</summary>
    public string? Note { get; init; }

    /// <summary>Bytes of one pattern chunk: iov_count × iov_length for sendmsg, iov_length for sendpage.</summary>
    public int ChunkSize => Mode == SendMode.SendMsg ? IovCount * IovLength : IovLength;

    /// <summary>Bytes handed to the kernel in all.</summary>
    public long SentBytes => (long)ChunkSize * Rate;

    public string ModeName => Mode == SendMode.SendMsg ? "sendmsg" : "sendpage";
}

/// <summary>What one case did, and whether that passes.</summary>
public sealed record CaseResult(MatrixCase Case, long BytesReceived, long ProgramRuns, int SendsOk, int SendsFailed,
    string? FirstSendError, long DataErrors, bool Passed, string? Reason, TimeSpan Elapsed)
{
    /// <summary>The case drawn as `explain` draws a scenario (run --html); null unless asked for.</summary>
    public Explain.ExplainPicture? Picture { get; init; }
}
