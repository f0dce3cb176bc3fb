using SockActors.Model.Scenarios;

namespace SockActors.Kernel.Conformance;

/// <summary>One scenario on the kernel and on the simulation. <see cref="KernelRan"/> is false where the scenario can
/// run away on the kernel and was refused: its kernel side is then {"runaway": true} by the contract's rule.</summary>
public sealed record ScenarioComparison(
    Scenario Scenario,
    ScenarioResult Kernel,
    ScenarioResult Simulation,
    IReadOnlyList<FieldDifference> Differences,
    bool KernelRan)
{
    public bool Agrees => Differences.Count == 0;

    /// <summary>Kernel runs it took (more than one where the first run differed).</summary>
    public int Attempts { get; init; } = 1;

    /// <summary>How many of the <see cref="Attempts"/> kernel runs matched the simulation.</summary>
    public int Matching { get; init; }

    /// <summary>The kernel answered both ways (with the counts), or the match was the kernel's other answer at the edge
    /// of p1's read window (<see cref="TimingEdge"/>); null otherwise.</summary>
    public string? Note { get; init; }

    /// <summary>Some kernel runs matched the simulation and some did not.</summary>
    public bool Unstable => Matching > 0 && Matching < Attempts;

    /// <summary>Where the scenario differs and its divergence is kept on purpose: why (<see cref="DivergenceCatalogue"/>).</summary>
    public string? Catalogued { get; init; }

    /// <summary>Differs, and not in the catalogue.</summary>
    public bool Fails => !Agrees && Catalogued is null;
}

/// <summary>The outcome of <see cref="KernelConformance.Compare"/>. When the kernel is unavailable, nothing ran and
/// <see cref="SkipReason"/> says why (callers report a skip, not a failure).</summary>
public sealed record ConformanceReport(bool KernelAvailable, string? SkipReason, string Kernel, IReadOnlyList<ScenarioComparison> Scenarios)
{
    public int Disagreements => Scenarios.Count(s => !s.Agrees);

    /// <summary>Disagreements not in <see cref="DivergenceCatalogue"/>.</summary>
    public int Failures => Scenarios.Count(s => s.Fails);
}

/// <summary>The outcome of <see cref="KernelConformance.Record"/>: how many observed lines were written, and which
/// scenarios were refused (runaway-capable, never run on the kernel, no line written).</summary>
public sealed record RecordReport(bool KernelAvailable, string? SkipReason, string Kernel, int Written, IReadOnlyList<string> Refused);
