using SockActors.Model.Bpf;
using SockActors.Model.Maps;

namespace SockActors.Actors.Client;

/// <summary>A BPF object named in sockactors.programs that cannot be used; the message names the map, file and problem.</summary>
/// <param name="message">Names the map, the file and the problem.</param>
/// <param name="inner">The loader's exception, if any.</param>
public sealed class ConfiguredProgramException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Loads the objects of sockactors.programs (one BPF object per map name) and checks each declares that map as a
/// SOCKMAP or SOCKHASH and has one sk_msg program.
/// </summary>
internal static class ConfiguredPrograms
{
    public static IReadOnlyList<(string MapName, BpfObject Object, SockMapBase Map, SkMsgBpfProgram Program)> Load(
        IReadOnlyDictionary<string, string> programs)
    {
        var result = new List<(string, BpfObject, SockMapBase, SkMsgBpfProgram)>();
        foreach (var (mapName, path) in programs.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            BpfObject obj;
            try
            {
                obj = BpfObject.Load(Path.GetFullPath(path));
            }
            catch (Exception e) when (e is BpfLoadException or IOException or UnauthorizedAccessException)
            {
                throw new ConfiguredProgramException($"sockactors.programs.{mapName}: cannot load '{path}': {e.Message}", e);
            }
            if (obj.FindMap(mapName) is not SockMapBase map)
                throw new ConfiguredProgramException(
                    $"sockactors.programs.{mapName}: '{path}' declares no SOCKMAP or SOCKHASH named '{mapName}' (its maps: {string.Join(", ", obj.Maps.Select(m => m.Name))})");
            var sk = obj.SkMsgPrograms.ToList();
            if (sk.Count != 1)
                throw new ConfiguredProgramException($"sockactors.programs.{mapName}: '{path}' has {sk.Count} sk_msg programs; exactly one is needed");
            result.Add((mapName, obj, map, sk[0]));
        }
        return result;
    }
}
