namespace SockActors.Model.Bpf;

/// <summary>
/// Why a run stopped early. The kernel's verifier would have rejected the program (or, for the budget, the program
/// would hang the CPU); the simulation instead ends the run with verdict 0 (SK_DROP) and reports this.
/// </summary>
/// <param name="Program">The program's name.</param>
/// <param name="InstructionIndex">Index of the faulting instruction in the program's linked image.</param>
/// <param name="Location">Where that instruction came from, e.g. "sk_msg+12" or ".text+3 (subprog)".</param>
/// <param name="Message">What was wrong.</param>
public sealed record BpfFault(string Program, int InstructionIndex, string Location, string Message)
{
    /// <summary>One line: program, instruction index, location and message.</summary>
    public override string ToString() => $"BPF program '{Program}' faulted at instruction {InstructionIndex} ({Location}): {Message}";
}

/// <summary>Thrown inside the VM to end a run; caught at the program boundary and turned into a <see cref="BpfFault"/>.</summary>
internal sealed class BpfRunFault(string message) : Exception(message)
{
    public int Pc { get; set; } = -1;
}
