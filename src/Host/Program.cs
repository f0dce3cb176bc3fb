using System.CommandLine;
using SockActors.Host.Commands;
using SockActors.Host.Engines;

namespace SockActors.Host;

/// <summary>
/// The `sockactors` command line. <see cref="Run(string[], TextReader, TextWriter, TextWriter)"/> is the whole program
/// with its streams passed in, so tests run commands in-process. No stack trace ever reaches the user: a
/// <see cref="HostException"/> (bad input, bad option, bad file) prints one line and exits 2, anything else prints
/// one line "internal error" and exits 1.
/// </summary>
public static class Program
{
    public static int Main(string[] args) => Run(args, Console.In, Console.Out, Console.Error);

    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr) =>
        Run(args, stdin, stdout, stderr, environment: null, engines: null);

    /// <summary>As <see cref="Run(string[], TextReader, TextWriter, TextWriter)"/>, with the environment variables and
    /// the engine registry replaceable (tests).</summary>
    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr,
        IReadOnlyDictionary<string, string>? environment, EngineRegistry? engines)
    {
        try
        {
            var ctx = new HostContext(stdin, stdout, stderr, environment, engines ?? EngineRegistry.Default);
            var root = BuildCommands(ctx);
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0)
            {
                foreach (var error in parse.Errors) stderr.WriteLine($"sockactors: {error.Message}");
                stderr.WriteLine("Try 'sockactors --help'.");
                return ExitCodes.Usage;
            }
            int rc = parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
            stdout.Flush();
            return rc;
        }
        catch (HostException e)
        {
            stdout.Flush();
            stderr.WriteLine($"sockactors: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (Exception e)
        {
            stdout.Flush();
            stderr.WriteLine($"sockactors: internal error: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}");
            return ExitCodes.Failed;
        }
    }

    private static RootCommand BuildCommands(HostContext ctx)
    {
        var common = new CommonOptions();
        var root = new RootCommand("SockActors: a simulator of the Linux sockmap / SK_MSG machinery");
        common.AddTo(root);
        root.Add(ScenarioCommand.Create(common, ctx));
        root.Add(RunCommand.Create(common, ctx));
        root.Add(ExplainCommand.Create(common, ctx));
        root.Add(ConformanceCommand.Create(common, ctx));
        root.Add(BenchCommand.Create(common, ctx));
        root.Add(LoadCommand.Create(common, ctx));
        root.Add(NodeCommand.Create(ctx));
        return root;
    }
}
