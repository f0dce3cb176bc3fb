using Akka.Actor;
using Akka.Serialization;
using MessagePack;

namespace SockActors.Cluster;

/// <summary>
/// <see cref="HostEnvelope"/> as MessagePack: [host id, inner serializer id, inner manifest, inner bytes]. The inner
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
        var inner = system.Serialization.FindSerializerFor(e.Message);
        var payload = inner.ToBinary(e.Message);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(payload.Length + e.HostId.Length + 64);
        var w = new MessagePackWriter(buffer);
        w.WriteArrayHeader(4);
        w.Write(e.HostId);
        w.Write(inner.Identifier);
        w.Write(Akka.Serialization.Serialization.ManifestFor(inner, e.Message));
        w.Write(payload);
        w.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (manifest != EnvelopeManifest)
            throw new System.Runtime.Serialization.SerializationException($"{nameof(HostEnvelopeSerializer)}: unknown manifest '{manifest}'");
        var r = new MessagePackReader(bytes);
        int n = r.ReadArrayHeader();
        if (n != 4) throw new System.Runtime.Serialization.SerializationException($"host envelope: expected 4 fields, got {n}");
        string hostId = r.ReadString() ?? throw new System.Runtime.Serialization.SerializationException("host envelope without a host id");
        int serializerId = r.ReadInt32();
        string innerManifest = r.ReadString() ?? "";
        var payload = r.ReadBytes() ?? throw new System.Runtime.Serialization.SerializationException("host envelope without a message");
        return new HostEnvelope(hostId, system.Serialization.Deserialize(System.Buffers.BuffersExtensions.ToArray(payload), serializerId, innerManifest));
    }
}
