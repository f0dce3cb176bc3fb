using SockActors.Model.Programs;

namespace SockActors.Model.Tests.Support;

/// <summary>An SK_SKB program from a delegate, recording the skb length of each run.</summary>
public sealed class SkbProgram(Func<ISkSkbContext, int> run, string name = "skb-prog") : ISkSkbProgram
{
    public string Name => name;
    public List<uint> Lens { get; } = new();
    public int Run(ISkSkbContext ctx)
    {
        Lens.Add(ctx.Len);
        return run(ctx);
    }

    public static SkbProgram Pass() => new(_ => SkAction.Pass, "pass");
    public static SkbProgram Drop() => new(_ => SkAction.Drop, "drop");

    /// <summary>A parser that frames the stream in messages of <paramref name="n"/> bytes (it returns n whatever it sees).</summary>
    public static SkbProgram Fixed(int n) => new(_ => n, $"fixed-{n}");
}
