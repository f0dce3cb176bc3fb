using SockActors.Model.Programs;

namespace HostedSockActors;

/// <summary>An SK_MSG program in C#: drops a message that starts with '#', passes every other one.</summary>
public sealed class HashFilterProgram : ISkMsgProgram
{
    private const int SkDrop = 0, SkPass = 1;

    public string Name => "hash_filter";

    public int Run(ISkMsgContext ctx)
    {
        var data = ctx.Data;
        // data == data_end (a message with no directly readable byte) passes, as a BPF program's bounds check would.
        return data.Array is not null && data.Count > 0 && data[0] == (byte)'#' ? SkDrop : SkPass;
    }
}
