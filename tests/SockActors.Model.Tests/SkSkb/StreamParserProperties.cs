using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SockActors.Model.Maps;
using SockActors.Model.Programs;
using SockActors.Model.Tests.Support;

namespace SockActors.Model.Tests.SkSkb;

/// <summary>
/// Random send sequences through a fixed-length stream parser: messages are framed across sends exactly as the
/// length says, whatever the skb boundaries, and the bytes arrive in order without loss, passed to the socket itself
/// or redirected to another socket's egress or ingress. (A message cut from the middle of an skb is charged with the
/// whole head skb, as its clone's truesize is in the kernel, so ingress redirects of many small messages fill the
/// target's receive memory early and the backlog waits for the reader.)
/// </summary>
public class StreamParserProperties
{
    private static readonly Arbitrary<(int Len, int[] Sends, int Target)> Cases =
        (from len in Gen.Choose(1, 3000)
         from sends in Gen.Choose(1, 9000).ArrayOf().Where(a => a.Length is > 0 and <= 12)
         from target in Gen.Choose(0, 2)
         select (len, sends, target)).ToArbitrary();

    [Property(MaxTest = 120)]
    public Property A_fixed_length_parser_frames_whole_messages_and_loses_no_byte() =>
        Prop.ForAll(Cases, c =>
        {
            var verdictLens = new List<uint>();
            var r = new SkSkbTestRig(SkbProgram.Fixed(c.Len), verdictFor: m => new SkbProgram(ctx =>
            {
                verdictLens.Add(ctx.Len);
                return c.Target switch
                {
                    0 => SkAction.Pass,
                    1 => (int)ctx.SkRedirectMap(m, 1, 0),
                    _ => (int)ctx.SkRedirectMap(m, 2, BpfRedirectFlags.Ingress),
                };
            }));
            var sent = new List<byte>();
            foreach (int n in c.Sends)
            {
                var data = SkSkbTestRig.Pattern(n, sent.Count);
                r.Send(r.C1, data);
                sent.AddRange(data);
            }
            // The reader keeps reading; a backlog waiting for receive memory retries a jiffy later.
            var reader = c.Target == 0 ? r.P1 : r.P2;
            var got = new List<byte>();
            for (int quiet = 0; quiet < 3;)
            {
                var chunk = SkSkbTestRig.ReadAll(reader);
                got.AddRange(chunk);
                quiet = chunk.Length == 0 ? quiet + 1 : 0;
                r.K.AdvanceClock(SockActors.Model.SkSkb.SkPsockRx.JiffyNs);
            }
            int messages = sent.Count / c.Len;
            var expected = sent.Take(messages * c.Len).ToArray();
            return got.ToArray().AsSpan().SequenceEqual(expected)
                .Label($"received {got.Count} bytes, expected the {expected.Length} bytes of {messages} whole messages")
                .And((verdictLens.Count == messages).Label($"{verdictLens.Count} verdict runs for {messages} messages"))
                // The partial message is held: in the strparser, and (strp->need_bytes) in the receive queue behind it.
                .And((r.P1.Psock!.Rx.Strp!.AccumulatedBytes + r.P1.ReceiveQueueBytes == sent.Count - messages * c.Len).Label("the partial message is held"));
        });
}
