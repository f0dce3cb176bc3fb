using Akka.Actor;
using Akka.Serialization;
using Akka.TestKit.Xunit2;
using SockActors.Actors.Protocol;
using SockActors.Actors.Serialization;
using SockActors.Model.Memory;
using SockActors.Model.Msg;

namespace SockActors.Actors.Tests;

/// <summary>Every protocol message round-trips through the MessagePack serializer that reference.conf binds.</summary>
public sealed class SerializationTests() : TestKit(TestConfig.Create())
{
    private readonly PageAllocator _pages = new();

    private object? Sample(Type t, int salt)
    {
        if (t == typeof(int)) return 7 + salt;
        if (t == typeof(long)) return -11L - salt;
        if (t == typeof(uint)) return 5u + (uint)salt;
        if (t == typeof(ulong)) return 9ul;
        if (t == typeof(ushort)) return (ushort)4242;
        if (t == typeof(bool)) return true;
        if (t == typeof(string)) return $"s{salt}";
        if (t == typeof(byte[])) return new byte[] { 1, 2, (byte)salt };
        if (t == typeof(string[])) return new[] { "a", "b" };
        if (t == typeof(IActorRef)) return TestActor;
        if (t.IsEnum) return Enum.GetValues(t).GetValue(Enum.GetValues(t).Length - 1);
        if (t == typeof(MapSlot[])) return new[] { new MapSlot([0, 0, 0, 1], 3), new MapSlot([2, 0, 0, 0], 4) };
        if (t == typeof(RedirectSegments))
        {
            var p1 = _pages.Alloc(3);
            var p2 = _pages.Alloc(0);
            return new RedirectSegments([new Segment(p1, 100, 200), new Segment(p2, 0, 4096)], 150);
        }
        if (t.IsArray)
        {
            // Arrays of records or numbers: two elements, each a sample of its own.
            var elem = t.GetElementType()!;
            var a = Array.CreateInstance(elem, 2);
            for (int i = 0; i < 2; i++) a.SetValue(Sample(elem, salt + i), i);
            return a;
        }
        if (t.GetCustomAttributes(typeof(MessagePack.MessagePackObjectAttribute), false).Length > 0) return Make(t);
        throw new InvalidOperationException($"no sample for {t}");
    }

    private object Make(Type type)
    {
        var ctor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var args = ctor.GetParameters().Select((p, i) => Sample(p.ParameterType, i)).ToArray();
        return ctor.Invoke(args);
    }

    [Fact]
    public void Every_message_type_round_trips()
    {
        Assert.True(SockActorsSerializer.MessageTypes.Count >= 40, $"{SockActorsSerializer.MessageTypes.Count} message types");
        foreach (var type in SockActorsSerializer.MessageTypes.Values)
        {
            var msg = Make(type);
            var serializer = Sys.Serialization.FindSerializerFor(msg);
            Assert.IsType<SockActorsSerializer>(serializer);
            var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, msg);
            var bytes = serializer.ToBinary(msg);
            var back = Sys.Serialization.Deserialize(bytes, serializer.Identifier, manifest);
            Assert.IsType(type, back);
            // Structural equality where the record has it; byte-identical re-serialization for records with arrays.
            Assert.Equal(bytes, serializer.ToBinary(back));
            if (msg is RedirectRequest r)
            {
                var b = (RedirectRequest)back;
                // The same page objects come back in this process: reference counts stay the model's.
                for (int i = 0; i < r.Segments.Segments.Count; i++)
                    Assert.Same(r.Segments.Segments[i].Page, b.Segments.Segments[i].Page);
                Assert.Equal(r.Segments.ApplyBytes, b.Segments.ApplyBytes);
            }
        }
    }

    [Fact]
    public void Every_message_type_is_known_to_the_serializer()
    {
        var all = typeof(ISockActorsMessage).Assembly.GetTypes()
            .Where(t => typeof(ISockActorsMessage).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false })
            // Local-only calls that carry code (InvokeOnSocket) opt out of serialization.
            .Where(t => !typeof(INoSerializationVerificationNeeded).IsAssignableFrom(t));
        Assert.All(all, t => Assert.Contains(t.Name, SockActorsSerializer.MessageTypes.Keys));
    }

    [Fact]
    public void The_extension_reads_every_reference_conf_key()
    {
        var s = SockActorsSettings.Create(Sys);
        Assert.True(s.Deterministic);
        Assert.Equal("sockactors.dispatchers.calling-thread", s.KernelDispatcher);
        Assert.Equal("linux-6.18", s.Profile);
        Assert.False(s.SchedulerClock);
        Assert.Equal(100_000, s.TraceLimit);
        Assert.Same(SockActors.Get(Sys), SockActorsExtension.Get(Sys));
    }
}
