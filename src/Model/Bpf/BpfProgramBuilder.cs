using SockActors.Model.Maps;

namespace SockActors.Model.Bpf;

/// <summary>Creates the VM of a program: registers global data regions, resolves LD_IMM64 pseudo values, decodes.</summary>
internal static class BpfProgramBuilder
{
    public static BpfProgram Build(string name, string section, ReadOnlySpan<ulong> slots, string[] originSection, int[] originIndex,
        IReadOnlyList<BpfMap> maps, BpfProgramKind kind, string file)
    {
        var mapArray = maps.ToArray();
        var vm = new BpfVm(mapArray);
        var valueBases = new Dictionary<int, ulong>();
        string Loc(int i) => i < originIndex.Length ? $"{originSection[i]}+{originIndex[i]}" : "end";

        ulong Resolve(byte src, int imm, int nextImm)
        {
            if (imm < 0 || imm >= mapArray.Length)
                throw new BpfLoadException($"{file}: program '{name}': LD_IMM64 refers to map {imm}, but the object has {mapArray.Length} maps");
            var map = mapArray[imm];
            if (src is BpfIsa.PseudoMapFd or BpfIsa.PseudoMapIdx)
                return (ulong)(BpfAddressSpace.MapHandleTag) << 32 | (uint)imm;
            // BPF_PSEUDO_MAP_VALUE: the address of entry 0's value plus an offset (libbpf uses it for global data).
            if (map is not ArrayMap array)
                throw new BpfLoadException($"{file}: program '{name}': a direct value address of map '{map.Name}' needs an array map, not {map.Type}");
            if ((uint)nextImm >= array.ValueSize)
                throw new BpfLoadException($"{file}: program '{name}': offset {nextImm} is outside the value of map '{map.Name}' ({array.ValueSize} bytes)");
            if (!valueBases.TryGetValue(imm, out ulong baseAddress))
            {
                baseAddress = vm.Space.AddStatic(array.Storage, 0, (int)array.ValueSize,
                    array.ReadOnlyForPrograms ? RegionKind.ReadOnly : RegionKind.Memory, array);
                valueBases[imm] = baseAddress;
            }
            return baseAddress + (uint)nextImm;
        }

        vm.Code = BpfDecoder.Decode(name, slots, Resolve, strictHelpers: kind != BpfProgramKind.Other, Loc);
        return kind switch
        {
            BpfProgramKind.SkMsg => new SkMsgBpfProgram(name, section, vm, originSection, originIndex, maps),
            BpfProgramKind.SkSkb => new SkSkbBpfProgram(name, section, vm, originSection, originIndex, maps),
            BpfProgramKind.SockOps => new SockOpsBpfProgram(name, section, vm, originSection, originIndex, maps),
            _ => new BpfProgram(name, section, vm, originSection, originIndex, maps),
        };
    }
}

/// <summary>The program types the simulation runs, from the ELF section name as libbpf (and the 4.17 samples' loader)
/// reads it.</summary>
public enum BpfProgramKind
{
    /// <summary>Any other section: the program loads but does not run.</summary>
    Other,
    /// <summary>BPF_PROG_TYPE_SK_MSG: section "sk_msg", "sk_msg/..." or the 4.17 samples' "sk_msgN".</summary>
    SkMsg,
    /// <summary>BPF_PROG_TYPE_SK_SKB: section "sk_skb", "sk_skb/..." (stream_parser, stream_verdict) or "sk_skbN".</summary>
    SkSkb,
    /// <summary>BPF_PROG_TYPE_SOCK_OPS: section "sockops".</summary>
    SockOps,
}
