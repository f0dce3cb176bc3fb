using System.Runtime.InteropServices;

namespace SockActors.Kernel.Conformance;

/// <summary>The running kernel as observed lines name it: "linux-MAJOR.MINOR ARCH", e.g. "linux-6.18 x86_64".</summary>
public static class KernelIdentity
{
    public static string Describe()
    {
        string release = "unknown";
        try
        {
            release = File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
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
