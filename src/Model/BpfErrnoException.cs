namespace SockActors.Model;

/// <summary>A kernel call that failed with an errno where the simulated API has no return code to carry it
/// (for example map creation). <see cref="Errno"/> holds the positive errno value.</summary>
/// <param name="errno">The errno (positive).</param>
/// <param name="message">What failed; the errno's name is appended.</param>
public sealed class BpfErrnoException(int errno, string message) : Exception($"{message} (-{SockActors.Model.Errno.Name(errno)})")
{
    /// <summary>The errno (positive) the kernel call would return negated.</summary>
    public int Errno { get; } = errno;
}
