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
    /// <summary>The serializer id reference.conf registers (akka.actor.serialization-identifiers), fixed so that nodes agree.</summary>
    public const int SerializerId = 7331;

    private static readonly FrozenDictionary<string, Type> Types = typeof(ISockActorsMessage).Assembly.GetTypes()
        .Where(t => typeof(ISockActorsMessage).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false } && t.GetCustomAttribute<MessagePackObjectAttribute>() is not null)
        .ToFrozenDictionary(t => t.Name);

    /// <summary>Messages without data are singletons; they deserialize to their Instance.</summary>
    private static readonly FrozenDictionary<string, object> Singletons = Types.Values
        .Select(t => (t, p: t.GetProperty("Instance", BindingFlags.Public | BindingFlags.Static)))
        .Where(x => x.p is not null && x.p.PropertyType == x.t)
        .ToFrozenDictionary(x => x.t.Name, x => x.p!.GetValue(null)!);

    private readonly MessagePackSerializerOptions _options;

    /// <summary>Called by Akka (or by <see cref="SockActorsExtension"/>): a serializer whose actor refs resolve in
    /// <paramref name="system"/>, and which copies page bytes when the system is remote-capable.</summary>
    public SockActorsSerializer(ExtendedActorSystem system) : base(system)
    {
        var resolver = CompositeResolver.Create(
            new IMessagePackFormatter[] { new ActorRefFormatter(system), new PageFormatter(), new RedirectSegmentsFormatter(system.Provider is not LocalActorRefProvider) },
            new IFormatterResolver[] { StandardResolver.Instance });
        _options = MessagePackSerializerOptions.Standard.WithResolver(resolver).WithSecurity(MessagePackSecurity.UntrustedData);
    }

    /// <summary><see cref="SerializerId"/>.</summary>
    public override int Identifier => SerializerId;

    /// <summary>The message types this serializer knows, by manifest.</summary>
    public static IReadOnlyDictionary<string, Type> MessageTypes => Types;


    /// <summary>The message as MessagePack (its manifest, <see cref="Manifest"/>, is written by Akka beside it).</summary>
    public override byte[] ToBinary(object obj) => MessagePackSerializer.Serialize(obj.GetType(), obj, _options);

    /// <summary>The message of type <paramref name="manifest"/>; the singleton for a message without data. Throws
    /// <see cref="System.Runtime.Serialization.SerializationException"/> for a manifest that names no SockActors message.</summary>
    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (Singletons.TryGetValue(manifest, out var singleton)) return singleton;
        if (!Types.TryGetValue(manifest, out var type))
            throw new System.Runtime.Serialization.SerializationException($"SockActors: unknown message manifest '{manifest}'");
        return MessagePackSerializer.Deserialize(type, bytes, _options)!;
    }

    /// <summary>The message's type name (unique among the library's messages).</summary>
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

    /// <summary>
    /// The model's RedirectSegments: [apply_bytes, [[page, offset, length, bytes or nil], ...]]. In a system that can
    /// reach other nodes (a remote-capable provider) the bytes of each range travel too; a receiver in this process
    /// still resolves the page itself and ignores them, a receiver elsewhere copies them into a page of its own. A
    /// purely local system never copies the bytes, also not for akka.actor.serialize-messages.
    /// </summary>
    private sealed class RedirectSegmentsFormatter(bool canBeRemote) : IMessagePackFormatter<Model.Msg.RedirectSegments?>
    {
        private static readonly PageAllocator ForeignPages = new();

        public void Serialize(ref MessagePackWriter writer, Model.Msg.RedirectSegments? value, MessagePackSerializerOptions options)
        {
            if (value is null)
            {
                writer.WriteNil();
                return;
            }
            writer.WriteArrayHeader(2);
            writer.Write(value.ApplyBytes);
            writer.WriteArrayHeader(value.Segments.Count);
            foreach (var seg in value.Segments)
            {
                writer.WriteArrayHeader(5);
                PageFormatter.Write(ref writer, seg.Page);
                writer.Write(seg.Offset);
                writer.Write(seg.Length);
                writer.Write(seg.EndMark); // the scatterlist end mark travels with the entry (sk_msg_xfer copies it)
                if (canBeRemote)
                {
                    var bytes = new byte[seg.Length];
                    seg.Page.Read(seg.Offset, bytes);
                    writer.Write(bytes);
                }
                else writer.WriteNil();
            }
        }

        public Model.Msg.RedirectSegments? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
        {
            if (reader.TryReadNil()) return null;
            if (reader.ReadArrayHeader() != 2) throw new MessagePackSerializationException("redirect segments: expected 2 fields");
            uint apply = reader.ReadUInt32();
            int n = reader.ReadArrayHeader();
            var list = new Segment[n];
            for (int i = 0; i < n; i++)
            {
                if (reader.ReadArrayHeader() != 5) throw new MessagePackSerializationException("segment: expected 5 fields");
                var page = PageFormatter.Read(ref reader, out int order);
                int offset = reader.ReadInt32();
                int length = reader.ReadInt32();
                bool endMark = reader.ReadBoolean();
                var bytes = reader.ReadBytes();
                if (page is null)
                {
                    if (bytes is null) throw new MessagePackSerializationException("a page of another process arrived without its bytes");
                    // Across nodes the bytes are copied into a page of this process (the kernel would copy too).
                    page = ForeignPages.Alloc(order);
                    page.Write(offset, bytes.Value.FirstSpan.Length == length ? bytes.Value.FirstSpan : bytes.Value.ToArray());
                }
                list[i] = new Segment(page, offset, length, endMark);
            }
            return new Model.Msg.RedirectSegments(list, apply);
        }
    }

    /// <summary>A page as [process id, page id, order]: the same page object in this process, null elsewhere.</summary>
    private sealed class PageFormatter : IMessagePackFormatter<Page?>
    {
        private static readonly byte[] Process = Guid.NewGuid().ToByteArray();

        public static void Write(ref MessagePackWriter writer, Page page)
        {
            writer.WriteArrayHeader(3);
            writer.Write(Process);
            writer.Write(LocalObjects.IdOf(page));
            writer.Write(page.Order);
        }

        public static Page? Read(ref MessagePackReader reader, out int order)
        {
            int n = reader.ReadArrayHeader();
            if (n != 3) throw new MessagePackSerializationException($"page: expected 3 fields, got {n}");
            var process = reader.ReadBytes()!.Value;
            bool local = process.IsSingleSegment && process.FirstSpan.SequenceEqual(Process);
            long id = reader.ReadInt64();
            order = reader.ReadInt32();
            return local ? LocalObjects.PageOf(id) : null;
        }

        public void Serialize(ref MessagePackWriter writer, Page? value, MessagePackSerializerOptions options)
        {
            if (value is null) writer.WriteNil();
            else Write(ref writer, value);
        }

        public Page? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options) =>
            reader.TryReadNil() ? null : Read(ref reader, out _) ?? throw new MessagePackSerializationException("a page of another process has no bytes here");
    }
}
