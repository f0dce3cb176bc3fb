using Akka.Actor;
using SockActors.Actors.Runtime;
using SockActors.Model.Programs;

namespace SockActors.Actors.Actors;

/// <summary>
/// One loaded program instance (a C# program or, later, a BPF object in the VM): it owns the instance for the kernel
/// and answers for it. The program runs inside the send of the socket actor whose psock carries it, on the kernel's
/// thread, as a BPF program runs in the sender's context: the verdict is part of the model's send path and is not
/// re-decided here.
/// </summary>
public sealed class ProgramActor : UntypedActor
{
    private readonly int _id;
    private readonly ISkMsgProgram _program;

    internal ProgramActor(KernelRuntime rt, int id, ISkMsgProgram program)
    {
        _id = id;
        _program = program;
        _ = rt;
    }

    internal static Props Props(KernelRuntime rt, int id, ISkMsgProgram program) =>
        FuncProducer<ProgramActor>.Props(() => new ProgramActor(rt, id, program), rt.Settings.KernelDispatcher);

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case Protocol.GetProgramInfo:
                Sender.Tell(new Protocol.ProgramInfo(_id, _program.Name));
                break;
            default:
                Unhandled(message);
                break;
        }
    }
}
