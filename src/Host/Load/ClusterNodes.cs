using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using SockActors.Cluster;

namespace SockActors.Host.Load;

/// <summary>Starting cluster members for `load` and `node`: the actor system of a node or of the driver, and the node
/// processes that `load --nodes N` runs on this machine (the same executable, command `node`).</summary>
public static class ClusterNodes
{
    /// <summary>The role of nodes that hold hosts; the driver has none and reaches the hosts through a proxy.</summary>
    public const string HostsRole = "hosts";

    public const string DriverRole = "load-driver";

    /// <summary>An actor system named "sockactors" that is a cluster member on <paramref name="hostname"/>:<paramref name="port"/>,
    /// with the sharded hosts' extension started (a region where <paramref name="role"/> is hosts, else a proxy).</summary>
    public static ActorSystem StartSystem(string hostname, int port, IEnumerable<string> seeds, string role, string extraConfig = "")
    {
        if (port is < 0 or > 65535) throw new HostException($"--port must be between 0 and 65535, got {port}");
        var config = ConfigurationFactory.ParseString($"sockactors.cluster.role = {HostsRole}\n{extraConfig}")
            .WithFallback(ClusterNodeConfig.Create(hostname, port, seeds, [role]));
        ActorSystem system;
        try
        {
            system = ActorSystem.Create("sockactors", config);
        }
        catch (Exception e)
        {
            throw new HostException($"cannot listen on {hostname}:{port}: {Innermost(e).Message.ReplaceLineEndings(" ")}");
        }
        SockActorsCluster.Get(system);
        return system;
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }

    /// <summary>An Akka address such as akka.tcp://sockactors@127.0.0.1:4053, or a one-line error naming <paramref name="option"/>.</summary>
    public static Address ParseAddress(string text, string option)
    {
        try
        {
            var a = Address.Parse(text);
            if (a.Host is null || a.Port is null) throw new UriFormatException("no host and port");
            return a;
        }
        catch (Exception e) when (e is UriFormatException or ArgumentException or FormatException)
        {
            throw new HostException($"{option}: '{text}' is not a node address such as akka.tcp://sockactors@127.0.0.1:4053");
        }
    }

    /// <summary>Starts `sockactors node` in a process of its own, joining <paramref name="seed"/> (null: a cluster of
    /// its own), and waits (at most
    /// <paramref name="timeout"/>) for the address it prints. A node that exits first is a one-line error with the
    /// node's own last line.</summary>
    public static NodeProcess StartProcess(int index, string hostname, string? seed, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string dll = typeof(ClusterNodes).Assembly.Location;
        string apphost = Path.Combine(Path.GetDirectoryName(dll)!, OperatingSystem.IsWindows() ? "sockactors.exe" : "sockactors");
        if (File.Exists(apphost)) psi.FileName = apphost;
        else
        {
            psi.FileName = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
            psi.ArgumentList.Add(dll);
        }
        foreach (var a in new[] { "node", "--hostname", hostname, "--port", "0" }) psi.ArgumentList.Add(a);
        if (seed is not null)
        {
            psi.ArgumentList.Add("--seed");
            psi.ArgumentList.Add(seed);
        }
        var process = Process.Start(psi) ?? throw new HostException($"node {index}: could not start {psi.FileName}");
        var node = new NodeProcess(index, process);
        try
        {
            node.WaitReady(timeout);
        }
        catch
        {
            node.Dispose();
            throw;
        }
        return node;
    }
}

/// <summary>A `sockactors node` process: its address once ready; killed (with its whole tree) when disposed.</summary>
public sealed class NodeProcess : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<string> _address = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string _lastError = "";

    internal NodeProcess(int index, Process process)
    {
        Index = index;
        _process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && line.StartsWith("node ", StringComparison.Ordinal)) _address.TrySetResult(line["node ".Length..].Trim());
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (!string.IsNullOrWhiteSpace(e.Data)) _lastError = e.Data.Trim();
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Index { get; }
    public int Pid => _process.Id;
    public string Address { get; private set; } = "";
    public bool HasExited => _process.HasExited;

    internal void WaitReady(TimeSpan timeout)
    {
        var exited = _process.WaitForExitAsync();
        int which = Task.WaitAny([_address.Task, exited], timeout);
        if (which == 0)
        {
            Address = _address.Task.Result;
            return;
        }
        if (which == 1)
        {
            _process.WaitForExit(); // the last lines of stderr
            string why = _lastError.StartsWith("sockactors: ", StringComparison.Ordinal) ? _lastError["sockactors: ".Length..] : _lastError;
            throw new HostException($"node {Index} exited before it was ready (exit {_process.ExitCode}){(why.Length > 0 ? ": " + why : "")}");
        }
        throw new HostException($"node {Index} printed no address within {timeout.TotalSeconds:0} s");
    }

    /// <summary>Ends the node as a machine ends: at once, without leaving the cluster.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>Asks the node to leave (its standard input ends) and waits for it a while; kills it if it does not go.</summary>
    public void Stop(TimeSpan wait)
    {
        try
        {
            if (!_process.HasExited) _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // Its end of the pipe is gone: it has exited.
        }
        if (!_process.WaitForExit((int)wait.TotalMilliseconds)) Kill();
    }

    public void Dispose()
    {
        Kill();
        _process.WaitForExit(5000);
        _process.Dispose();
    }
}
