using BenchmarkDotNet.Running;
using SockActors.Benchmarks;
using SockActors.Model.Bpf;

// `quick [seconds]`: the fast measurement `sockactors bench` uses; anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "quick")
{
    double seconds = args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2;
    double ips = BpfVmBenchmark.Measure(TimeSpan.FromSeconds(seconds));
    Console.WriteLine($"BPF VM: {ips / 1e6:F1} million instructions/s");
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(BpfVmBenchmarks).Assembly).Run(args);
