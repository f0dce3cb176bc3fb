using System.Runtime.InteropServices;

namespace SockActors.Kernel.Conformance;

/// <summary>The running kernel as observed lines name it: "linux-MAJOR.MINOR ARCH", e.g. "linux-6.18 x86_64".</summary>
public static class KernelIdentity
{
    /// <summary>The running kernel's exact release (/proc/sys/kernel/osrelease, what `uname -r` prints, e.g.
    /// "6.18.44-fc-v1300"), or "unknown". Observed lines record it beside <see cref="Describe"/>: two builds of one
    /// MAJOR.MINOR can answer differently.</summary>
    public static string Release()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return "unknown";
    }

    /// <summary>"linux-MAJOR.MINOR ARCH" of the running kernel.</summary>
    public static string Describe()
    {
        string release = Release();
        var parts = release.Split('.', '-');
        string version = parts.Length >= 2 ? $"{parts[0]}.{parts[1]}" : release;
        string arch = RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "x86_64",
            Architecture.Arm64 => "aarch64",
            Architecture.X86 => "i686",
            Architecture.Arm => "armv7l",
            var a => a.ToString().ToLowerInvariant(),
        };
        return $"linux-{version} {arch}";
    }
}
