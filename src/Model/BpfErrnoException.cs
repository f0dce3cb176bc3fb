namespace SockActors.Model;

/// <summary>A kernel call that failed with an errno where the simulated API has no return code to carry it
/// (for example map creation). <see cref="Errno"/> holds the positive errno value.</summary>
public sealed class BpfErrnoException(int errno, string message) : Exception($"{message} (-{SockActors.Model.Errno.Name(errno)})")
{
    public int Errno { get; } = errno;
}
