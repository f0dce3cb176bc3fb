using SockActors.Model.Maps;

namespace SockActors.Model.Bpf;

/// <summary>
/// A BPF ELF object loaded into the simulation, as libbpf's bpf_object__open + load would: its maps created (user
/// maps from ".maps"/"maps", global data as one-entry array maps named after their section) and every program
/// linked and decoded. Loading refuses anything the simulation cannot run faithfully with a <see cref="BpfLoadException"/>.
/// </summary>
public sealed class BpfObject
{
    internal BpfObject(string name, IReadOnlyList<BpfMap> maps, IReadOnlyList<BpfProgram> programs)
    {
        Name = name;
        Maps = maps;
        Programs = programs;
    }

    /// <summary>The file name (or the name given for an in-memory image).</summary>
    public string Name { get; }

    /// <summary>All maps, in creation order (declared maps first, then .data/.rodata/.bss).</summary>
    public IReadOnlyList<BpfMap> Maps { get; }

    /// <summary>All programs of all program sections.</summary>
    public IReadOnlyList<BpfProgram> Programs { get; }

    /// <summary>The programs of "sk_msg" sections.</summary>
    public IEnumerable<SkMsgBpfProgram> SkMsgPrograms => Programs.OfType<SkMsgBpfProgram>();

    /// <summary>Loads an object file.</summary>
    public static BpfObject Load(string path) => Load(File.ReadAllBytes(path), Path.GetFileName(path));

    /// <summary>Loads an object image.</summary>
    public static BpfObject Load(byte[] image, string name = "<memory>") => BpfObjectLoader.Load(image, name);

    /// <summary>The map named <paramref name="name"/> (as the object's BTF/section names it), or null.</summary>
    public BpfMap? FindMap(string name) => Maps.FirstOrDefault(m => m.Name == name);

    /// <summary>The map named <paramref name="name"/>; throws <see cref="KeyNotFoundException"/> listing the object's maps.</summary>
    public BpfMap GetMap(string name) => FindMap(name)
        ?? throw new KeyNotFoundException($"{Name}: no map '{name}' (maps: {string.Join(", ", Maps.Select(m => m.Name))})");

    /// <summary>The program named <paramref name="name"/> (its function name); throws <see cref="KeyNotFoundException"/> listing the object's programs.</summary>
    public BpfProgram GetProgram(string name) => Programs.FirstOrDefault(p => p.Name == name)
        ?? throw new KeyNotFoundException($"{Name}: no program '{name}' (programs: {string.Join(", ", Programs.Select(p => p.Name))})");

    /// <summary>The only SK_MSG program, or an error saying how many there are.</summary>
    public SkMsgBpfProgram SingleSkMsgProgram()
    {
        var list = SkMsgPrograms.ToList();
        return list.Count == 1 ? list[0]
            : throw new BpfLoadException($"{Name}: expected exactly one sk_msg program, found {list.Count}" +
                (list.Count > 0 ? $" ({string.Join(", ", list.Select(p => p.Name))})" : ""));
    }
}
