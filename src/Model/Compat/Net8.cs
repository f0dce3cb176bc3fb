// What the net8.0 build of the package needs from .NET 9's base library; the net10.0 build compiles none of this.
#if !NET9_0_OR_GREATER
namespace System.Threading
{
    /// <summary>.NET 9's Lock for net8.0, over Monitor: the compiler turns a lock statement on a Lock into
    /// EnterScope and Dispose.</summary>
    internal sealed class Lock
    {
        private readonly object _monitor = new();

        public Scope EnterScope()
        {
            Monitor.Enter(_monitor);
            return new Scope(_monitor);
        }

        public readonly ref struct Scope(object monitor)
        {
            public void Dispose() => Monitor.Exit(monitor);
        }
    }
}

namespace SockActors.Model.Compat
{
    /// <summary>Span-keyed access to a byte-array-keyed dictionary on net8.0, which has no
    /// Dictionary.AlternateLookup: each call copies the key (net9.0 and later look up the span itself).</summary>
    internal readonly struct SpanKeyLookup(Dictionary<byte[], byte[]> entries)
    {
        public bool TryGetValue(ReadOnlySpan<byte> key, out byte[] value) => entries.TryGetValue(key.ToArray(), out value!);

        public bool Remove(ReadOnlySpan<byte> key) => entries.Remove(key.ToArray());
    }
}
#endif
