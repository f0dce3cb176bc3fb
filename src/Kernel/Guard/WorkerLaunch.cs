using System.Diagnostics;
using System.Globalization;

namespace SockActors.Kernel.Guard;

/// <summary>
/// How to start this assembly as a worker: `dotnet exec --runtimeconfig X SockActors.Kernel.dll --worker ...`. The
/// runtime config is generated next to the compiled BPF object so it works wherever the assembly was copied (a test
/// or CLI output directory need not hold SockActors.Kernel.runtimeconfig.json).
/// </summary>
internal static class WorkerLaunch
{
    public static ProcessStartInfo StartInfo(string objectPath, KernelRunnerOptions options)
    {
        string assembly = typeof(WorkerLaunch).Assembly.Location;
        var psi = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("exec");
        psi.ArgumentList.Add("--runtimeconfig");
        psi.ArgumentList.Add(RuntimeConfig(Path.GetDirectoryName(objectPath)!));
        psi.ArgumentList.Add(assembly);
        psi.ArgumentList.Add(WorkerMain.Flag);
        psi.ArgumentList.Add(objectPath);
        psi.ArgumentList.Add(((long)options.QuietTime.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
        psi.ArgumentList.Add(((long)options.SendTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
        psi.ArgumentList.Add(options.ReadOrder.ToString());
        // The worker starts outside the cgroup; cap its GC heap so its own allocations stay far below the limit.
        psi.Environment["DOTNET_GCHeapHardLimit"] = "0x8000000";
        psi.Environment["DOTNET_gcServer"] = "0";
        psi.Environment["DOTNET_TieredPGO"] = "0";
        return psi;
    }

    private static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host)) return host;
        var self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
        var root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        if (!string.IsNullOrEmpty(root) && File.Exists(Path.Combine(root, "dotnet"))) return Path.Combine(root, "dotnet");
        return "dotnet";
    }

    private static string RuntimeConfig(string dir)
    {
        var v = Environment.Version;
        string path = Path.Combine(dir, $"worker-{v}.runtimeconfig.json");
        if (!File.Exists(path))
        {
            string json = "{\"runtimeOptions\":{\"tfm\":\"net" + v.Major + "." + v.Minor +
                          "\",\"framework\":{\"name\":\"Microsoft.NETCore.App\",\"version\":\"" + v + "\"}}}";
            string tmp = path + "." + Environment.ProcessId + ".tmp";
            File.WriteAllText(tmp, json);
            File.Move(tmp, path, overwrite: true);
        }
        return path;
    }
}
