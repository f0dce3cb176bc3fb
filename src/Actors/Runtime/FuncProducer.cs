using Akka.Actor;

namespace SockActors.Actors.Runtime;

/// <summary>Makes actors whose constructors take runtime objects (the kernel's bookkeeping, model objects) that are
/// not public and never cross a process.</summary>
internal sealed class FuncProducer<T>(Func<T> make) : IIndirectActorProducer where T : ActorBase
{
    public ActorBase Produce() => make();
    public Type ActorType => typeof(T);
    public void Release(ActorBase actor) { }

    public static Props Props(Func<T> make, string dispatcher) => Akka.Actor.Props.CreateBy(new FuncProducer<T>(make)).WithDispatcher(dispatcher);
}
