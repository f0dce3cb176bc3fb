using System.Globalization;
using SockActors.Model.Maps;
using SockActors.Model.Programs;

namespace SockActors.Host.Explain;

/// <summary>What a program saw and called in one run, as <see cref="RecordingSkMsgProgram"/> captured it.</summary>
public sealed record ObservedRun(uint Size, IReadOnlyDictionary<string, string> Md, uint Len, IReadOnlyList<ExplainHelperCall> Helpers);

/// <summary>
/// Wraps an SK_MSG program so that each run's sk_msg_md fields and helper calls are recorded, whatever the program
/// is (the C# scenario program, a BPF object on the VM, the matrix's program). <paramref name="onStart"/> runs before
/// the program does, while the psock still shows the state the previous run left; <paramref name="wanted"/> says whether
/// this run is recorded. The program runs unchanged: every
/// member of the context is forwarded, and only the return values are noted.
/// </summary>
public sealed class RecordingSkMsgProgram(ISkMsgProgram inner, Action onStart, Func<bool> wanted, Action<ObservedRun> onRun) : ISkMsgProgram
{
    public string Name => inner.Name;

    public int Run(ISkMsgContext ctx)
    {
        onStart();
        // Past the runs a picture draws, the program runs unobserved (a case can run the program a million times).
        if (!wanted()) return inner.Run(ctx);
        uint size = ctx.Size;
        var md = MdFields(ctx);
        var recording = new RecordingContext(ctx);
        try
        {
            return inner.Run(recording);
        }
        finally
        {
            // A faulting program still ran; the send path turns the fault into SK_DROP after this.
            onRun(new ObservedRun(size, md, (uint)ctx.Data.Count, recording.Calls));
        }
    }

    /// <summary>The sk_msg_md fields in the kernel's names, as the program reads them at its start.</summary>
    private static Dictionary<string, string> MdFields(ISkMsgContext ctx)
    {
        var a = ctx.Addresses;
        var data = ctx.Data;
        var first = data.Array is null ? "" : Convert.ToHexString(data.AsSpan(0, Math.Min(8, data.Count))).ToLowerInvariant();
        return new Dictionary<string, string>
        {
            ["family"] = a.Family == SocketAddresses.AfInet ? "AF_INET (2)" : a.Family == SocketAddresses.AfInet6 ? "AF_INET6 (10)" : a.Family.ToString(CultureInfo.InvariantCulture),
            ["local_ip4"] = Ip4(a.LocalIp4),
            ["remote_ip4"] = Ip4(a.RemoteIp4),
            // remote_port is htonl(port) as loaded; local_port is in host order (filter.c sk_msg_convert_ctx_access).
            ["local_port"] = a.LocalPort.ToString(CultureInfo.InvariantCulture),
            ["remote_port"] = $"{System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(a.RemotePort)} (htonl: 0x{a.RemotePort:x8})",
            ["size"] = ctx.Size.ToString(CultureInfo.InvariantCulture),
            ["data_end - data"] = data.Count.ToString(CultureInfo.InvariantCulture),
            ["data[0..8]"] = first.Length == 0 ? "(none)" : first,
        };
    }

    /// <summary>An IPv4 address as loaded into a u32 from network byte order, printed dotted.</summary>
    private static string Ip4(uint networkOrder) =>
        string.Join('.', BitConverter.GetBytes(networkOrder).Select(b => b.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Forwards every member to the real context and notes each helper call with its return value.</summary>
    private sealed class RecordingContext(ISkMsgContext ctx) : ISkMsgContext
    {
        public BpfMap? Map(string name) => ctx.Map(name);

        public List<ExplainHelperCall> Calls { get; } = new();

        public uint Size => ctx.Size;
        public SocketAddresses Addresses => ctx.Addresses;
        public ArraySegment<byte> Data => ctx.Data;

        public long MsgApplyBytes(uint bytes) => Note("msg_apply_bytes", $"{bytes}", ctx.MsgApplyBytes(bytes));
        public long MsgCorkBytes(uint bytes) => Note("msg_cork_bytes", $"{bytes}", ctx.MsgCorkBytes(bytes));
        public long MsgPullData(uint start, uint end, ulong flags) => Note("msg_pull_data", $"{start}, {end}, {flags}", ctx.MsgPullData(start, end, flags));
        public long MsgPushData(uint start, uint len, ulong flags) => Note("msg_push_data", $"{start}, {len}, {flags}", ctx.MsgPushData(start, len, flags));
        public long MsgPopData(uint start, uint len, ulong flags) => Note("msg_pop_data", $"{start}, {len}, {flags}", ctx.MsgPopData(start, len, flags));

        // The redirect helpers return SK_PASS (1) when a target was chosen and SK_DROP (0) when not.
        public long MsgRedirectMap(BpfMap map, uint key, ulong flags) =>
            Note("msg_redirect_map", $"{map.Name}, {key}, {Flags(flags)}", ctx.MsgRedirectMap(map, key, flags), redirect: true);

        public long MsgRedirectHash(BpfMap map, ReadOnlySpan<byte> key, ulong flags) =>
            Note("msg_redirect_hash", $"{map.Name}, {Convert.ToHexString(key)}, {Flags(flags)}", ctx.MsgRedirectHash(map, key, flags), redirect: true);

        public ulong KtimeGetNs() => ctx.KtimeGetNs();
        public uint GetPrandomU32() => ctx.GetPrandomU32();
        public void TracePrintk(string line) => ctx.TracePrintk(line);

        private static string Flags(ulong flags) => (flags & BpfRedirectFlags.Ingress) != 0 ? "BPF_F_INGRESS" : flags.ToString(CultureInfo.InvariantCulture);

        private long Note(string name, string args, long rc, bool redirect = false)
        {
            Calls.Add(new ExplainHelperCall(name, args, rc, redirect ? rc != SkAction.Pass : rc < 0));
            return rc;
        }
    }
}
