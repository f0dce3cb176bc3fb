using System.Collections.Concurrent;
using SockActors.Model.Bpf;
using SockActors.Model.Maps;
using SockActors.Model.Programs;
using SockActors.Model.Scenarios;

namespace SockActors.Actors.Runtime;

/// <summary>A program made for one kernel: the SK_MSG program, the maps it declares, and its scenario face (cfg_map
/// and trace_map of the conformance contract) when it has one.</summary>
/// <param name="Program">The SK_MSG program.</param>
/// <param name="Maps">The maps it declares.</param>
/// <param name="Scenario">Its scenario face (cfg_map, trace_map), or null.</param>
public sealed record LoadedProgram(ISkMsgProgram Program, IReadOnlyList<BpfMap> Maps, IScenarioProgram? Scenario);

/// <summary>
/// The programs a node can load by reference (<see cref="ProgramSource"/>): a BPF object's bytes are loaded in the BPF
/// VM; a name is looked up among the programs registered on this node. Programs are code and do not travel, so every
/// node registers the same names (the C# scenario program is registered on every node as "sk_msg_scenario").
/// Each load makes a fresh instance with its own maps. Thread-safe: kernels load from their own strands.
/// </summary>
public sealed class ProgramCatalog
{
    private readonly ConcurrentDictionary<string, Func<LoadedProgram>> _named = new(StringComparer.Ordinal);

    /// <summary>A catalog holding the conformance contract's C# scenario program as "sk_msg_scenario".</summary>
    public ProgramCatalog()
    {
        Register(ProgramSource.ScenarioProgramName, () =>
        {
            var p = new ScenarioProgram();
            return new LoadedProgram(p, [p.Map], p);
        });
    }

    /// <summary>Registers (or replaces) a program by name; <paramref name="create"/> makes a fresh instance per load.</summary>
    public void Register(string name, Func<LoadedProgram> create) => _named[name] = create;

    /// <summary>The registered names.</summary>
    public IEnumerable<string> Names => _named.Keys.Order();

    /// <summary>Makes the program <paramref name="source"/> names; a missing name or an object the VM refuses is a
    /// <see cref="ProgramLoadException"/> saying which and why.</summary>
    public LoadedProgram Load(ProgramSource source)
    {
        if (source.ElfImage is { } image)
        {
            BpfObject obj;
            try
            {
                obj = BpfObject.Load(image, source.Name);
            }
            catch (BpfLoadException e)
            {
                throw new ProgramLoadException($"BPF object {source.Name}: {e.Message}");
            }
            IScenarioProgram? scenario = null;
            try
            {
                scenario = new BpfScenarioProgram(obj);
            }
            catch (BpfLoadException)
            {
                // Not a scenario program (no cfg_map / trace_map): an ordinary one.
            }
            ISkMsgProgram program;
            try
            {
                program = scenario?.Program ?? obj.SingleSkMsgProgram();
            }
            catch (BpfLoadException e)
            {
                throw new ProgramLoadException($"BPF object {source.Name}: {e.Message}");
            }
            return new LoadedProgram(program, obj.Maps, scenario);
        }
        if (!_named.TryGetValue(source.Name, out var create))
            throw new ProgramLoadException($"no program '{source.Name}' is registered on this node (registered: {string.Join(", ", Names)})");
        return create();
    }
}

/// <summary>A program reference that cannot be loaded here.</summary>
/// <param name="message">Names the program and why it cannot be loaded.</param>
public sealed class ProgramLoadException(string message) : Exception(message);
