using System.Text;
using System.Text.Json;
using SockActors.Model.Scenarios;

namespace SockActors.Kernel.Guard;

/// <summary>
/// The worker's loop: one scenario line in, one result line out ({"name","result"} or {"error"}). It touches the
/// kernel only after reading a line, i.e. after the parent has moved it into the memory cgroup.
/// A line "!alloc N" allocates and touches N MiB of user memory: it exists only to test the guard with tiny limits.
/// </summary>
internal static class WorkerMain
{
    public const string Flag = "--worker";

    public static int Run(string[] args)
    {
        if (args.Length != 5) return Fail("usage: --worker <object> <quiet-ms> <sndtimeo-ms> <sequential|concurrent>");
        string obj = args[1];
        var quiet = TimeSpan.FromMilliseconds(long.Parse(args[2]));
        var sndTimeout = TimeSpan.FromMilliseconds(long.Parse(args[3]));
        var order = Enum.Parse<ReadOrder>(args[4], ignoreCase: true);
        var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = true };
        string? line;
        var keep = new List<byte[]>();
        while ((line = Console.In.ReadLine()) is not null)
        {
            if (line.StartsWith("!alloc ", StringComparison.Ordinal))
            {
                int mb = int.Parse(line[7..]);
                for (int i = 0; i < mb; i++)
                {
                    var b = GC.AllocateUninitializedArray<byte>(1 << 20, pinned: true);
                    Array.Fill(b, (byte)1);
                    keep.Add(b);
                }
                stdout.WriteLine("{\"ok\":true}");
                continue;
            }
            try
            {
                var scenario = ScenarioJson.ParseScenario(line);
                var result = ScenarioExecution.Run(scenario, obj, quiet, sndTimeout, order);
                stdout.WriteLine(ScenarioJson.ResultLine(scenario.Name, result));
            }
            catch (Exception e) when (e is KernelDriverException or ScenarioFormatException)
            {
                stdout.WriteLine(JsonSerializer.Serialize(new Dictionary<string, string> { ["error"] = e.Message }));
            }
        }
        return 0;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 2;
    }
}
