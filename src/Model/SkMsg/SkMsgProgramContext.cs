using SockActors.Model.Maps;
using SockActors.Model.Net;
using SockActors.Model.Programs;

namespace SockActors.Model.Msg;

/// <summary>
/// The program's view of one run (struct sk_msg_md plus the helpers of sk_msg_func_proto), bound to the message and
/// the socket the program runs for. Every helper delegates to the kernel function it models; nothing is decided here.
/// </summary>
public sealed class SkMsgProgramContext : ISkMsgContext
{
    private readonly Sock _sk;
    private SkMsg _msg;

    internal SkMsgProgramContext(Sock sk, SkMsg msg)
    {
        _sk = sk;
        _msg = msg;
    }

    /// <summary>Points the socket's reusable context at the message of the next run (no allocation per run).</summary>
    internal SkMsgProgramContext Bind(SkMsg msg)
    {
        _msg = msg;
        return this;
    }

    /// <inheritdoc/>
    public uint Size => _msg.Size;
    /// <inheritdoc/>
    public SocketAddresses Addresses => _sk.Addresses;
    /// <inheritdoc/>
    public ArraySegment<byte> Data => _msg.DataWindow;

    /// <inheritdoc/>
    public long MsgApplyBytes(uint bytes) => MsgHelpers.ApplyBytes(_msg, bytes);
    /// <inheritdoc/>
    public long MsgCorkBytes(uint bytes) => MsgHelpers.CorkBytes(_msg, bytes);
    /// <inheritdoc/>
    public long MsgPullData(uint start, uint end, ulong flags) => MsgHelpers.PullData(_sk, _msg, start, end, flags);

    /// <inheritdoc/>
    public long MsgPushData(uint start, uint len, ulong flags)
    {
        RequireHelper(_sk.Kernel.Profile.HasPushPop, "bpf_msg_push_data");
        return MsgHelpers.PushData(_sk, _msg, start, len, flags);
    }

    /// <inheritdoc/>
    public long MsgPopData(uint start, uint len, ulong flags)
    {
        RequireHelper(_sk.Kernel.Profile.HasPushPop, "bpf_msg_pop_data");
        return MsgHelpers.PopData(_sk, _msg, start, len, flags);
    }

    /// <inheritdoc/>
    public long MsgRedirectMap(BpfMap map, uint key, ulong flags) => SockMapRedirect.MsgRedirectMap(_sk, _msg, map, key, flags);

    /// <inheritdoc/>
    public BpfMap? Map(string name) => _sk.Kernel.FindMap(name);

    /// <inheritdoc/>
    public long MsgRedirectHash(BpfMap map, ReadOnlySpan<byte> key, ulong flags) => SockMapRedirect.MsgRedirectHash(_sk, _msg, map, key, flags);

    /// <inheritdoc/>
    public ulong KtimeGetNs() => (ulong)_sk.Kernel.NowNs;
    /// <inheritdoc/>
    public uint GetPrandomU32() => _sk.Kernel.NextRandom();
    /// <inheritdoc/>
    public void TracePrintk(string line) => _sk.Kernel.EmitTrace(line);

    private void RequireHelper(bool available, string helper)
    {
        if (!available)
            throw new ProgramFaultException($"{helper} does not exist in {_sk.Kernel.Profile.Name}: the kernel would refuse to load this program");
    }
}

/// <summary>A program did something the kernel would not let it do (or a C# program threw); its run becomes SK_DROP.</summary>
/// <param name="message">What the program did wrong.</param>
/// <param name="inner">The exception a C# program threw, if any.</param>
public sealed class ProgramFaultException(string message, Exception? inner = null) : Exception(message, inner);
