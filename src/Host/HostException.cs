namespace SockActors.Host;

/// <summary>
/// An error the user can fix (a bad option, a missing or malformed file, an unknown engine): the host prints its
/// message on one line and exits with <see cref="ExitCodes.Usage"/>. Anything else that escapes is an internal error.
/// </summary>
public sealed class HostException(string message) : Exception(message);

/// <summary>The host's exit codes.</summary>
public static class ExitCodes
{
    /// <summary>Everything ran and everything matched.</summary>
    public const int Ok = 0;

    /// <summary>A check failed (a run case, a conformance difference) or the host itself failed.</summary>
    public const int Failed = 1;

    /// <summary>The input or the command line was wrong.</summary>
    public const int Usage = 2;
}
