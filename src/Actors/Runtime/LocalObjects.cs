using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using SockActors.Model.Memory;

namespace SockActors.Actors.Runtime;

/// <summary>
/// Process-wide registries that let messages refer to objects that must stay the same object inside one process:
/// model pages (their reference counts decide when a page frag is reused, so a redirect must hand the target the
/// sender's page, not a copy) and program instances (code, which does not cross nodes). The serializer writes a
/// registered object as its id, the way Akka writes an IActorRef as its path.
/// </summary>
public static class LocalObjects
{
    private static long _next;
    private static readonly ConditionalWeakTable<Page, StrongBox<long>> PageIds = new();
    private static readonly ConcurrentDictionary<long, WeakReference<Page>> Pages = new();
    private static readonly ConcurrentDictionary<long, object> Objects = new();

    /// <summary>The process-wide id of <paramref name="page"/> (stable for the page object's lifetime).</summary>
    public static long IdOf(Page page)
    {
        var box = PageIds.GetValue(page, p =>
        {
            long id = Interlocked.Increment(ref _next);
            Pages[id] = new WeakReference<Page>(p);
            if ((id & 0xFFFF) == 0) PurgeDeadPages();
            return new StrongBox<long>(id);
        });
        return box.Value;
    }

    /// <summary>The page registered under <paramref name="id"/>, or null when it is not in this process.</summary>
    public static Page? PageOf(long id) => Pages.TryGetValue(id, out var w) && w.TryGetTarget(out var p) ? p : null;

    private static void PurgeDeadPages()
    {
        foreach (var kv in Pages)
            if (!kv.Value.TryGetTarget(out _)) Pages.TryRemove(kv.Key, out _);
    }

    /// <summary>Registers an object (a program instance, a scenario factory) and returns its handle.</summary>
    public static long Register(object o)
    {
        long id = Interlocked.Increment(ref _next);
        Objects[id] = o;
        return id;
    }

    /// <summary>The object registered under <paramref name="handle"/>. Throws <see cref="InvalidOperationException"/> when
    /// there is none of type <typeparamref name="T"/> in this process (a handle from another node, or unregistered).</summary>
    public static T Resolve<T>(long handle) where T : class =>
        Objects.TryGetValue(handle, out var o) && o is T t
            ? t
            : throw new InvalidOperationException($"no local object of type {typeof(T).Name} with handle {handle} in this process");

    /// <summary>Forgets the object of <paramref name="handle"/> (no-op when there is none), so the registry does not keep it alive.</summary>
    public static void Unregister(long handle) => Objects.TryRemove(handle, out _);
}
