namespace SockActors.Model.Scenarios;

/// <summary>
/// Seeded random scenarios from the space of the published conformance set: the three actions, redirect keys that
/// exist and that do not, egress and ingress, apply/cork windows around the send sizes, pull/push/pop ranges around
/// the message bounds, drop_every, both modes, iov counts and send sequences from 1 byte to 70000 bytes.
/// The same seed gives the same scenarios, so a failure replays from its seed.
/// </summary>
public sealed class RandomScenarioGenerator
{
    private readonly Random _rng;
    private readonly long _seed;
    private int _count;

    /// <summary>A generator whose scenarios are a function of <paramref name="seed"/> (and the init options).</summary>
    public RandomScenarioGenerator(long seed)
    {
        _seed = seed;
        _rng = new Random(unchecked((int)seed ^ (int)(seed >> 32)));
    }

    /// <summary>Leave out scenarios that can make a live kernel allocate without end (apply with a push at least as
    /// long; conformance README). Set this for anything that runs on a kernel.</summary>
    public bool ExcludeKernelRunaway { get; init; } = true;

    /// <summary>Leave out apply &lt; cork combinations, whose kernel results vary from run to run (reference section 11).</summary>
    public bool ExcludeUnstable { get; init; }

    /// <summary>
    /// Draw three scenarios in four from the families where the simulation and the kernel have differed, and their
    /// neighbours (<see cref="RandomScenarioFamilies"/>); names are "families-SEED-N". Off by default, so that the
    /// recorded seeds (conformance/observed-random-*.jsonl) keep drawing the same scenarios.
    /// </summary>
    public bool Families { get; init; }

    /// <summary>Draw every scenario from the receive half (<see cref="RandomReceiveHalf"/>): SK_SKB parsers and verdicts,
    /// SOCK_OPS, and redirects between the two halves; names are "receive-SEED-N".</summary>
    public bool ReceiveHalf { get; init; }

    /// <summary>The next scenario that the options do not exclude.</summary>
    public Scenario Next()
    {
        while (true)
        {
            var s = Generate();
            if (ExcludeKernelRunaway && s.Program.CanRunAwayOnKernel) continue;
            if (ExcludeUnstable && s.Program.Apply > 0 && s.Program.Cork > s.Program.Apply) continue;
            return s;
        }
    }

    /// <summary>The next <paramref name="count"/> scenarios.</summary>
    public IEnumerable<Scenario> Take(int count)
    {
        for (int i = 0; i < count; i++) yield return Next();
    }

    private Scenario Generate()
    {
        if (ReceiveHalf) return RandomReceiveHalf.Draw(_rng, $"receive-{_seed}-{_count++}");
        if (Families && _rng.Next(4) != 0)
            return RandomScenarioFamilies.Draw(_rng, $"families-{_seed}-{_count++}", GenerateSends);
        int index = _count++;
        var mode = _rng.Next(2) == 0 ? SendMode.SendMsg : SendMode.SendFile;
        var sends = GenerateSends();
        int typical = sends.Count == 0 ? 100 : sends[_rng.Next(sends.Count)];
        var p = new ProgramSpec();
        int roll = _rng.Next(10);
        p = roll switch
        {
            < 5 => p,
            < 6 => p with { Action = ScenarioAction.Drop },
            _ => p with { Action = ScenarioAction.Redirect, Ingress = _rng.Next(2) == 0, RedirectKey = _rng.Next(8) == 0 ? (uint)_rng.Next(2, 6) : 1u },
        };
        if (_rng.Next(3) == 0) p = p with { Apply = Around(typical) };
        if (_rng.Next(4) == 0) p = p with { Cork = Around(typical) };
        if (_rng.Next(4) == 0)
        {
            uint start = Around(typical) - 1;
            uint end = _rng.Next(6) == 0 ? (uint)_rng.Next(0, (int)start + 2) : start + Around(Math.Max(1, typical / 4));
            p = p with { PullStart = start, PullEnd = end };
        }
        if (_rng.Next(5) == 0) p = p with { PushStart = Around(typical) - 1, PushLen = (uint)_rng.Next(1, 64) };
        if (_rng.Next(5) == 0) p = p with { PopStart = Around(typical) - 1, PopLen = (uint)_rng.Next(0, 64) };
        if (_rng.Next(6) == 0) p = p with { DropEvery = (uint)_rng.Next(1, 6) };
        int iov = mode == SendMode.SendMsg ? new[] { 1, 1, 1, 2, 3, 8, 16, 1024 }[_rng.Next(8)] : 1;
        return new Scenario { Name = Families ? $"families-{_seed}-{index}" : $"random-{_seed}-{index}", Program = p, Mode = mode, Iov = iov, Sends = sends };
    }

    private List<int> GenerateSends()
    {
        int n = _rng.Next(8) switch { 0 => 1, 1 => 2, 2 => 3, 3 => 5, 4 => 8, 5 => 12, 6 => 20, _ => 4 };
        var sizes = new List<int>(n);
        int style = _rng.Next(4);
        int fixedSize = RandomSize();
        for (int i = 0; i < n; i++)
            sizes.Add(style == 0 ? fixedSize : RandomSize());
        return sizes;
    }

    private int RandomSize() => _rng.Next(10) switch
    {
        0 => 1,
        1 => _rng.Next(1, 8),
        2 or 3 => _rng.Next(8, 200),
        4 or 5 => _rng.Next(200, 5000),
        6 => _rng.Next(5000, 33000),
        7 => _rng.Next(33000, 70001),
        8 => new[] { 100, 1024, 4096, 32768, 40000 }[_rng.Next(5)],
        _ => _rng.Next(1, 1500),
    };

    /// <summary>A value near <paramref name="v"/>: exactly it, just below or above, a fraction or a multiple.</summary>
    private uint Around(int v)
    {
        v = Math.Max(v, 1);
        return (uint)Math.Max(1, _rng.Next(7) switch
        {
            0 => v,
            1 => v - 1,
            2 => v + 1,
            3 => Math.Max(1, v / (_rng.Next(2, 5))),
            4 => v * _rng.Next(2, 4),
            5 => _rng.Next(1, 10),
            _ => _rng.Next(1, v + 1),
        });
    }
}
