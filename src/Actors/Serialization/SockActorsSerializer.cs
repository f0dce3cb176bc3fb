using System.Buffers;
using System.Collections.Frozen;
using System.Reflection;
using Akka.Actor;
using Akka.Serialization;
using MessagePack;
using MessagePack.Formatters;
using MessagePack.Resolvers;
using SockActors.Actors.Protocol;
using SockActors.Actors.Runtime;
using SockActors.Model.Memory;

namespace SockActors.Actors.Serialization;

/// <summary>
/// MessagePack for every <see cref="ISockActorsMessage"/>. The manifest is the message's type name. An
/// <see cref="IActorRef"/> is written as its serialized path; a model <see cref="Page"/> as its process-wide id (the
/// same page object comes out in this process, see <see cref="LocalObjects"/>), and with its bytes when the message is
/// bound for another node, where it is copied into a page of that node.
/// </summary>
public sealed class SockActorsSerializer : SerializerWithStringManifest
{
    public const int SerializerId = 7331;

    private static readonly FrozenDictionary<string, Type> Types = typeof(ISockActorsMessage).Assembly.GetTypes()
        .Where(t => typeof(ISockActorsMessage).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false } && t.GetCustomAttribute<MessagePackObjectAttribute>() is not null)
        .ToFrozenDictionary(t => t.Name);

    private readonly MessagePackSerializerOptions _options;

    public SockActorsSerializer(ExtendedActorSystem system) : base(system)
    {
        var resolver = CompositeResolver.Create(
            new IMessagePackFormatter[] { new ActorRefFormatter(system), new PageFormatter() },
            new IFormatterResolver[] { StandardResolver.Instance });
        _options = MessagePackSerializerOptions.Standard.WithResolver(resolver).WithSecurity(MessagePackSecurity.UntrustedData);
    }

    public override int Identifier => SerializerId;

    /// <summary>The message types this serializer knows, by manifest.</summary>
    public static IReadOnlyDictionary<string, Type> MessageTypes => Types;

    public override byte[] ToBinary(object obj) => MessagePackSerializer.Serialize(obj.GetType(), obj, _options);

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (!Types.TryGetValue(manifest, out var type))
            throw new System.Runtime.Serialization.SerializationException($"SockActors: unknown message manifest '{manifest}'");
        return MessagePackSerializer.Deserialize(type, bytes, _options)!;
    }

    public override string Manifest(object o) => o.GetType().Name;

    private sealed class ActorRefFormatter(ExtendedActorSystem system) : IMessagePackFormatter<IActorRef?>
    {
        public void Serialize(ref MessagePackWriter writer, IActorRef? value, MessagePackSerializerOptions options)
        {
            if (value is null) writer.WriteNil();
            else writer.Write(Akka.Serialization.Serialization.SerializedActorPath(value));
        }

        public IActorRef? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
        {
            if (reader.TryReadNil()) return null;
            return system.Provider.ResolveActorRef(reader.ReadString()!);
        }
    }

    /// <summary>[process id, page id, order, bytes or nil]. The bytes travel only when remoting serializes.</summary>
    private sealed class PageFormatter : IMessagePackFormatter<Page?>
    {
        private static readonly Guid Process = Guid.NewGuid();
        private static readonly PageAllocator ForeignPages = new();

        // Akka sets this thread-static field while remoting serializes a message for another node.
        private static readonly FieldInfo? TransportInformation = typeof(Akka.Serialization.Serialization)
            .GetField("CurrentTransportInformation", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static);

        public void Serialize(ref MessagePackWriter writer, Page? value, MessagePackSerializerOptions options)
        {
            if (value is null)
            {
                writer.WriteNil();
                return;
            }
            bool remote = TransportInformation?.GetValue(null) is not null;
            writer.WriteArrayHeader(4);
            writer.Write(Process.ToByteArray());
            writer.Write(LocalObjects.IdOf(value));
            writer.Write(value.Order);
            if (remote) writer.Write(value.Buffer);
            else writer.WriteNil();
        }

        public Page? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
        {
            if (reader.TryReadNil()) return null;
            int n = reader.ReadArrayHeader();
            if (n != 4) throw new MessagePackSerializationException($"page: expected 4 fields, got {n}");
            var process = new Guid(reader.ReadBytes()!.Value.ToArray<byte>());
            long id = reader.ReadInt64();
            int order = reader.ReadInt32();
            var bytes = reader.ReadBytes();
            if (process == Process && LocalObjects.PageOf(id) is { } local) return local;
            if (bytes is null)
                throw new MessagePackSerializationException($"page {id} of another process arrived without its bytes");
            // Across nodes the bytes are copied into a page of this process (the kernel would copy too).
            var page = ForeignPages.Alloc(order);
            bytes.Value.CopyTo(page.Buffer);
            return page;
        }
    }
}
