namespace SockActors.Model.Scenarios;

/// <summary>
/// A known Linux defect that a scenario's run trips: <see cref="Defect"/> is a stable short name, <see cref="Function"/>
/// the kernel function (file) where it lives, <see cref="Condition"/> what in this scenario and run triggered it. Users
/// run their programs here to find these before production does (docs/conformance.md, "Kernel defects").
/// </summary>
/// <param name="Defect">The defect's short name (<see cref="KernelDefects"/>).</param>
/// <param name="Function">The kernel function (and file) where it lives.</param>
/// <param name="Condition">What in this scenario and run triggered it.</param>
public sealed record KernelWarning(string Defect, string Function, string Condition)
{
    /// <summary>"defect: condition (function)".</summary>
    public override string ToString() => $"{Defect}: {Condition} ({Function})";
}
