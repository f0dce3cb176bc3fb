using Akka.TestKit;
using SockActors.Actors.Client;
using SockActors.Actors.Protocol;

namespace SockActors.TestKit;

/// <summary>Assertions over verdict events (<see cref="ProgramRunEvent"/>) a probe subscribed with
/// <see cref="SimulatedHost.SubscribeVerdictsAsync"/> or <see cref="SockActorsTestKit"/>'s SubscribeVerdictsAsync.</summary>
public static class TestProbeVerdictExtensions
{
    /// <summary>The next program run: fails unless its verdict is <paramref name="verdict"/> ("pass", "drop",
    /// "redirect"), and, where given, it ran for <paramref name="from"/>, saw <paramref name="size"/> bytes and
    /// redirected to <paramref name="to"/>.</summary>
    public static ProgramRunEvent ExpectVerdict(this TestProbe probe, string verdict, SocketHandle? from = null, uint? size = null,
        SocketHandle? to = null, TimeSpan? timeout = null)
    {
        var e = probe.ExpectMsg<ProgramRunEvent>(timeout);
        string? problem =
            e.Verdict != verdict ? $"verdict {e.Verdict}, expected {verdict}" :
            from is not null && e.SockId != from.Id ? $"ran for socket {e.Sock}#{e.SockId}, expected {from}" :
            size is { } s && e.Size != s ? $"saw {e.Size} bytes, expected {s}" :
            to is not null && e.RedirectSockId != to.Id ? $"redirected to socket {e.RedirectSockId}, expected {to}" :
            null;
        if (problem is not null) throw new SockActorsAssertionException($"program run {e.RunIndex} on {e.Sock}: {problem}");
        return e;
    }
}
