using Akka.Actor;

namespace SockActors.Actors.Client;

/// <summary>A socket of a simulated kernel: its id (the file descriptor of the simulation) and its actor.</summary>
/// <param name="Id">The socket's id in its kernel.</param>
/// <param name="Name">The socket's name in traces.</param>
/// <param name="Actor">The socket's actor.</param>
public sealed record SocketHandle(int Id, string Name, IActorRef Actor)
{
    /// <summary>"name#id", as traces name sockets.</summary>
    public override string ToString() => $"{Name}#{Id}";
}

/// <summary>A sockmap or sockhash and its actor.</summary>
/// <param name="Id">The map's id in its kernel.</param>
/// <param name="Actor">The map's actor.</param>
public sealed record MapHandle(int Id, IActorRef Actor);

/// <summary>A loaded program instance and its actor.</summary>
/// <param name="Id">The program's id in its kernel.</param>
/// <param name="Name">The program's name (its ELF function name, or the C# program's Name).</param>
/// <param name="Actor">The program's actor.</param>
public sealed record ProgramHandle(int Id, string Name, IActorRef Actor);
