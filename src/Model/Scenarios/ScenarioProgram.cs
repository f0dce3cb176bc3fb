using SockActors.Model.Maps;
using SockActors.Model.Programs;

namespace SockActors.Model.Scenarios;

/// <summary>
/// The contract's scenario program in C# (shared/conformance README, "The program, on every run, in this order"),
/// the twin of bpf/sk_msg_scenario.bpf.c: record size; apply, cork; pull; push; pop; record len and the helpers'
/// return values; verdict DROP for action drop or every drop_every-th run, the redirect helper's result for
/// redirect, else PASS.
/// </summary>
public sealed class ScenarioProgram : ISkMsgProgram, IScenarioProgram
{
    private readonly List<ProgramRun> _runs = new();
    private ProgramSpec _cfg = new();
    private uint _n;
    private long _total;

    /// <summary>The program with <paramref name="sockMap"/> as its sock_map, or a new 4-slot one.</summary>
    public ScenarioProgram(SockMap? sockMap = null)
    {
        Map = sockMap ?? new SockMap("sock_map", 4);
    }

    /// <inheritdoc/>
    public string Name => "sk_msg_scenario (C#)";
    /// <summary>The program's sock_map (the redirect target is looked up there).</summary>
    public SockMap Map { get; }

    /// <summary>The receive half's C# programs over <see cref="Map"/>.</summary>
    public ReceiveHalfPrograms ReceiveHalf => _receiveHalf ??= new ReceiveHalfPrograms(Map);
    ReceiveHalfPrograms? IScenarioProgram.ReceiveHalf => ReceiveHalf;
    private ReceiveHalfPrograms? _receiveHalf;
    ISkMsgProgram IScenarioProgram.Program => this;
    BpfMap IScenarioProgram.SockMap => Map;

    /// <inheritdoc/>
    public void Configure(ProgramSpec spec) => _cfg = spec;

    /// <inheritdoc/>
    public (IReadOnlyList<ProgramRun> Runs, long Total) ReadTrace() => (_runs, _total);

    /// <inheritdoc/>
    public int Run(ISkMsgContext ctx)
    {
        var c = _cfg;
        uint index = _n++;
        _total++;
        uint size = ctx.Size;
        int apply = 0, cork = 0, pull = 0, push = 0, pop = 0;
        if (c.Apply != 0) apply = (int)ctx.MsgApplyBytes(c.Apply);
        if (c.Cork != 0) cork = (int)ctx.MsgCorkBytes(c.Cork);
        if (c.PullEnd != 0) pull = (int)ctx.MsgPullData(c.PullStart, c.PullEnd, 0);
        if (c.PushLen != 0) push = (int)ctx.MsgPushData(c.PushStart, c.PushLen, 0);
        if (c.PopLen != 0) pop = (int)ctx.MsgPopData(c.PopStart, c.PopLen, 0);
        uint len = (uint)ctx.Data.Count;

        int verdict;
        if (c.Action == ScenarioAction.Drop || (c.DropEvery > 0 && index % c.DropEvery == c.DropEvery - 1))
            verdict = SkAction.Drop;
        else if (c.Action == ScenarioAction.Redirect)
            verdict = (int)ctx.MsgRedirectMap(Map, c.RedirectKey, c.Ingress ? BpfRedirectFlags.Ingress : 0);
        else
            verdict = SkAction.Pass;

        if (_runs.Count < ScenarioResult.MaxRecordedRuns)
            _runs.Add(new ProgramRun(size, len, apply, cork, pull, push, pop, verdict));
        return verdict;
    }
}

/// <summary>Makes the C# scenario program.</summary>
public sealed class ScenarioProgramFactory : IScenarioProgramFactory
{
    /// <summary>The one factory (the program holds no configuration of its own).</summary>
    public static ScenarioProgramFactory Instance { get; } = new();
    /// <inheritdoc/>
    public string Description => "the C# scenario program";
    /// <inheritdoc/>
    public IScenarioProgram Create() => new ScenarioProgram();
    /// <inheritdoc/>
    public ProgramSource Source { get; } = new(ProgramSource.ScenarioProgramName);
}
