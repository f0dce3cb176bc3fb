using SockActors.Kernel.Native;

namespace SockActors.Kernel;

/// <summary>
/// A cgroup v2 directory made for one scenario's SOCK_OPS program (BPF_CGROUP_SOCK_OPS), below this process's own v2
/// cgroup. The process joins it only while the scenario creates its sockets (<see cref="Enter"/> / <see cref="Leave"/>):
/// a socket keeps the cgroup it was created in (sock_cgroup_set) and an accepted socket its listener's, so the program
/// runs for the scenario's four sockets and for nothing else on the machine. Dispose detaches the program and removes
/// the directory.
/// </summary>
internal sealed class SockOpsCgroup : IDisposable
{
    private static int _sequence;
    private readonly string _path;
    private readonly string _home;
    private int _fd;
    private int _attachedProgFd = -1;
    private bool _inside;

    private SockOpsCgroup(string path, string home)
    {
        _path = path;
        _home = home;
        Directory.CreateDirectory(path);
        _fd = Libc.Open(path, Libc.ORdOnly);
        if (_fd < 0)
        {
            int e = Libc.Errno;
            TryRemove();
            throw new KernelDriverException($"opening the cgroup {path} failed: {Libc.StrError(e)} (errno {e})");
        }
    }

    /// <summary>Makes the cgroup, or throws <see cref="KernelDriverException"/> naming why none can be made here.</summary>
    public static SockOpsCgroup Create()
    {
        var (mount, own) = FindOwnV2Cgroup();
        string home = Path.Combine(mount, own.TrimStart('/'));
        string dir = Path.Combine(home, $"sockactors-sockops-{Environment.ProcessId}-{Interlocked.Increment(ref _sequence)}");
        try
        {
            return new SockOpsCgroup(dir, home);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KernelDriverException($"cannot make a cgroup v2 directory for the SOCK_OPS program at {dir}: {e.Message}");
        }
    }

    /// <summary>bpf_prog_attach(prog, cgroup, BPF_CGROUP_SOCK_OPS, 0).</summary>
    public void AttachSockOps(int progFd)
    {
        Fd.CheckLibBpf(LibBpf.ProgAttach(progFd, _fd, LibBpf.BpfCgroupSockOps, 0), $"attaching the SOCK_OPS program to {_path}");
        _attachedProgFd = progFd;
    }

    /// <summary>Moves this process into the cgroup (its sockets created from now on belong to it).</summary>
    public void Enter()
    {
        Write(Path.Combine(_path, "cgroup.procs"));
        _inside = true;
    }

    /// <summary>Moves this process back to the cgroup it came from.</summary>
    public void Leave()
    {
        if (!_inside) return;
        Write(Path.Combine(_home, "cgroup.procs"));
        _inside = false;
    }

    private static void Write(string procs)
    {
        try
        {
            File.WriteAllText(procs, Environment.ProcessId.ToString());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KernelDriverException($"moving this process to {Path.GetDirectoryName(procs)} failed: {e.Message}");
        }
    }

    /// <summary>The cgroup2 mount point and this process's path in it ("0::/path" in /proc/self/cgroup).</summary>
    private static (string Mount, string Own) FindOwnV2Cgroup()
    {
        string? mount = null;
        foreach (var line in File.ReadLines("/proc/self/mounts"))
        {
            var f = line.Split(' ');
            if (f.Length > 2 && f[2] == "cgroup2")
            {
                mount = f[1];
                break;
            }
        }
        string? own = File.ReadLines("/proc/self/cgroup").FirstOrDefault(l => l.StartsWith("0::", StringComparison.Ordinal))?[3..];
        if (mount is null || own is null)
            throw new KernelDriverException("SOCK_OPS scenarios need a cgroup v2 hierarchy (none is mounted, or this process is not in one)");
        return (mount, own);
    }

    private void TryRemove()
    {
        try
        {
            Directory.Delete(_path);
        }
        catch (IOException)
        {
            // A directory that still has a process (we could not leave) stays; it holds no program after detach.
        }
    }

    public void Dispose()
    {
        try
        {
            Leave();
        }
        catch (KernelDriverException)
        {
            // Best effort: the directory then cannot be removed either.
        }
        if (_attachedProgFd >= 0 && _fd >= 0) LibBpf.ProgDetach2(_attachedProgFd, _fd, LibBpf.BpfCgroupSockOps);
        _attachedProgFd = -1;
        Fd.CloseQuietly(ref _fd);
        TryRemove();
    }
}
