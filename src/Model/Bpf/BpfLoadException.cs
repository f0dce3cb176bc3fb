namespace SockActors.Model.Bpf;

/// <summary>A BPF object or program the simulation cannot load: malformed ELF, an unsupported section, map type,
/// relocation, helper or instruction. The message names the offending item.</summary>
/// <param name="message">Names the object and the offending item.</param>
public sealed class BpfLoadException(string message) : Exception(message);
