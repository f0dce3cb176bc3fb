using Akka.Actor;
using Akka.Configuration;
using SockActors.Actors.Actors;
using SockActors.Actors.Protocol;

namespace SockActors.Actors;

/// <summary>
/// The SockActors extension of an actor system: injects reference.conf as a fallback, reads the settings and starts
/// the kernel manager at /system/sockactors. Get it with <c>system.SockActors()</c> (ActorSystemExtensions) or
/// <c>SockActorsExtension.Get(system)</c>.
/// </summary>
public sealed class SockActorsExtension : IExtension
{
    /// <summary>Called by Akka through <see cref="SockActorsExtensionProvider"/> (use <see cref="Get"/>): injects reference.conf,
    /// binds the MessagePack serializer to <see cref="ISockActorsMessage"/> when the system's configuration did not, and
    /// starts the manager.</summary>
    public SockActorsExtension(ExtendedActorSystem system)
    {
        system.Settings.InjectTopLevelFallback(DefaultConfig());
        Settings = SockActorsSettings.Create(system.Settings.Config);
        // Serialization read its bindings when the system started; a system made without reference.conf (the usual
        // case: the extension is loaded on first use) gets the MessagePack binding here.
        if (system.Serialization.FindSerializerForType(typeof(SendMsg)) is not Serialization.SockActorsSerializer)
        {
            var serializer = new Serialization.SockActorsSerializer(system);
            system.Serialization.AddSerializer("sockactors-messagepack", serializer);
            system.Serialization.AddSerializationMap(typeof(ISockActorsMessage), serializer);
        }
        Links = new Runtime.WireLinks(Settings.WireLink);
        _hostDirectory = LocalHosts;
        Manager = system.SystemActorOf(Runtime.FuncProducer<KernelManagerActor>.Props(() => new KernelManagerActor(Settings, Programs, LocalHosts), Settings.KernelDispatcher), "sockactors");
    }

    private volatile Runtime.IHostDirectory _hostDirectory;

    /// <summary>The kernels this actor system created, by host id (the kernel manager registers them; register kernels
    /// of other actor systems here to reach them over Akka.Remote).</summary>
    public Runtime.LocalHostDirectory LocalHosts { get; } = new();

    /// <summary>How kernels reach other hosts' kernels (docs/wire.md): <see cref="LocalHosts"/> unless replaced, e.g.
    /// by a directory over an Akka.Cluster.Sharding region. Read at every send.</summary>
    public Runtime.IHostDirectory HostDirectory
    {
        get => _hostDirectory;
        set => _hostDirectory = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Latency and bandwidth of the links between hosts (sockactors.wire for pairs without their own).</summary>
    public Runtime.WireLinks Links { get; }

    /// <summary>The sockactors section of the system's configuration, read once when the extension started.</summary>
    public SockActorsSettings Settings { get; }

    /// <summary>The programs this node loads by name (<see cref="Protocol.LoadProgramReference"/>); register C# programs
    /// here under the same name on every node.</summary>
    public Runtime.ProgramCatalog Programs { get; } = new();

    /// <summary>/system/sockactors: answers <see cref="CreateKernel"/>.</summary>
    public IActorRef Manager { get; }

    /// <summary>The library's embedded reference.conf.</summary>
    public static Config DefaultConfig()
    {
        using var s = typeof(SockActorsExtension).Assembly.GetManifestResourceStream("SockActors.Actors.reference.conf")
                      ?? throw new InvalidOperationException("SockActors.Actors.reference.conf is not embedded");
        using var r = new StreamReader(s);
        return ConfigurationFactory.ParseString(r.ReadToEnd());
    }

    /// <summary>The system's extension, created (and the manager started) on first use.</summary>
    public static SockActorsExtension Get(ActorSystem system) => system.WithExtension<SockActorsExtension, SockActorsExtensionProvider>();
}

/// <summary>Akka's factory for <see cref="SockActorsExtension"/> (one instance per actor system).</summary>
public sealed class SockActorsExtensionProvider : ExtensionIdProvider<SockActorsExtension>
{
    /// <summary>Creates the extension for <paramref name="system"/>; Akka calls it once per system.</summary>
    public override SockActorsExtension CreateExtension(ExtendedActorSystem system) => new(system);
}

/// <summary>Entry point as Akka modules spell it: <c>SockActors.Get(system)</c>, which compiles only inside namespace
/// SockActors.Actors (elsewhere the root namespace SockActors wins the name lookup): users write
/// <c>system.SockActors()</c> (ActorSystemExtensions) or <c>SockActorsExtension.Get(system)</c>.</summary>
public static class SockActors
{
    /// <summary>The system's <see cref="SockActorsExtension"/>, as <see cref="SockActorsExtension.Get"/>.</summary>
    public static SockActorsExtension Get(ActorSystem system) => SockActorsExtension.Get(system);
}
