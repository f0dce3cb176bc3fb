namespace SockActors.Model.Scenarios;

/// <summary>
/// Scenario templates for <see cref="RandomScenarioGenerator.ReceiveHalf"/>: the receive half of sockmap
/// (conformance/CONTRACT.md, "The receive half"). Parsers that frame messages across sends (fixed frames shorter and
/// longer than the sends, skb->len), verdicts without a parser (stream verdict and skb verdict), every verdict (pass,
/// drop, drop_every, redirect to p2's egress, to the ingress of p2, of p1 itself and of the empty key 3), SK_MSG
/// redirects into the receive half (to the egress of c1 or p1, so c1's verdict runs), and SOCK_OPS filling the map.
/// Kept away from the kernel's timing edges: at most 64 KiB in all (no send waits for a closed window); frames of at
/// most 48 KiB; one send where the verdict redirects to an egress (the psock backlog is a work item: whether it has
/// sent and freed an skb before c1's next send decides whether c1's page-frag page is reused from offset 0, which moves
/// the 4 KiB frag boundaries p2's SK_MSG runs follow); no SK_MSG drop_every where p2's SK_MSG program also runs (its
/// run index would depend on the backlog's scheduling); and no scenario whose bytes would go round the two halves for
/// ever (<see cref="Scenario.BouncesForEver"/>).
/// </summary>
public static class RandomReceiveHalf
{
    private const int MaxTotalBytes = 64 * 1024;

    /// <summary>Draws one receive-half scenario named <paramref name="name"/> from <paramref name="rng"/>, redrawing until it stays within the generator's bounds (64 KiB in all, no timing edges, no endless loop between the halves).</summary>
    public static Scenario Draw(Random rng, string name)
    {
        while (true)
        {
            var s = Candidate(rng, name);
            if (!s.BouncesForEver) return s;
        }
    }

    private static Scenario Candidate(Random rng, string name)
    {
        var sends = Sends(rng);
        int typical = sends[rng.Next(sends.Count)];
        var skb = rng.Next(4) switch
        {
            0 or 1 => FramingParser(rng, typical),
            2 => new ReceiveHalfSpec { Parser = SkbParserKind.Len },
            _ => new ReceiveHalfSpec { SkbVerdict = rng.Next(2) == 0 },
        };
        skb = Verdict(rng, skb);
        if (skb.RedirectsToEgress) sends = [sends[0]];
        // Tiny frames make one message (an skb clone, with its truesize) per few bytes: past ~2 KiB the receive memory
        // they hold closes p1's window and TCP drops and retransmits on a timer, beyond the model and the read windows.
        if (skb.Parser == SkbParserKind.Fixed && skb.Frame is > 0 and < 16) sends = Trim(sends, 2048);
        var program = SkMsg(rng, typical, skb);
        bool sockops = rng.Next(4) == 0;
        // One scenario in ten is SOCK_OPS with the SK_MSG half only: a sockops program fills the map, SK_MSG redirects.
        if (sockops && rng.Next(3) == 0)
            return new Scenario { Name = name, Program = program with { DropEvery = 0 }, Sends = sends, SockOps = true, Mode = Mode(rng), Iov = 1 };
        return new Scenario { Name = name, Program = program, Sends = sends, Skb = skb, SockOps = sockops, Mode = Mode(rng), Iov = Iov(rng) };
    }

    private static ReceiveHalfSpec FramingParser(Random rng, int typical)
    {
        int frame = rng.Next(12) switch
        {
            0 => -rng.Next(1, 100),                        // a parser error: strparser aborts, p1 gets the error
            1 => rng.Next(1, 4),                           // tiny frames: many messages per send
            < 6 => rng.Next(Math.Max(2, typical + 1), Math.Max(3, 4 * typical)), // frames across sends
            < 9 => Math.Max(1, typical / rng.Next(1, 4)),  // frames that split a send
            _ => typical,
        };
        return new ReceiveHalfSpec { Parser = SkbParserKind.Fixed, Frame = Math.Min(frame, 48 * 1024) };
    }

    private static ReceiveHalfSpec Verdict(Random rng, ReceiveHalfSpec s) => rng.Next(12) switch
    {
        < 4 => s with { Verdict = SkbVerdictKind.Pass },
        4 => s with { Verdict = SkbVerdictKind.Drop },
        5 => s with { Verdict = SkbVerdictKind.Pass, DropEvery = (uint)rng.Next(2, 4) },
        6 or 7 => s with { Verdict = SkbVerdictKind.Redirect, RedirectKey = 1 },
        8 => s with { Verdict = SkbVerdictKind.Redirect, RedirectKey = 1, Ingress = true },
        9 => s with { Verdict = SkbVerdictKind.Redirect, RedirectKey = ReceiveHalfSpec.P1Key, Ingress = true },
        10 => s with { Verdict = SkbVerdictKind.Redirect, RedirectKey = 3, Ingress = rng.Next(2) == 0 },
        _ => s with { Verdict = SkbVerdictKind.Redirect, RedirectKey = 1, DropEvery = (uint)rng.Next(2, 4) },
    };

    private static ProgramSpec SkMsg(Random rng, int typical, ReceiveHalfSpec skb)
    {
        var p = rng.Next(10) switch
        {
            < 6 => new ProgramSpec(),
            6 => new ProgramSpec { Action = ScenarioAction.Redirect, RedirectKey = 1, Ingress = true },
            7 => new ProgramSpec { Action = ScenarioAction.Redirect, RedirectKey = ReceiveHalfSpec.P1Key },
            8 => new ProgramSpec { Action = ScenarioAction.Redirect, RedirectKey = 0 },
            _ => new ProgramSpec { Apply = (uint)Math.Max(1, rng.Next(1, 2 * typical + 1)) },
        };
        if (rng.Next(8) == 0 && !skb.RedirectsToEgress) p = p with { DropEvery = (uint)rng.Next(2, 5) };
        return p;
    }

    private static List<int> Trim(List<int> sends, int maxTotal)
    {
        var list = new List<int>();
        int total = 0;
        foreach (int s in sends)
        {
            int n = Math.Min(s, maxTotal - total);
            if (n <= 0) break;
            list.Add(n);
            total += n;
        }
        return list;
    }

    private static SendMode Mode(Random rng) => rng.Next(4) == 0 ? SendMode.SendFile : SendMode.SendMsg;

    private static int Iov(Random rng) => new[] { 1, 1, 1, 2, 3 }[rng.Next(5)];

    private static List<int> Sends(Random rng)
    {
        int n = new[] { 1, 2, 3, 4, 5, 8, 12 }[rng.Next(7)];
        int style = rng.Next(3);
        int fixedSize = Size(rng);
        var list = new List<int>(n);
        long total = 0;
        for (int i = 0; i < n; i++)
        {
            int s = style == 0 ? fixedSize : Size(rng);
            if (total + s > MaxTotalBytes) break;
            list.Add(s);
            total += s;
        }
        if (list.Count == 0) list.Add(Math.Min(fixedSize, MaxTotalBytes));
        return list;
    }

    private static int Size(Random rng) => rng.Next(8) switch
    {
        0 => rng.Next(1, 4),
        1 or 2 => rng.Next(4, 64),
        3 or 4 => rng.Next(64, 1500),
        5 => rng.Next(1500, 8000),
        6 => new[] { 100, 1024, 4096 }[rng.Next(3)],
        _ => rng.Next(8000, 20000),
    };
}
