namespace SockActors.Host.Explain;

/// <summary>
/// Everything one picture shows, as data: the `explain` command renders it as HTML and prints it with --json.
/// Built by <see cref="ExplainRecorder"/> from the simulation's events (runs, byte flows), or by
/// <see cref="KernelExplain"/> from a live kernel's result and trace (runs only; the kernel does not say where each
/// run's bytes went, so <see cref="FlowsKnown"/> is false there and the destinations carry totals).
/// </summary>
public sealed record ExplainPicture
{
    public required string Title { get; init; }

    /// <summary>model, actors, kernel: who produced the data.</summary>
    public required string Engine { get; init; }

    public required string Profile { get; init; }

    /// <summary>The scenario or case as given (a JSON line or a matrix case's description).</summary>
    public string? Input { get; init; }

    /// <summary>The socket whose send path the program runs on (c1 in the contract's topology).</summary>
    public required string Sender { get; init; }

    /// <summary>Bytes the sender's sends covered: the contract's stream (after r &gt; 0 by r, else by the length).</summary>
    public long StreamBytes { get; init; }

    /// <summary>Bytes of the sender's messages the kernel disposed of, in order (the stream plus pushed, minus popped
    /// bytes); the sender's band is drawn over max(stream, message) bytes.</summary>
    public long MessageBytes { get; init; }

    public IReadOnlyList<ExplainSend> Sends { get; init; } = [];

    /// <summary>The program runs drawn (at most <see cref="ExplainRecorder.MaxRuns"/>); <see cref="RunsTotal"/> counts all.</summary>
    public IReadOnlyList<ExplainRun> Runs { get; init; } = [];

    public long RunsTotal { get; init; }

    /// <summary>Where the sender's bytes went, in order, adjacent steps of one kind and target merged.</summary>
    public IReadOnlyList<ExplainFlow> Flows { get; init; } = [];

    public bool FlowsKnown { get; init; }

    /// <summary>What each receiver read, and why fewer bytes were read than arrived.</summary>
    public IReadOnlyList<ExplainReceiver> Receivers { get; init; } = [];

    /// <summary>Kernel-defect and runaway warnings: a list other producers (the conformance campaigns) may fill.</summary>
    public IReadOnlyList<ExplainWarning> Warnings { get; init; } = [];

    /// <summary>With --compare: the fields where the kernel and the simulation differ.</summary>
    public IReadOnlyList<ExplainDifference> Differences { get; init; } = [];

    /// <summary>A matrix case's verdict (PASS/FAIL and why); null for a scenario.</summary>
    public string? Verdict { get; init; }
}

/// <summary>One send: where it starts on the sender's stream (the contract's count), its length and return code (bytes
/// or -errno), and, where the simulation drew it, the span of message bytes it ended up in ([MessageStart, MessageEnd)
/// on the same axis as the runs and flows: what the kernel had disposed of or held in the cork when it returned).</summary>
public sealed record ExplainSend(int Index, long Offset, int Len, long Rc, long MessageStart = -1, long MessageEnd = -1)
{
    public string? Error => Rc < 0 ? Model.Errno.Name((int)-Rc) : null;
}

/// <summary>
/// One program run: on which socket, where its message began on the sender's message bytes (<see cref="Offset"/>,
/// -1 when unknown), msg-&gt;size before and after the program, the data window, the verdict, the windows it asked for and the
/// psock's apply/cork state once the run's bytes were handled, the helpers it called and the sk_msg_md fields it saw.
/// </summary>
public sealed record ExplainRun
{
    public required long Index { get; init; }
    public required string Sock { get; init; }
    public long Offset { get; init; } = -1;
    public required uint Size { get; init; }
    public uint SizeAfter { get; init; }

    /// <summary>data_end - data after the helpers (the contract's len).</summary>
    public uint Len { get; init; }

    /// <summary>pass, drop, redirect.</summary>
    public required string Verdict { get; init; }

    public string? RedirectTo { get; init; }
    public bool Ingress { get; init; }

    /// <summary>msg-&gt;apply_bytes and msg-&gt;cork_bytes after the run (what the program asked for).</summary>
    public uint ApplyRequested { get; init; }
    public uint CorkRequested { get; init; }

    /// <summary>psock-&gt;apply_bytes and psock-&gt;cork_bytes once the send path had acted on the run; null when unknown.</summary>
    public uint? ApplyLeft { get; init; }
    public uint? CorkLeft { get; init; }

    /// <summary>Bytes held in the psock's cork message after the run; null when unknown.</summary>
    public uint? CorkHeld { get; init; }

    public IReadOnlyList<ExplainHelperCall> Helpers { get; init; } = [];

    /// <summary>The sk_msg_md fields as the program saw them when it started.</summary>
    public IReadOnlyDictionary<string, string> Md { get; init; } = new Dictionary<string, string>();
}

/// <summary>A helper call of a run and its return value; <see cref="Failed"/> when the kernel returned an error
/// (a negative errno, or SK_DROP from a redirect helper).</summary>
public sealed record ExplainHelperCall(string Name, string Args, long Rc, bool Failed)
{
    public string Text => Failed && Rc < 0 ? $"{Name}({Args}) = {Rc} {Model.Errno.Name((int)-Rc)}" : $"{Name}({Args}) = {Rc}";
}

/// <summary>
/// Bytes of the sender's messages that went one way: <see cref="Kind"/> is delivered (the sender's TCP, to its
/// peer), redirect-egress (out of <see cref="Via"/>'s TCP to its peer), redirect-ingress (onto the target's
/// ingress_msg), dropped (SK_DROP), freed (lost after a redirect of the cork, or a failed push), corked (still in
/// the cork when the sends ended, purged at close). <see cref="Offset"/> is on the sender's message bytes.
/// </summary>
public sealed record ExplainFlow(long Run, long Offset, long Bytes, string Kind, string? To, string? Via);

/// <summary>What one receiver read (the contract's bytes and fnv), what arrived there, and where the rest stayed.</summary>
public sealed record ExplainReceiver(string Name, long Read, string? Fnv, long? Arrived, string? NotReadBecause);

/// <summary>A warning shown above the picture: a code (e.g. runaway, kernel-defect) and a sentence.</summary>
public sealed record ExplainWarning(string Code, string Message);

/// <summary>A field where two pictures of one scenario (kernel and simulation) differ.</summary>
public sealed record ExplainDifference(string Field, string Kernel, string Simulation);
