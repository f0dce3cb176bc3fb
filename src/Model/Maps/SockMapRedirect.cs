using SockActors.Model.Msg;
using SockActors.Model.Net;
using SockActors.Model.Programs;

namespace SockActors.Model.Maps;

/// <summary>
/// bpf_msg_redirect_map / bpf_msg_redirect_hash (net/core/sock_map.c). They return SK_PASS or SK_DROP, never an
/// errno: bad flags, an empty key, a LISTEN target and an egress redirect to a non-TCP socket are all SK_DROP.
/// </summary>
public static class SockMapRedirect
{
    /// <summary>sock_map_redirect_allowed: a TCP target must not be listening.</summary>
    private static bool RedirectAllowed(Sock sk) => sk.IsTcp ? sk.State != SockState.Listen : sk.State == SockState.Established;

    /// <summary>bpf_msg_redirect_map: SK_PASS with <paramref name="msg"/>'s target set to the socket at
    /// <paramref name="key"/> (BPF_F_INGRESS in <paramref name="flags"/>: its receive side), else SK_DROP. On 4.17 the lookup
    /// happens after the program (do_msg_redirect_map). Throws <see cref="ProgramFaultException"/> when
    /// <paramref name="map"/> is not a SOCKMAP (the verifier would refuse it).</summary>
    public static long MsgRedirectMap(Sock self, SkMsg msg, BpfMap map, uint key, ulong flags)
    {
        if (map is not SockMap sockMap)
            throw new ProgramFaultException($"bpf_msg_redirect_map needs a SOCKMAP, got {map}");
        if ((flags & ~BpfRedirectFlags.Ingress) != 0) return SkAction.Drop;
        if (!self.Kernel.Profile.RedirectLookupInHelper)
        {
            // 4.17 bpf_msg_redirect_map: record map, key and flags; do_msg_redirect_map looks up after the program.
            msg.RedirMap = sockMap;
            msg.RedirKey = key;
            msg.Flags = (uint)flags;
            return SkAction.Pass;
        }
        return Choose(msg, sockMap.LookupSock(key), flags);
    }

    /// <summary>bpf_msg_redirect_hash: as <see cref="MsgRedirectMap"/>, keyed by <paramref name="key"/>'s bytes; throws
    /// <see cref="ProgramFaultException"/> when <paramref name="map"/> is not a SOCKHASH.</summary>
    public static long MsgRedirectHash(Sock self, SkMsg msg, BpfMap map, ReadOnlySpan<byte> key, ulong flags)
    {
        if (map is not SockHash hash)
            throw new ProgramFaultException($"bpf_msg_redirect_hash needs a SOCKHASH, got {map}");
        if ((flags & ~BpfRedirectFlags.Ingress) != 0) return SkAction.Drop;
        return Choose(msg, hash.LookupSock(key), flags);
    }

    private static long Choose(SkMsg msg, Sock? sk, ulong flags)
    {
        if (sk is null || !RedirectAllowed(sk)) return SkAction.Drop;
        if ((flags & BpfRedirectFlags.Ingress) == 0 && !sk.IsTcp) return SkAction.Drop;
        msg.Flags = (uint)flags;
        msg.SkRedir = sk;
        return SkAction.Pass;
    }

    /// <summary>4.17 do_msg_redirect_map: the target of a recorded map and key, or null (the verdict becomes DROP).</summary>
    public static Sock? LookupAfterProgram(SkMsg msg) => msg.RedirMap is SockMap m ? m.LookupSock(msg.RedirKey) : null;
}
