using Akka.Actor;
using SockActors.Model.Net;

namespace SockActors.Actors.Protocol;

// Messages that carry code or model objects and therefore never leave the process. They do not implement
// ISockActorsMessage and opt out of akka.actor.serialize-messages.

/// <summary>Runs <see cref="Call"/> on the socket's model object as a socket call (in turn with the socket's other
/// calls, with the model's waits and redirects carried by the actors). Used by the scenario engine to drive
/// ScenarioTopology. Reply: <see cref="InvokeResult"/>.</summary>
/// <param name="SockId">The socket to run the call on.</param>
/// <param name="Label">The call's name in the trace.</param>
/// <param name="Call">The model call, given the socket's model object; returns the call's return code.</param>
/// <param name="Thread">The user-space thread making the call (<see cref="ISocketCall.Thread"/>; 0 = a thread of its own).</param>
public sealed record InvokeOnSocket(int SockId, string Label, Func<Sock, ValueTask<long>> Call, int Thread = 0) : ISocketCall, INoSerializationVerificationNeeded;

/// <summary>The call's result, or the model's runaway report (the kernel would allocate without end).</summary>
/// <param name="SockId">The socket the call ran on.</param>
/// <param name="Rc">The call's return code (bytes or -errno).</param>
/// <param name="Runaway">The model's runaway report, or null.</param>
public sealed record InvokeResult(int SockId, long Rc, string? Runaway) : INoSerializationVerificationNeeded;

/// <summary>Runs <see cref="Action"/> on the kernel's thread (scenario setup on the model objects). Reply: the object it returns.</summary>
/// <param name="Action">The setup to run, given the kernel's model object.</param>
public sealed record InvokeOnKernel(Func<SimKernel, object> Action) : INoSerializationVerificationNeeded;

/// <summary>An exception from the model inside a resumed continuation, re-thrown in the actor's turn so that
/// supervision sees it.</summary>
internal sealed record ModelFault(Exception Error, string What) : INoSerializationVerificationNeeded;

/// <summary>A simulator bug: the model threw. Names the socket and the message.</summary>
public sealed class SimulatorFaultException(string message, Exception inner) : Exception(message, inner);

/// <summary>Creates a kernel actor around a model kernel made by the caller (scenario engine, benchmarks). Reply: <see cref="KernelCreated"/>.</summary>
/// <param name="Kernel">The model kernel; only the new actor may touch it from now on.</param>
/// <param name="InterleavingSeed">Deterministic mode: seed of the order in which held calls run (0 = arrival order).</param>
public sealed record CreateLocalKernel(SimKernel Kernel, long InterleavingSeed) : INoSerializationVerificationNeeded;

/// <summary>Gives sockets, maps and programs that were made on the model kernel directly (ScenarioTopology.Build)
/// their actors. Reply: <see cref="Adopted"/>.</summary>
/// <param name="Sockets">Sockets of the kernel to give actors.</param>
/// <param name="Maps">Socket maps to give actors.</param>
/// <param name="Programs">SK_MSG programs to give actors.</param>
public sealed record AdoptObjects(IReadOnlyList<Sock> Sockets, IReadOnlyList<Model.Maps.SockMapBase> Maps, IReadOnlyList<Model.Programs.ISkMsgProgram> Programs)
    : INoSerializationVerificationNeeded;

/// <summary>Reply to <see cref="AdoptObjects"/>: the actors given to each object, in the order of the request's lists.</summary>
/// <param name="Sockets">One per adopted socket.</param>
/// <param name="Maps">One per adopted map.</param>
/// <param name="Programs">One per adopted program.</param>
public sealed record Adopted(IReadOnlyList<SocketCreated> Sockets, IReadOnlyList<MapCreated> Maps, IReadOnlyList<ProgramLoaded> Programs)
    : INoSerializationVerificationNeeded;

/// <summary>The model threw while the verdict actor ran call <see cref="CallId"/>'s verdict: the socket actor resumes
/// the send with <see cref="Error"/> (a runaway report is a result; anything else a simulator fault).</summary>
internal sealed record VerdictFailed(long CallId, Exception Error) : INoSerializationVerificationNeeded;
