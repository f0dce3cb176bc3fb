namespace SockActors.Model.Programs;

/// <summary>
/// A BPF_PROG_TYPE_SK_MSG program: run by the send path once per chunk (sk_psock_msg_verdict). The return value is
/// the program's r0: SK_PASS (1) passes or, after a successful redirect helper, redirects; anything else drops.
/// Implementations written in C# must be deterministic: use the context's clock and random source, never the machine's.
/// </summary>
public interface ISkMsgProgram
{
    /// <summary>A name for traces and errors (the ELF section/function name for loaded objects).</summary>
    string Name { get; }

    /// <summary>Runs the program once on the current chunk.</summary>
    int Run(ISkMsgContext ctx);
}
