using SockActors.Model.Maps;

namespace SockActors.Model.Bpf;

/// <summary>
/// A loaded BPF program of any type: its linked, decoded code (the program's function followed by the .text
/// subprograms it may call) and the object's maps. Only SK_MSG programs can run in the simulation
/// (<see cref="SkMsgBpfProgram"/>); others are loaded so an object with several program types is accepted.
/// </summary>
public class BpfProgram
{
    private readonly string[] _originSection;
    private readonly int[] _originIndex;

    internal BpfProgram(string name, string sectionName, BpfVm vm, string[] originSection, int[] originIndex, IReadOnlyList<BpfMap> maps)
    {
        Name = name;
        SectionName = sectionName;
        Vm = vm;
        _originSection = originSection;
        _originIndex = originIndex;
        Maps = maps;
    }

    internal BpfVm Vm { get; }

    /// <summary>The function (symbol) name.</summary>
    public string Name { get; }

    /// <summary>The ELF section the program came from, e.g. "sk_msg" or "sk_skb/stream_verdict".</summary>
    public string SectionName { get; }

    /// <summary>The libbpf program kind: the section name up to the first '/' ("sk_msg", "xdp", "tc", ...).</summary>
    public string Kind => SectionName.Split('/')[0];

    /// <summary>Instruction slots in the linked image (LD_IMM64 counts twice).</summary>
    public int InstructionCount => _originIndex.Length;

    /// <summary>The object's maps, indexed like the map handles in the code.</summary>
    public IReadOnlyList<BpfMap> Maps { get; }

    /// <summary>"sk_msg+12" style location of an instruction of the linked image.</summary>
    public string Location(int index) =>
        index >= 0 && index < _originIndex.Length ? $"{_originSection[index]}+{_originIndex[index]}" : $"end of program (+{index})";

    /// <summary>One line: kind, name, instruction count and ELF section.</summary>
    public override string ToString() => $"{Kind} program '{Name}' ({InstructionCount} instructions, section '{SectionName}')";
}
