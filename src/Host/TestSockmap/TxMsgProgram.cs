using SockActors.Model.Maps;
using SockActors.Model.Programs;

namespace SockActors.Host.TestSockmap;

/// <summary>
/// The SK_MSG programs of test_sockmap (tools/testing/selftests/bpf/progs/test_sockmap_kern.h), in C#:
/// bpf_prog4 (pass), bpf_prog6 (redirect), bpf_prog10 (drop). All three read their array maps and call, in this
/// order, apply_bytes, cork_bytes, pull_data (result ignored; (0,0) gives -EINVAL, ignored), push_data (an error ends
/// the run: SK_DROP in prog4/prog6, SK_PASS in prog10) and pop_data (result ignored); array-map lookups never fail,
/// so every helper is called on every run, with 0 where an option is unset.
/// The original series' programs (samples/sockmap/sockmap_kern.c, Linux 4.17) had no push/pop: with
/// <see cref="CallsPushPop"/> false the program is that one.
/// </summary>
public sealed class TxMsgProgram(TxMsgOptions options, SockMap redirectMap, bool callsPushPop) : ISkMsgProgram
{
    /// <summary>test_sockmap redirects ingress to sock_map_redir[2] (p2), egress to [0] (c2).</summary>
    public const uint EgressKey = 0, IngressKey = 2;

    public string Name => options.Program switch
    {
        TxMsgProgramKind.Pass => "bpf_prog4",
        TxMsgProgramKind.Redirect => "bpf_prog6",
        _ => "bpf_prog10",
    };

    public bool CallsPushPop => callsPushPop;

    /// <summary>How many times the program ran.</summary>
    public long Runs { get; private set; }

    public int Run(ISkMsgContext ctx)
    {
        Runs++;
        ctx.MsgApplyBytes(options.Apply);
        ctx.MsgCorkBytes(options.Cork);
        ctx.MsgPullData(options.PullStart, options.PullEnd, 0);
        if (callsPushPop)
        {
            // test_sockmap_kern.h: "if (start_push && end_push)" tests the map value pointers, which are never
            // NULL, so push_data always runs; with len 0 it returns 0 and changes nothing.
            long err = ctx.MsgPushData(options.PushStart, options.PushLen, 0);
            if (err != 0) return options.Program == TxMsgProgramKind.Drop ? SkAction.Pass : SkAction.Drop;
            ctx.MsgPopData(options.PopStart, options.PopLen, 0);
        }
        return options.Program switch
        {
            TxMsgProgramKind.Pass => SkAction.Pass,
            TxMsgProgramKind.Drop => SkAction.Drop,
            _ => (int)ctx.MsgRedirectMap(redirectMap, options.Ingress ? IngressKey : EgressKey,
                                         options.Ingress ? BpfRedirectFlags.Ingress : 0),
        };
    }
}
