using SockActors.Model.Maps;
using SockActors.Model.Net;
using SockActors.Model.Programs;

namespace SockActors.Model.Msg;

/// <summary>sk_psock_msg_verdict and sk_psock_map_verd (net/core/skmsg.c).</summary>
public static class SkPsockVerdict
{
    /// <summary>
    /// Runs the psock's msg program on <paramref name="msg"/>: data pointers computed, msg->sk set; SK_PASS with a
    /// chosen redirect target becomes REDIRECT, SK_PASS alone PASS, anything else DROP. psock->apply_bytes is always
    /// overwritten from msg->apply_bytes (stale in a reused cork message). A redirect caches the target.
    /// </summary>
    public static SkVerdict Run(Sock sk, SkPsock psock, SkMsg msg)
    {
        var prog = psock.Progs.MsgParser;
        if (prog is null) return SkVerdict.Pass;

        msg.ComputeDataPointers();
        msg.Sk = sk;
        int rc;
        try
        {
            rc = prog.Run(sk.ProgramContext(msg));
        }
        catch (ProgramFaultException e)
        {
            // A program the kernel's verifier would refuse (a helper used on the wrong map type, or one the profile's
            // kernel lacks): the model keeps running and drops the message. A BPF VM fault is handled the same way
            // by SkMsgBpfProgram. Any other exception (a C# program's assertion, a simulator bug) is not a verdict:
            // it propagates, so that a test whose program asserts fails instead of seeing a DROP.
            sk.Kernel.EmitTrace($"{sk.Name}: program '{prog.Name}' faulted, verdict SK_DROP: {e.Message}");
            rc = SkAction.Drop;
        }

        // 4.17 (kernel/bpf/sockmap.c smap_do_tx_msg / do_msg_redirect_map): the helper only recorded map and key; the
        // target is looked up now, and a missing one turns the verdict into DROP.
        if (!sk.Kernel.Profile.RedirectLookupInHelper && msg.RedirMap is not null && rc == SkAction.Pass)
        {
            msg.SkRedir = SockMapRedirect.LookupAfterProgram(msg);
            if (msg.SkRedir is null) rc = SkAction.Drop;
        }

        var ret = MapVerdict(rc, msg.SkRedir is not null);
        psock.ApplyBytes = msg.ApplyBytes;
        if (ret == SkVerdict.Redirect)
        {
            psock.SkRedir = null;
            if (msg.SkRedir is null)
            {
                sk.Kernel.EmitProgramRan(sk, msg, SkVerdict.Drop, psock);
                return SkVerdict.Drop;
            }
            psock.RedirIngress = (msg.Flags & BpfRedirectFlags.Ingress) != 0;
            psock.SkRedir = msg.SkRedir;
        }
        sk.Kernel.EmitProgramRan(sk, msg, ret, psock);
        return ret;
    }

    /// <summary>sk_psock_map_verd</summary>
    public static SkVerdict MapVerdict(int verdict, bool redir) => verdict switch
    {
        SkAction.Pass => redir ? SkVerdict.Redirect : SkVerdict.Pass,
        _ => SkVerdict.Drop,
    };
}
