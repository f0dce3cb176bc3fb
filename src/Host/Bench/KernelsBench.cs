using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.Json;
using SockActors.Actors.Bench;
using SockActors.Host.Configuration;

namespace SockActors.Host.Bench;

/// <summary>
/// `sockactors bench --kernels N`: N independent simulated kernels, each a redirect workload (c1 redirected to p2's
/// egress, read at c2), in one actor system; kernel 1 alone first, then all N at once, and the aggregate sends/s beside
/// kernel 1's as a ratio (ParallelKernelsBench). The kernel dispatcher is sockactors:kernel-dispatcher of the host's
/// configuration (e.g. --set sockactors:kernel-dispatcher=sockactors.dispatchers.kernel-thread), else the library's
/// default (kernel-strand).
/// </summary>
public static class KernelsBench
{
    /// <summary>--kernels [N]: without a value, one kernel per core.</summary>
    public static Option<int?> CreateOption() => new("--kernels")
    {
        Description = "Instead of the engine table: N independent kernels (default one per core) each running a redirect " +
                      "workload at once, aggregate sends/s beside one kernel's",
        Arity = ArgumentArity.ZeroOrOne,
        CustomParser = ParseKernels,
    };

    private static int? ParseKernels(ArgumentResult r)
    {
        if (r.Tokens.Count == 0) return Environment.ProcessorCount;
        string text = r.Tokens[0].Value;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n is < 1 or > 1024)
        {
            r.AddError($"--kernels must be a whole number between 1 and 1024, got '{text}'");
            return null;
        }
        return n;
    }

    public static int Execute(HostSettings settings, int kernels, string? engineName, int? size, bool json, double seconds, HostContext ctx)
    {
        if (engineName is not null && !string.Equals(engineName, "actors", StringComparison.OrdinalIgnoreCase))
            throw new HostException($"--kernels measures the actor runtime; --engine {engineName} cannot be combined with it");
        string? dispatcher = settings.Configuration?["sockactors:kernel-dispatcher"] is { Length: > 0 } d ? d : null;
        int sz = size ?? 64;
        ParallelKernelsResult r;
        try
        {
            r = ParallelKernelsBench.Run(kernels, BenchWorkload.Redirect, sz, TimeSpan.FromSeconds(seconds), dispatcher, BenchEngines.ActorConfig(settings));
        }
        catch (ArgumentException e)
        {
            throw new HostException($"bench --kernels: {e.Message}");
        }
        string load = LoadAverage();
        if (json)
        {
            ctx.Out.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["engine"] = "actors", ["workload"] = "redirect", ["size"] = sz, ["kernels"] = kernels, ["dispatcher"] = r.KernelDispatcher,
                ["cores"] = Environment.ProcessorCount, ["load_average"] = load,
                ["one_kernel_sends_per_s"] = Math.Round(r.OneKernel.SendsPerSecond),
                ["all_kernels_sends_per_s"] = Math.Round(r.AllKernels.SendsPerSecond),
                ["ratio"] = Math.Round(r.Ratio, 3),
                ["one_kernel_cores_busy"] = Math.Round(r.OneKernelCoresBusy, 2),
                ["all_kernels_cores_busy"] = Math.Round(r.AllKernelsCoresBusy, 2),
                ["sends_per_kernel"] = r.SendsPerKernel,
            }));
            return ExitCodes.Ok;
        }
        var o = ctx.Out;
        o.WriteLine($"{"kernels",7} {"size",6}  {"1 kernel sends/s",16}  {"all sends/s",13}  {"per kernel",11}  {"x 1 kernel",10}  {"cores busy",10}");
        o.WriteLine($"{kernels,7} {sz,6}  {r.OneKernel.SendsPerSecond,16:0} {r.AllKernels.SendsPerSecond,14:0}  " +
                    $"{r.AllKernels.SendsPerSecond / kernels,11:0}  {r.Ratio,10:0.00}  {r.OneKernelCoresBusy,4:0.00} -> {r.AllKernelsCoresBusy,0:0.00}");
        o.WriteLine($"redirect workload per kernel (c1 -> p2 egress, read at c2), {seconds:0.###} s per side: kernel 1 alone, then all {kernels} at once, two rounds after a warm-up; " +
                    $"dispatcher {r.KernelDispatcher}; {Environment.ProcessorCount} cores, load average {load} after the run; " +
                    "cores busy: the process's CPU seconds per second, one kernel -> all kernels");
        return ExitCodes.Ok;
    }

    /// <summary>The 1, 5 and 15 minute load averages (Linux /proc/loadavg), or "unknown": other work on the machine
    /// takes cores from the kernels, so a ratio means little without it.</summary>
    private static string LoadAverage()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return parts.Length >= 3 ? $"{parts[0]} {parts[1]} {parts[2]}" : "unknown";
        }
        catch (IOException)
        {
            return "unknown";
        }
        catch (UnauthorizedAccessException)
        {
            return "unknown";
        }
    }
}
