namespace SockActors.Kernel.Guard;

/// <summary>
/// A memory cgroup created below this process's own memory cgroup (so every limit above still applies) that holds one
/// worker process. Socket memory is charged to the cgroup of the task that created the socket: on cgroup v2 always,
/// on cgroup v1 once memory.kmem.tcp.limit_in_bytes is written, which this class does. The cgroup is removed on dispose.
/// </summary>
public sealed class MemoryCgroup : IDisposable
{
    private static int _sequence;
    private readonly bool _v2;

    private MemoryCgroup(string path, bool v2, long limit)
    {
        Path = path;
        _v2 = v2;
        LimitBytes = limit;
    }

    /// <summary>The cgroup's directory.</summary>
    public string Path { get; }

    public long LimitBytes { get; }

    /// <summary>Creates a cgroup with the given limit, or returns null with a reason when none can be made here.</summary>
    public static MemoryCgroup? TryCreate(long limitBytes, out string reason)
    {
        try
        {
            var (root, relative, v2) = FindOwnMemoryCgroup();
            if (root is null)
            {
                reason = "no memory cgroup controller is mounted (neither cgroup v2 with memory nor cgroup v1 memory)";
                return null;
            }
            string parent = System.IO.Path.Combine(root, relative.TrimStart('/'));
            if (v2 && !File.ReadAllText(System.IO.Path.Combine(parent, "cgroup.subtree_control")).Split(' ', '\n').Contains("memory"))
            {
                reason = $"cgroup v2: memory is not enabled in {parent}/cgroup.subtree_control";
                return null;
            }
            string dir = System.IO.Path.Combine(parent, $"sockactors-guard-{Environment.ProcessId}-{Interlocked.Increment(ref _sequence)}");
            Directory.CreateDirectory(dir);
            var cg = new MemoryCgroup(dir, v2, limitBytes);
            try
            {
                if (v2)
                {
                    cg.Write("memory.max", limitBytes.ToString());
                    cg.Write("memory.swap.max", "0", optional: true);
                }
                else
                {
                    cg.Write("memory.limit_in_bytes", limitBytes.ToString());
                    // Activates socket accounting for this cgroup on v1 (without it sockets are not charged at all).
                    cg.Write("memory.kmem.tcp.limit_in_bytes", limitBytes.ToString());
                }
            }
            catch
            {
                cg.Dispose();
                throw;
            }
            reason = $"memory cgroup {(v2 ? "v2" : "v1")} {dir}, limit {limitBytes} bytes";
            return cg;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            reason = $"could not create a memory cgroup: {e.Message}";
            return null;
        }
    }

    /// <summary>Moves a process (and so the sockets it creates from now on) into the cgroup.</summary>
    public void Add(int pid) => Write("cgroup.procs", pid.ToString());

    /// <summary>True if the kernel's OOM killer fired in this cgroup or a limit was hit.</summary>
    public bool LimitWasHit()
    {
        if (_v2) return ReadKey("memory.events", "oom_kill") > 0 || ReadKey("memory.events", "max") > 0;
        return ReadKey("memory.oom_control", "oom_kill") > 0 || ReadLong("memory.failcnt") > 0 || ReadLong("memory.kmem.tcp.failcnt") > 0;
    }

    /// <summary>Peak usage of the cgroup in bytes (v1: max_usage_in_bytes; v2: memory.peak), 0 if unknown.</summary>
    public long PeakBytes() => _v2 ? ReadLong("memory.peak") : ReadLong("memory.max_usage_in_bytes");

    /// <summary>Socket memory currently charged (v1: kmem.tcp.usage_in_bytes; v2: the "sock" line of memory.stat).</summary>
    public long SocketBytes() => _v2 ? ReadKey("memory.stat", "sock") : ReadLong("memory.kmem.tcp.usage_in_bytes");

    private void Write(string file, string value, bool optional = false)
    {
        try
        {
            File.WriteAllText(System.IO.Path.Combine(Path, file), value);
        }
        catch (IOException) when (optional)
        {
        }
    }

    private long ReadLong(string file)
    {
        try
        {
            return long.TryParse(File.ReadAllText(System.IO.Path.Combine(Path, file)).Trim(), out var v) ? v : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private long ReadKey(string file, string key)
    {
        try
        {
            foreach (var line in File.ReadLines(System.IO.Path.Combine(Path, file)))
            {
                var parts = line.Split(' ');
                if (parts.Length == 2 && parts[0] == key && long.TryParse(parts[1], out var v)) return v;
            }
        }
        catch (IOException)
        {
        }
        return 0;
    }

    /// <summary>(mount point, own cgroup path, is v2) of the memory controller, or (null, "", false).</summary>
    private static (string? Root, string Relative, bool V2) FindOwnMemoryCgroup()
    {
        string? v1Mount = null, v2Mount = null;
        foreach (var line in File.ReadLines("/proc/self/mounts"))
        {
            var f = line.Split(' ');
            if (f.Length < 4) continue;
            if (f[2] == "cgroup" && f[3].Split(',').Contains("memory")) v1Mount = f[1];
            else if (f[2] == "cgroup2" && v2Mount is null) v2Mount = f[1];
        }
        string? v1Path = null, v2Path = null;
        foreach (var line in File.ReadLines("/proc/self/cgroup"))
        {
            var f = line.Split(':', 3);
            if (f.Length != 3) continue;
            if (f[0] == "0" && f[1] == "") v2Path = f[2];
            else if (f[1].Split(',').Contains("memory")) v1Path = f[2];
        }
        if (v1Mount is not null && v1Path is not null) return (v1Mount, v1Path, false);
        if (v2Mount is not null && v2Path is not null &&
            File.Exists(System.IO.Path.Combine(v2Mount, "cgroup.controllers")) &&
            File.ReadAllText(System.IO.Path.Combine(v2Mount, "cgroup.controllers")).Split(' ', '\n').Contains("memory"))
            return (v2Mount, v2Path, true);
        return (null, "", false);
    }

    public void Dispose()
    {
        // rmdir succeeds once the cgroup has no processes; the worker has been killed and reaped before this.
        for (int attempt = 0; attempt < 50; attempt++)
        {
            try
            {
                Directory.Delete(Path);
                return;
            }
            catch (DirectoryNotFoundException)
            {
                return;
            }
            catch (IOException)
            {
                Thread.Sleep(20);
            }
        }
    }
}
