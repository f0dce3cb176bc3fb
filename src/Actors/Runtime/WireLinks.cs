using System.Collections.Concurrent;
using SockActors.Model.Net;

namespace SockActors.Actors.Runtime;

/// <summary>
/// The links between simulated hosts of this actor system: latency and bandwidth per direction (from host, to host),
/// with sockactors.wire's link for every pair not set here. Read by every kernel's wire when it sends (kernels run in
/// parallel, so it is thread-safe); changes apply to segments sent afterwards.
/// </summary>
public sealed class WireLinks(TcpLink defaultLink)
{
    private readonly ConcurrentDictionary<(string From, string To), TcpLink> _links = new();

    /// <summary>The link of every pair without its own (sockactors.wire.latency, sockactors.wire.bandwidth).</summary>
    public TcpLink Default { get; set; } = defaultLink.Checked();

    /// <summary>Sets the link from <paramref name="from"/> to <paramref name="to"/> (one direction).</summary>
    public void Set(string from, string to, TcpLink link) => _links[(from, to)] = link.Checked();

    /// <summary>Sets both directions between <paramref name="a"/> and <paramref name="b"/>.</summary>
    public void SetBoth(string a, string b, TcpLink link)
    {
        Set(a, b, link);
        Set(b, a, link);
    }

    /// <summary>The link from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public TcpLink Get(string from, string to) => _links.TryGetValue((from, to), out var l) ? l : Default;
}
