namespace SockActors.Kernel;

/// <summary>The kernel driver could not set up or run a scenario (not a scenario outcome: a setup failure). The
/// message says which step failed and why, so a user can act on it without a stack trace.</summary>
public sealed class KernelDriverException(string message) : Exception(message);
