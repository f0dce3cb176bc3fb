using Akka.Actor;

namespace SockActors.Actors.Client;

/// <summary>A socket of a simulated kernel: its id (the file descriptor of the simulation) and its actor.</summary>
public sealed record SocketHandle(int Id, string Name, IActorRef Actor)
{
    /// <summary>"name#id", as traces name sockets.</summary>
    public override string ToString() => $"{Name}#{Id}";
}

/// <summary>A sockmap or sockhash and its actor.</summary>
public sealed record MapHandle(int Id, IActorRef Actor);

/// <summary>A loaded program instance and its actor.</summary>
public sealed record ProgramHandle(int Id, string Name, IActorRef Actor);
