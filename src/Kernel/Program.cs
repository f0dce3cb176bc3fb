using SockActors.Kernel.Guard;

namespace SockActors.Kernel;

/// <summary>The assembly's entry point exists only for the guarded worker (see <see cref="WorkerMain"/>).</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == WorkerMain.Flag) return WorkerMain.Run(args);
        Console.Error.WriteLine("SockActors.Kernel is a library; its entry point only serves the guarded kernel worker (--worker).");
        return 2;
    }
}
