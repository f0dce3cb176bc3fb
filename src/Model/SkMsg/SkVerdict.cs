namespace SockActors.Model.Msg;

/// <summary>Internal verdicts (include/linux/skmsg.h enum __sk_action).</summary>
public enum SkVerdict
{
    Drop = 0,
    Pass = 1,
    Redirect = 2,
    None = 3,
}
