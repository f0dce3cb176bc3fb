using SockActors.Kernel.Bpf;
using SockActors.Kernel.Native;

namespace SockActors.Kernel;

/// <summary>Whether this machine can run scenarios on its live kernel, and if not, why.</summary>
public static class KernelSupport
{
    /// <summary>Set to 1 to pretend BPF is unavailable (tests the skip path on a machine that has it).</summary>
    public const string PretendNoBpfVariable = "SOCKACTORS_PRETEND_NO_BPF";

    private const int CapNetAdmin = 12;
    private const int CapSysAdmin = 21;
    private const int CapBpf = 39;
    private const long SysBpf = 321; // x86_64
    private const long BpfProgLoad = 5;

    /// <summary>Checks: not pretended away, Linux x86_64, CAP_BPF (or CAP_SYS_ADMIN) and CAP_NET_ADMIN, libbpf.so.1,
    /// clang (unless a prebuilt object is given), and that the bpf(2) syscall exists.</summary>
    public static (bool Available, string Reason) Probe(string? objectPath = null)
    {
        if (Environment.GetEnvironmentVariable(PretendNoBpfVariable) == "1")
            return (false, $"kernel BPF is unavailable: {PretendNoBpfVariable}=1 pretends CAP_BPF is missing");
        if (!OperatingSystem.IsLinux())
            return (false, "kernel BPF is unavailable: not running on Linux");
        if (System.Runtime.InteropServices.RuntimeInformation.OSArchitecture != System.Runtime.InteropServices.Architecture.X64)
            return (false, "kernel BPF is unavailable: the driver supports x86_64 only (bpf syscall number)");
        ulong caps = EffectiveCapabilities();
        bool bpf = Has(caps, CapBpf) || Has(caps, CapSysAdmin);
        if (!bpf || !Has(caps, CapNetAdmin))
            return (false, "kernel BPF is unavailable: CAP_BPF and CAP_NET_ADMIN are needed (run as root)");
        try
        {
            LibBpf.SetPrint(0);
        }
        catch (DllNotFoundException)
        {
            return (false, "kernel BPF is unavailable: libbpf.so.1 is not installed (apt-get install libbpf1)");
        }
        if (objectPath is null && ScenarioObjectCompiler.FindClang() is null)
            return (false, "kernel BPF is unavailable: clang with the BPF target is not installed (apt-get install clang-14)");
        // BPF_PROG_LOAD with a NULL attr fails with EFAULT/EINVAL where bpf(2) exists, ENOSYS where it does not.
        long rc = Libc.Syscall(SysBpf, BpfProgLoad, 0, 0);
        int errno = rc < 0 ? Libc.Errno : 0;
        if (errno is 38 /* ENOSYS */)
            return (false, "kernel BPF is unavailable: the kernel has no bpf(2) system call");
        if (errno is 1 /* EPERM */)
            return (false, "kernel BPF is unavailable: bpf(2) is not permitted (kernel.unprivileged_bpf_disabled or a seccomp filter)");
        return (true, "kernel BPF is available");
    }

    private static bool Has(ulong caps, int bit) => (caps & (1UL << bit)) != 0;

    private static ulong EffectiveCapabilities()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("CapEff:", StringComparison.Ordinal))
                    return Convert.ToUInt64(line["CapEff:".Length..].Trim(), 16);
            }
        }
        catch (IOException)
        {
        }
        return 0;
    }
}
