namespace SockActors.Kernel;

/// <summary>The machine cannot run scenarios on its kernel (no CAP_BPF, no libbpf, no clang, ...). Callers treat this
/// as "skip", not as a failure; <see cref="Exception.Message"/> is the reason from <see cref="KernelSupport.Probe"/>.</summary>
public sealed class KernelUnavailableException(string reason) : Exception(reason);
