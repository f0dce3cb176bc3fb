using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SockActors.Host.Bench;
using SockActors.Host.Configuration;
using SockActors.Kernel;
using SockActors.Kernel.Bench;
using SockActors.Model.Bpf;

namespace SockActors.Host.Commands;

/// <summary>
/// `sockactors bench`: the workloads pass, redirect (egress) and ingress at 64 B and 64 KiB on the model and/or the live
/// kernel, about a second per case; a table with the engines side by side and their ratio to the kernel, or one JSON
/// line per case. The BPF VM's speed (BpfVmBenchmark) is a separate line.
/// </summary>
public static class BenchCommand
{
    /// <summary>--engine (the common option) chooses model, kernel or all; given nowhere on the command line it is all
    /// (the configured engine is not used: it names a scenario engine).</summary>
    public static Command Create(CommonOptions common, HostContext ctx)
    {
        var size = new Option<int?>("--size") { Description = "Only this message size in bytes (default 64 and 65536)" };
        var json = new Option<bool>("--json") { Description = "One JSON line per case: engine, workload, size, count, seconds, sends_per_s, mb_per_s" };
        var seconds = new Option<double>("--seconds") { Description = "Duration of each case (default 1)", DefaultValueFactory = _ => 1.0 };
        var kernels = KernelsBench.CreateOption();
        var command = new Command("bench", "Measure send throughput of the bench workloads on the model and the live kernel") { size, json, seconds, kernels };
        command.SetAction(parse => parse.GetValue(kernels) is { } n
            ? KernelsBench.Execute(common.Settings(parse, ctx), n, parse.GetValue(common.Engine), CheckSize(parse.GetValue(size)), parse.GetValue(json),
                CheckSeconds(parse.GetValue(seconds)), ctx)
            : Execute(common.Settings(parse, ctx), parse.GetValue(common.Engine), parse.GetValue(size), parse.GetValue(json),
                parse.GetValue(seconds), ctx));
        return command;
    }

    public static string WorkloadName(BenchWorkload w) => w switch
    {
        BenchWorkload.Pass => "pass",
        BenchWorkload.RedirectEgress => "redirect",
        _ => "ingress",
    };

    public static int Execute(HostSettings settings, string? engineName, int? size, bool json, double secondsEach, HostContext ctx)
    {
        string which = engineName ?? "all";
        CheckSize(size);
        CheckSeconds(secondsEach);
        var known = BenchEngines.All.Select(e => e.Name).ToList();
        if (which != "all" && !known.Contains(which, StringComparer.OrdinalIgnoreCase))
            throw new HostException($"unknown bench engine '{which}' (known: {string.Join(", ", known)}, all)");
        var engines = new List<(string Name, BenchCase Case)>();
        foreach (var (name, create) in BenchEngines.All)
        {
            if (which != "all" && !string.Equals(which, name, StringComparison.OrdinalIgnoreCase)) continue;
            var (run, unavailable) = create();
            if (string.Equals(name, "actors", StringComparison.Ordinal)) run = BenchEngines.ActorsCase(BenchEngines.ActorConfig(settings));
            if (run is null)
            {
                if (which != "all") throw new HostException($"engine '{name}' is not available here: {unavailable}");
                ctx.Err.WriteLine($"sockactors: bench: engine {name} left out: {unavailable}");
                continue;
            }
            engines.Add((name, run));
        }
        int[] sizes = size is { } s ? [s] : KernelBench.DefaultSizes;
        var duration = TimeSpan.FromSeconds(secondsEach);
        var results = new Dictionary<(string, BenchWorkload, int), BenchResult>();
        foreach (var w in Enum.GetValues<BenchWorkload>())
        {
            foreach (int sz in sizes)
            {
                foreach (var (name, run) in engines)
                {
                    BenchResult r;
                    try
                    {
                        r = run(w, sz, duration, settings.Profile);
                    }
                    catch (Exception e) when (e is KernelDriverException or KernelUnavailableException)
                    {
                        throw new HostException($"bench {name} {WorkloadName(w)} {sz}: {e.Message}");
                    }
                    results[(name, w, sz)] = r;
                    if (json) ctx.Out.WriteLine(JsonLine(name, r));
                }
            }
        }
        double vm = BpfVmBenchmark.Measure(TimeSpan.FromSeconds(Math.Min(1.0, secondsEach)));
        if (json)
        {
            ctx.Out.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["engine"] = "bpf-vm", ["workload"] = "loop", ["instructions_per_s"] = Math.Round(vm),
            }));
            return ExitCodes.Ok;
        }
        PrintTable(engines.Select(e => e.Name).ToList(), sizes, results, ctx.Out);
        ctx.Out.WriteLine($"bpf-vm: {vm / 1e6:0.0} M instructions/s (the simulation's BPF interpreter on a loop program, BpfVmBenchmark)");
        return ExitCodes.Ok;
    }

    private static int? CheckSize(int? size) =>
        size is < 1 or > 16 * 1024 * 1024 ? throw new HostException($"--size must be between 1 and {16 * 1024 * 1024}, got {size}") : size;

    private static double CheckSeconds(double seconds) =>
        seconds is > 0 and <= 60 ? seconds : throw new HostException($"--seconds must be more than 0 and at most 60, got {seconds}");

    private static string JsonLine(string engine, BenchResult r) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["engine"] = engine,
        ["workload"] = WorkloadName(r.Workload),
        ["size"] = r.MessageSize,
        ["count"] = r.Sends,
        ["seconds"] = Math.Round(r.Seconds, 3),
        ["sends_per_s"] = Math.Round(r.SendsPerSecond),
        ["mb_per_s"] = Math.Round(r.MegabytesPerSecond, 1),
    });

    private static void PrintTable(List<string> engines, int[] sizes, Dictionary<(string, BenchWorkload, int), BenchResult> results, TextWriter o)
    {
        bool hasKernel = engines.Contains("kernel");
        var head = new StringBuilder($"{"workload",-9} {"size",7}");
        foreach (var e in engines)
        {
            head.Append($"  {e + " sends/s",16} {e + " MB/s",12}");
            if (hasKernel && e != "kernel") head.Append($" {"x kernel",9}");
        }
        o.WriteLine(head.ToString());
        foreach (var w in Enum.GetValues<BenchWorkload>())
        {
            foreach (int sz in sizes)
            {
                var line = new StringBuilder($"{WorkloadName(w),-9} {sz.ToString(CultureInfo.InvariantCulture),7}");
                results.TryGetValue(("kernel", w, sz), out var k);
                foreach (var e in engines)
                {
                    var r = results[(e, w, sz)];
                    line.Append($"  {r.SendsPerSecond,16:0} {r.MegabytesPerSecond,12:0.0}");
                    if (hasKernel && e != "kernel")
                        line.Append(k is { SendsPerSecond: > 0 } ? $" {r.SendsPerSecond / k.SendsPerSecond,9:0.00}" : $" {"-",9}");
                }
                o.WriteLine(line.ToString());
            }
        }
        o.WriteLine("sends/s: sendmsg calls accepted per second; MB/s: 10^6 bytes per second; x kernel: sends/s relative to the kernel");
    }
}
