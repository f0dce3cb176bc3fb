using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using SockActors.Actors.Bench;
using SockActors.Actors.Scenarios;
using SockActors.Model.Scenarios;

if (args.Length > 0 && args[0] == "pingpong")
{
    foreach (var dispatcher in new[] { "kernel-strand", "kernel-thread", "calling-thread" }) PingPong.Run(dispatcher, 3_000_000);
    return;
}
if (args.Length > 0 && args[0] == "serializer")
{
    using var sys = ActorSystem.Create("s", "akka.loglevel = OFF");
    SockActors.Actors.SockActorsExtension.Get(sys);
    var ser = sys.Serialization.FindSerializerForType(typeof(SockActors.Actors.Protocol.RedirectRequest));
    Console.WriteLine(ser.GetType().Name);
    var pages = new SockActors.Model.Memory.PageAllocator();
    var segs = Enumerable.Range(0, 17).Select(i => new SockActors.Model.Memory.Segment(pages.Alloc(3), i, 100)).ToList();
    var msg = new SockActors.Actors.Protocol.RedirectRequest(1, 2, false, new SockActors.Model.Msg.RedirectSegments(segs, 0), 0);
    var sw2 = Stopwatch.StartNew();
    for (int i = 0; i < 100_000; i++)
    {
        var b = ser.ToBinary(msg);
        ((Akka.Serialization.SerializerWithStringManifest)ser).FromBinary(b, "RedirectRequest");
    }
    Console.WriteLine($"{sw2.Elapsed.TotalMilliseconds * 10:F0} ns per round trip of a 17-segment RedirectRequest");
    var small = new SockActors.Actors.Protocol.WakeUp(3);
    sw2.Restart();
    for (int i = 0; i < 100_000; i++) { var b = ser.ToBinary(small); ((Akka.Serialization.SerializerWithStringManifest)ser).FromBinary(b, "WakeUp"); }
    Console.WriteLine($"{sw2.Elapsed.TotalMilliseconds * 10:F0} ns per round trip of WakeUp");
    return;
}
if (args.Length > 0 && args[0] == "scenarios")
{
    // Time of the random-scenario equivalence workload on both engines (serialize-messages as given).
    int n = args.Length > 1 ? int.Parse(args[1]) : 1000;
    bool serialize = args.Length > 2 && args[2] == "serialize";
    var list = new RandomScenarioGenerator(20261125) { ExcludeKernelRunaway = false }.Take(n).ToList();
    var sw = Stopwatch.StartNew();
    foreach (var s in list) { try { ScenarioRunner.Run(s); } catch { } }
    Console.WriteLine($"model: {sw.ElapsedMilliseconds} ms for {n}");
    var cfg = ConfigurationFactory.ParseString($"akka.actor.serialize-messages = {(serialize ? "on" : "off")}\nakka.loglevel = OFF").WithFallback(ActorScenarioEngine.DefaultConfig);
    using var engine = new ActorScenarioEngine(ActorSystem.Create("x", cfg));
    sw.Restart();
    foreach (var s in list) { try { engine.Run(s); } catch { } }
    Console.WriteLine($"actors: {sw.ElapsedMilliseconds} ms for {n} (serialize-messages {serialize})");
    return;
}


// usage: SockActors.Actors.Bench [seconds-per-case=3] [workload=all|pass|redirect|ingress] [size=all|64|65536]
double seconds = args.Length > 0 ? double.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 3;
var workloads = args.Length > 1 && args[1] != "all" ? [Enum.Parse<BenchWorkload>(args[1], true)] : Enum.GetValues<BenchWorkload>();
int[] sizes = args.Length > 2 && args[2] != "all" ? [int.Parse(args[2])] : [64, 65536];
Console.WriteLine($"# {Environment.ProcessorCount} cores, {seconds} s per case, .NET {Environment.Version}");
foreach (var size in sizes)
    Console.WriteLine($"memcpy of {size}-byte blocks: {ActorBench.MemoryCopyMegabytesPerSecond(size, TimeSpan.FromSeconds(1)):N0} MB/s (each send copies once in, the reader once out)");
foreach (var w in workloads)
    foreach (var size in sizes)
        foreach (var r in ActorBench.RunAll(w, size, duration: TimeSpan.FromSeconds(seconds)))
            Console.WriteLine(r);
