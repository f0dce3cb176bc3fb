using Akka.Actor;
using Akka.Serialization;
using MessagePack;

namespace SockActors.Cluster;

/// <summary>
/// <see cref="HostEnvelope"/> as MessagePack: [host id, inner serializer id, inner manifest, inner bytes], or for a
/// <see cref="HostMessageBatch"/> [host id, [[serializer id, manifest, bytes], ...]]. The inner
/// message is written by whatever Akka serializer it is bound to (for SockActors messages, the MessagePack
/// SockActorsSerializer), the way Akka's own envelopes nest a payload, so any message a host handles can travel in an
/// envelope and the actor references and page bytes inside it are written as that serializer writes them.
/// </summary>
public sealed class HostEnvelopeSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int SerializerId = 7332;
    private const string EnvelopeManifest = "HE";

    public override int Identifier => SerializerId;

    public override string Manifest(object o) => o is HostEnvelope
        ? EnvelopeManifest
        : throw new ArgumentException($"{nameof(HostEnvelopeSerializer)} cannot serialize {o.GetType().Name}");

    public override byte[] ToBinary(object obj)
    {
        if (obj is not HostEnvelope e) throw new ArgumentException($"{nameof(HostEnvelopeSerializer)} cannot serialize {obj.GetType().Name}");
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        var w = new MessagePackWriter(buffer);
        if (e.Message is HostMessageBatch batch)
        {
            // [host id, [[serializer id, manifest, bytes], ...]]: the packets of a batch, each by its own serializer.
            w.WriteArrayHeader(2);
            w.Write(e.HostId);
            w.WriteArrayHeader(batch.Messages.Count);
            foreach (var m in batch.Messages)
            {
                w.WriteArrayHeader(3);
                WriteInner(ref w, m);
            }
        }
        else
        {
            w.WriteArrayHeader(4);
            w.Write(e.HostId);
            WriteInner(ref w, e.Message);
        }
        w.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private void WriteInner(ref MessagePackWriter w, object message)
    {
        var inner = system.Serialization.FindSerializerFor(message);
        w.Write(inner.Identifier);
        w.Write(Akka.Serialization.Serialization.ManifestFor(inner, message));
        w.Write(inner.ToBinary(message));
    }

    private object ReadInner(ref MessagePackReader r)
    {
        int serializerId = r.ReadInt32();
        string innerManifest = r.ReadString() ?? "";
        var payload = r.ReadBytes() ?? throw new System.Runtime.Serialization.SerializationException("host envelope without a message");
        return system.Serialization.Deserialize(System.Buffers.BuffersExtensions.ToArray(payload), serializerId, innerManifest);
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (manifest != EnvelopeManifest)
            throw new System.Runtime.Serialization.SerializationException($"{nameof(HostEnvelopeSerializer)}: unknown manifest '{manifest}'");
        var r = new MessagePackReader(bytes);
        int n = r.ReadArrayHeader();
        string hostId = r.ReadString() ?? throw new System.Runtime.Serialization.SerializationException("host envelope without a host id");
        if (n == 2)
        {
            int count = r.ReadArrayHeader();
            var messages = new object[count];
            for (int i = 0; i < count; i++)
            {
                if (r.ReadArrayHeader() != 3) throw new System.Runtime.Serialization.SerializationException("host envelope batch: expected 3 fields per message");
                messages[i] = ReadInner(ref r);
            }
            return new HostEnvelope(hostId, new HostMessageBatch(messages));
        }
        if (n != 4) throw new System.Runtime.Serialization.SerializationException($"host envelope: expected 4 fields, got {n}");
        return new HostEnvelope(hostId, ReadInner(ref r));
    }
}
