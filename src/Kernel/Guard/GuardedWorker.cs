using System.Diagnostics;
using System.Text.Json;
using SockActors.Model.Scenarios;

namespace SockActors.Kernel.Guard;

/// <summary>
/// A worker child process (this assembly run with --worker) that runs scenarios one at a time on the kernel. It is
/// placed in a <see cref="MemoryCgroup"/> before it receives its first scenario, so every socket it creates is charged
/// to the cgroup: a scenario that allocates past the limit gets the worker killed by the cgroup's OOM killer (or its
/// sends fail), and a scenario that exceeds the timeout is killed by the parent. Either is reported as a runaway.
/// </summary>
internal sealed class GuardedWorker : IDisposable
{
    private readonly Process _process;
    private readonly MemoryCgroup? _cgroup;
    private readonly TimeSpan _timeout;

    private GuardedWorker(Process process, MemoryCgroup? cgroup, TimeSpan timeout)
    {
        _process = process;
        _cgroup = cgroup;
        _timeout = timeout;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Describes the guard in force, e.g. "memory cgroup v1 ..., limit N bytes".</summary>
    public string GuardDescription { get; private init; } = "";

    public static GuardedWorker Start(string objectPath, KernelRunnerOptions options)
    {
        var cgroup = MemoryCgroup.TryCreate(options.MemoryLimitBytes, out var reason);
        if (cgroup is null)
            throw new KernelDriverException($"the memory guard is unavailable ({reason}); set Guarded = false to run without it");
        Process process;
        try
        {
            process = Process.Start(WorkerLaunch.StartInfo(objectPath, options))
                ?? throw new KernelDriverException("could not start the kernel worker process");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            cgroup.Dispose();
            throw new KernelDriverException($"could not start the kernel worker process: {e.Message}");
        }
        try
        {
            cgroup.Add(process.Id);
        }
        catch (IOException e)
        {
            Kill(process);
            cgroup.Dispose();
            throw new KernelDriverException($"could not move the kernel worker into {cgroup.Path}: {e.Message}");
        }
        return new GuardedWorker(process, cgroup, options.ScenarioTimeout) { GuardDescription = reason };
    }

    /// <summary>Sends one request line and waits for one reply line within the timeout; null if the worker died.</summary>
    public string? Exchange(string request, out string? failure)
    {
        failure = null;
        try
        {
            _process.StandardInput.WriteLine(request);
            _process.StandardInput.Flush();
        }
        catch (IOException)
        {
            failure = Describe("the worker exited");
            return null;
        }
        var read = _process.StandardOutput.ReadLineAsync();
        if (!read.Wait(_timeout))
        {
            Kill(_process);
            failure = Describe($"killed after {_timeout.TotalSeconds:0} s without an answer");
            return null;
        }
        var line = read.Result;
        if (line is null)
        {
            _process.WaitForExit(5000);
            failure = Describe($"the worker died (exit code {(_process.HasExited ? _process.ExitCode : -1)})");
        }
        return line;
    }

    public ScenarioResult Run(Scenario scenario)
    {
        var line = Exchange(ScenarioJson.ScenarioLine(scenario), out var failure);
        if (line is null) return ScenarioResult.RunawayResult(failure!);
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        if (root.TryGetProperty("error", out var err))
            throw new KernelDriverException(err.GetString() ?? "the kernel worker failed");
        return ScenarioJson.ParseResult(root.GetProperty("result"));
    }

    private string Describe(string what)
    {
        if (_cgroup is null) return $"kernel worker: {what}";
        string limit = _cgroup.LimitWasHit() ? $"; the memory cgroup limit of {_cgroup.LimitBytes} bytes was hit" : "";
        return $"kernel worker: {what}{limit} (peak {_cgroup.PeakBytes()} bytes)";
    }

    private static void Kill(Process p)
    {
        try
        {
            if (!p.HasExited) p.Kill();
            p.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
        }
    }

    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(2000)) Kill(_process);
        }
        catch (IOException)
        {
            Kill(_process);
        }
        _process.Dispose();
        _cgroup?.Dispose();
    }
}
