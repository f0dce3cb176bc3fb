namespace SockActors.Model.Scenarios;

/// <summary>How the sender hands bytes to the kernel (shared/conformance contract: "mode").</summary>
public enum SendMode
{
    SendMsg,
    SendFile,
}

/// <summary>
/// The configuration of the contract's scenario program (shared/conformance README, "The scenario"); missing keys
/// are 0 / false / "pass", a missing redirect_key is 1.
/// </summary>
public sealed record ProgramSpec
{
    public ScenarioAction Action { get; init; } = ScenarioAction.Pass;
    public uint RedirectKey { get; init; } = 1;
    public bool Ingress { get; init; }
    public uint Apply { get; init; }
    public uint Cork { get; init; }
    public uint PullStart { get; init; }
    public uint PullEnd { get; init; }
    public uint PushStart { get; init; }
    public uint PushLen { get; init; }
    public uint PopStart { get; init; }
    public uint PopLen { get; init; }
    public uint DropEvery { get; init; }

    /// <summary>
    /// Where only byte counts are comparable, not checksums: bytes pushed by the program are uninitialised in the
    /// kernel, and a reused cork message whose copy cursor is stale (apply and cork both set) delivers bytes from
    /// stale buffer positions. The contract names cork &gt; apply (reference section 11); the live kernel also gave two
    /// different checksums in two runs of apply 14 / cork 8 (random-1-64 in conformance/observed-random-linux-6.18.jsonl),
    /// so every apply + cork combination counts.
    /// </summary>
    public bool ContentIsUndefined => PushLen != 0 || (Apply > 0 && Cork > 0);

    /// <summary>The conformance README's rule: apply with a push at least as long makes the kernel allocate without end.
    /// Such a scenario must never run on a live kernel.</summary>
    public bool CanRunAwayOnKernel => Apply > 0 && PushLen >= Apply;
}

/// <summary>The scenario program's verdict choice.</summary>
public enum ScenarioAction
{
    Pass = 0,
    Drop = 1,
    Redirect = 2,
}

/// <summary>One scenario of the conformance contract: a program configuration and a sequence of sends from c1.</summary>
public sealed record Scenario
{
    public required string Name { get; init; }
    public ProgramSpec Program { get; init; } = new();
    public SendMode Mode { get; init; } = SendMode.SendMsg;
    public int Iov { get; init; } = 1;
    public required IReadOnlyList<int> Sends { get; init; }

    /// <summary>Total bytes the scenario hands to the kernel.</summary>
    public long TotalBytes => Sends.Sum(s => (long)s);
}
