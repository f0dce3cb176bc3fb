using SockActors.Model.Bpf;

namespace SockActors.Host.Commands;

/// <summary>Loads a <c>--program FILE.o</c> for the BPF VM; anything wrong with the file is one <see cref="HostException"/> line.</summary>
public static class BpfProgramFile
{
    public static BpfScenarioProgramFactory Load(string path, Action<BpfFault> onFault)
    {
        if (Directory.Exists(path)) throw new HostException($"--program {path}: is a directory, not a BPF object");
        if (!File.Exists(path)) throw new HostException($"--program {path}: no such file");
        try
        {
            return new BpfScenarioProgramFactory(path) { OnFault = onFault };
        }
        catch (BpfLoadException e)
        {
            throw new HostException($"--program {path}: not a usable BPF object: {OneLine(e.Message)}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HostException($"--program {path}: cannot read it: {OneLine(e.Message)}");
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or InvalidOperationException or FormatException or OverflowException)
        {
            // A malformed image the loader did not anticipate (e.g. truncated inside a table): still the file's fault.
            throw new HostException($"--program {path}: not a usable BPF object: malformed ELF ({e.GetType().Name}: {OneLine(e.Message)})");
        }
    }

    private static string OneLine(string s) => s.ReplaceLineEndings(" ");
}
