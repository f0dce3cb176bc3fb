namespace SockActors.Model.Msg;

/// <summary>Internal verdicts (include/linux/skmsg.h enum __sk_action).</summary>
public enum SkVerdict
{
    /// <summary>__SK_DROP: free the message.</summary>
    Drop = 0,
    /// <summary>__SK_PASS: send it to the socket's own peer.</summary>
    Pass = 1,
    /// <summary>__SK_REDIRECT: hand it to psock->sk_redir (egress or, with ingress, its ingress_msg).</summary>
    Redirect = 2,
    /// <summary>__SK_NONE: no verdict held: the program runs on the next data (psock->eval before the first run, and reset when
    /// apply_bytes are used up or a cork is complete).</summary>
    None = 3,
}
