using SockActors.Model.Memory;

namespace SockActors.Model.Msg;

/// <summary>
/// What a redirect hands to its target: the front elements of the sender's message as (page, offset, length)
/// ranges, up to the apply window. The target takes its own page references; the sender then drops the bytes the
/// target took (<see cref="SkMsgOps.ConsumeFront"/>). Immutable, so an actor runtime can carry it in a message.
/// </summary>
/// <param name="Segments">The message's page ranges from sg.start, in order.</param>
/// <param name="ApplyBytes">The apply window: the target takes at most this many bytes (0 = all).</param>
public sealed record RedirectSegments(IReadOnlyList<Segment> Segments, uint ApplyBytes)
{
    /// <summary>The ranges of <paramref name="msg"/> from sg.start to sg.end, in order.</summary>
    public static RedirectSegments From(SkMsg msg, uint applyBytes)
    {
        int n = 0;
        for (int i = msg.Start; i != msg.End; i = SkMsg.Next(i))
            if (msg.Data[i].Page is not null) n++;
        var segments = new Segment[n];
        n = 0;
        for (int i = msg.Start; i != msg.End; i = SkMsg.Next(i))
        {
            ref var e = ref msg.Data[i];
            if (e.Page is not null) segments[n++] = new Segment(e.Page, e.Offset, e.Length, e.EndMark);
        }
        return new RedirectSegments(segments, applyBytes);
    }
}

/// <summary>The target's answer: 0 or -errno, and how many bytes it took from the front of the message.</summary>
/// <param name="Ret">0, or -errno (tcp_bpf_sendmsg_redir's / bpf_tcp_ingress's return).</param>
/// <param name="Sent">Bytes the target took from the front of the message.</param>
public readonly record struct RedirectOutcome(int Ret, uint Sent);
