using Akka.Actor;
using SockActors.Actors.Protocol;
using SockActors.Actors.Runtime;
using SockActors.Model;
using SockActors.Model.Maps;
using SockActors.Model.Programs;
using SockActors.Model.Scenarios;

namespace SockActors.Actors.Actors;

/// <summary>
/// One loaded program instance: it owns the program and the data maps it declares (arrays, hashes: a BPF object's
/// cfg and trace maps, say). User space reads and writes those maps through this actor, as an operator reconfigures a
/// running program through an array map; it counts the program's runs. The program itself runs inside the send of the
/// socket whose psock carries it, on the kernel's strand, as a BPF program runs in the sender's context; the verdict
/// is the model's and is not re-decided here.
/// </summary>
public sealed class ProgramActor : UntypedActor
{
    private readonly KernelRuntime _rt;
    private readonly int _id;
    private readonly ISkMsgProgram _program;
    private readonly LoadedProgram? _loaded;

    internal ProgramActor(KernelRuntime rt, int id, ISkMsgProgram program, LoadedProgram? loaded)
    {
        _rt = rt;
        _id = id;
        _program = program;
        _loaded = loaded;
        // The VM reports a faulting run during the sender's turn on this kernel's strand; this actor keeps the reports.
        if (loaded?.Program is Model.Bpf.SkMsgBpfProgram bpf)
            bpf.OnFault = f =>
            {
                if (_faults.Count < MaxFaults) _faults.Add(new ProgramFaultInfo(f.Program, f.InstructionIndex, f.Location, f.Message));
            };
    }

    private const int MaxFaults = 100;
    private readonly List<ProgramFaultInfo> _faults = new();

    internal static Props Props(KernelRuntime rt, int id, ISkMsgProgram program, LoadedProgram? loaded = null) =>
        FuncProducer<ProgramActor>.Props(() => new ProgramActor(rt, id, program, loaded), rt.Settings.KernelDispatcher);

    /// <summary>One turn of the program's actor: user-space access to its data maps, its configuration and trace, its stats.</summary>
    protected override void OnReceive(object message)
    {
        bool outer = _rt.Current is null;
        _rt.EnterTurn("program " + _id);
        try
        {
            Handle(message);
        }
        finally
        {
            if (outer) _rt.ExitTurn();
        }
    }

    private void Handle(object message)
    {
        switch (message)
        {
            case GetProgramInfo:
            case GetProgramStats:
                Sender.Tell(new ProgramInfo(_id, _program.Name, (_program as CountingProgram)?.Runs ?? 0));
                break;
            case ProgramMapLookup l:
                if (DataMap(l.Map) is not { } lm) { Sender.Tell(new ProgramMapValue(_id, -Errno.ENOENT, [])); return; }
                if (l.Key.Length != lm.KeySize) { Sender.Tell(new ProgramMapValue(_id, -Errno.EINVAL, [])); return; }
                Sender.Tell(lm.TryLookupValue(l.Key, out var value)
                    ? new ProgramMapValue(_id, 0, value.ToArray())
                    : new ProgramMapValue(_id, -Errno.ENOENT, []));
                break;
            case ProgramMapUpdate u:
                if (DataMap(u.Map) is not { } um) { Sender.Tell(new ProgramResult(_id, -Errno.ENOENT)); return; }
                if (u.Key.Length != um.KeySize || u.Value.Length != um.ValueSize) { Sender.Tell(new ProgramResult(_id, -Errno.EINVAL)); return; }
                Sender.Tell(new ProgramResult(_id, um.UpdateValue(u.Key, u.Value, u.Flags)));
                break;
            case ConfigureScenarioProgram c:
                if (_loaded?.Scenario is not { } sp || c.Config.Length != ProgramSpec.ConfigWords) { Sender.Tell(new ProgramResult(_id, -Errno.EINVAL)); return; }
                sp.Configure(ProgramSpec.FromConfigWords(c.Config));
                Sender.Tell(new ProgramResult(_id, 0));
                break;
            case ReadScenarioTrace:
            {
                if (_loaded?.Scenario is not { } tp) { Sender.Tell(new RequestFailed($"program {_id} ({_program.Name}) is not a scenario program")); return; }
                var (runs, total) = tp.ReadTrace();
                Sender.Tell(new ScenarioTrace(_id, runs.Select(r => new ScenarioRunRow(r.Size, r.Len, r.Apply, r.Cork, r.Pull, r.Push, r.Pop, r.Verdict)).ToArray(), total,
                    _faults.ToArray()));
                break;
            }
            default:
                Unhandled(message);
                break;
        }
    }

    /// <summary>A data map of this program (socket maps belong to their map actors).</summary>
    private BpfMap? DataMap(string name) => _loaded?.Maps.FirstOrDefault(m => m.Name == name && m is not SockMapBase);
}

/// <summary>A program as its actor runs it: the same program, with its runs counted (one increment per run, on the
/// kernel's strand).</summary>
internal sealed class CountingProgram(ISkMsgProgram inner) : ISkMsgProgram
{
    public long Runs;
    public ISkMsgProgram Inner => inner;
    public string Name => inner.Name;

    public int Run(ISkMsgContext ctx)
    {
        Runs++;
        return inner.Run(ctx);
    }
}
