using SockActors.Host;

namespace SockActors.Host.Tests;

/// <summary>Runs the `sockactors` program in-process and captures what it prints.</summary>
public sealed record HostRun(int ExitCode, string Out, string Err)
{
    public static HostRun Invoke(string[] args, string stdin = "", IReadOnlyDictionary<string, string>? env = null)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        // An empty environment by default, so the machine's SOCKACTORS_ variables cannot change a test.
        int rc = Program.Run(args, new StringReader(stdin), o, e, env ?? new Dictionary<string, string>(), engines: null);
        return new HostRun(rc, o.ToString(), e.ToString());
    }

    public string[] OutLines => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Text a .NET stack trace would contain.</summary>
    public bool HasStackTrace => (Out + Err).Contains("   at ") || (Out + Err).Contains("Exception:") && (Out + Err).Contains(" at ");
}
