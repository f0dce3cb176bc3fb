using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SockActors.Model.Programs;
using SockActors.Model.Scenarios;
using SockActors.Model.Tests.Support;

namespace SockActors.Model.Tests.Properties;

/// <summary>
/// Random send sequences and program configurations: byte conservation and stream order.
///
/// Covered configurations (<see cref="Config.Covered"/>):
/// - actions PASS, DROP, REDIRECT egress to p2, REDIRECT ingress to p2, REDIRECT to an empty key (= DROP);
/// - apply_bytes, cork_bytes, pull_data(start, end) with any arguments (errors ignored), drop_every;
/// - sendmsg and sendfile, sends from 1 byte to 600000 bytes (several 17-element chunks);
/// - no push/pop (they change the byte count and pushed bytes are uninitialised);
/// - when a DROP can happen (action drop, empty key, drop_every): apply 0 and cork 0 — with apply below the chunk a
///   DROP returns chunk - apply although nothing is delivered, and a DROP of a filled cork drops bytes earlier sends
///   already reported as sent, so the accepted count includes dropped bytes there;
/// - never apply &gt; 0 together with cork &gt; 0: with cork &gt; apply Linux itself replays stale data (reference
///   section 11), and with apply &gt; cork the model replays data by the same mechanism whenever an apply window ends
///   inside a message whose rest is re-corked in the reused cork message (tcp_bpf_push moves the element's offset
///   and length but not curr/copybreak) — see <see cref="Apply_above_cork_also_replays_stale_bytes_in_the_model"/>;
///   not observed on a kernel, so it is excluded rather than asserted.
/// Under these restrictions dropped bytes are never counted as accepted, so the equation is
///   bytes accepted by sends = delivered to receivers + still corked + held by TCP,
/// and after closing the sender the corked bytes are exactly its purged bytes.
/// </summary>
public class ConservationProperties
{
    public sealed record Config(int Action, uint Apply, uint Cork, uint PullStart, uint PullEnd, uint DropEvery, bool SendFile, int[] Sends)
    {
        public bool CanDrop => Action is 1 or 4 || DropEvery > 0;

        public bool Covered => (!CanDrop || (Apply == 0 && Cork == 0)) && !(Apply > 0 && Cork > 0);

        public override string ToString() =>
            $"action {Action} apply {Apply} cork {Cork} pull ({PullStart},{PullEnd}) drop_every {DropEvery} {(SendFile ? "sendfile" : "sendmsg")} sends [{string.Join(",", Sends)}]";
    }

    private static readonly Gen<uint> Window =
        Gen.Frequency(
            (3, Gen.Constant(0u)),
            (2, Gen.Choose(1, 200).Select(x => (uint)x)),
            (2, Gen.Choose(1, 70000).Select(x => (uint)x)));

    private static readonly Gen<int> SendSize =
        Gen.Frequency(
            (3, Gen.Choose(1, 200)),
            (3, Gen.Choose(200, 40000)),
            (2, Gen.Choose(40000, 70000)),
            (1, Gen.Elements(557056, 600000)));

    private static readonly Gen<Config> AnyConfig =
        from action in Gen.Choose(0, 4)
        from apply in Window
        from cork in Window
        from pullStart in Gen.Choose(0, 5000)
        from pullLen in Gen.Frequency((2, Gen.Constant(0)), (1, Gen.Choose(-10, 40000)))
        from dropEvery in Gen.Frequency((4, Gen.Constant(0u)), (1, Gen.Choose(1, 5).Select(x => (uint)x)))
        from sendFile in Gen.Elements(false, true)
        from n in Gen.Choose(1, 8)
        from sends in Gen.ArrayOf(SendSize, n)
        select new Config(action, apply, cork, (uint)pullStart, (uint)Math.Max(0, pullStart + pullLen), dropEvery, sendFile, sends);

    private static readonly Arbitrary<Config> Covered = AnyConfig.Where(c => c.Covered).ToArbitrary();

    private sealed record Outcome(long Accepted, long Delivered, long Corked, long Held, long Purged, byte[] Received, byte[] AcceptedStream);

    private static Outcome Run(Config c)
    {
        int run = 0;
        Rig? rig = null;
        rig = new Rig(ctx =>
        {
            int index = run++;
            if (c.Apply != 0) ctx.MsgApplyBytes(c.Apply);
            if (c.Cork != 0) ctx.MsgCorkBytes(c.Cork);
            if (c.PullEnd != 0) ctx.MsgPullData(c.PullStart, c.PullEnd, 0);
            if (c.Action == 1 || (c.DropEvery > 0 && index % c.DropEvery == c.DropEvery - 1)) return SkAction.Drop;
            return c.Action switch
            {
                2 => (int)ctx.MsgRedirectMap(rig!.Map, 1, 0),
                3 => (int)ctx.MsgRedirectMap(rig!.Map, 1, BpfRedirectFlags.Ingress),
                4 => (int)ctx.MsgRedirectMap(rig!.Map, 3, 0),
                _ => SkAction.Pass,
            };
        });
        rig.C1.SndTimeoNs = 1_000_000_000;
        long accepted = 0;
        foreach (int len in c.Sends)
        {
            var pending = c.SendFile ? rig.SendFile(len) : rig.Send(len).ContinueWith(t => (long)t.Result, TaskContinuationOptions.ExecuteSynchronously);
            Assert.True(pending.IsCompleted, "the sequential engine completes every send synchronously");
            long rc = pending.Result;
            if (rc > 0) accepted += rc;
        }
        rig.K.AdvanceClock(ScenarioTopology.QuietNs);
        var received = Rig.ReadAll(rig.P1).Concat(Rig.ReadAll(rig.C2)).Concat(Rig.ReadAll(rig.P2)).ToArray();
        long corked = rig.C1.Psock?.Cork?.Size ?? 0;
        long held = rig.C1.HeldBytes + rig.P2.HeldBytes + rig.P1.ReceiveQueueBytes + rig.C2.ReceiveQueueBytes + rig.P2.ReceiveQueueBytes + rig.P2.IngressBytes;
        rig.C1.Close();
        return new Outcome(accepted, received.Length, corked, held, rig.C1.PurgedBytes, received, rig.Accepted.ToArray());
    }

    [Property(MaxTest = 150)]
    public Property Bytes_accepted_equal_delivered_plus_corked_plus_held_and_the_cork_is_what_close_purges() =>
        Prop.ForAll(Covered, c =>
        {
            var o = Run(c);
            return (o.Accepted == o.Delivered + o.Corked + o.Held)
                .Label($"accepted {o.Accepted} != delivered {o.Delivered} + corked {o.Corked} + held {o.Held}")
                .And((o.Purged == o.Corked).Label($"purged {o.Purged} != corked {o.Corked}"));
        });

    [Property(MaxTest = 150)]
    public Property Receivers_get_a_prefix_of_the_accepted_stream_in_order_without_duplicates() =>
        Prop.ForAll(Covered, c =>
        {
            var o = Run(c);
            bool prefix = o.Received.Length <= o.AcceptedStream.Length &&
                          o.Received.AsSpan().SequenceEqual(o.AcceptedStream.AsSpan(0, o.Received.Length));
            return prefix.Label($"received {o.Received.Length} bytes, accepted {o.AcceptedStream.Length}: not a prefix");
        });

    // apply 47 / cork 34 with sends 70 and 48 (141 bytes delivered for 118 accepted) was a model-only prediction here;
    // it is now a kernel observation: Conformance/FamilyObservationsTests, conformance/observed-families-linux-6.18.jsonl.

    [Fact]
    public void The_generator_covers_every_action_and_both_modes()
    {
        var sample = Covered.Generator.Sample(300).ToList();
        Assert.All(Enumerable.Range(0, 5), a => Assert.Contains(sample, c => c.Action == a));
        Assert.Contains(sample, c => c.SendFile);
        Assert.Contains(sample, c => c.Cork > 0);
        Assert.Contains(sample, c => c.Apply > 0);
        Assert.Contains(sample, c => c.DropEvery > 0);
    }

    /// <summary>The scenario generator's stable subset, run through the contract runner: nothing throws, no runaway
    /// without push, and every pass-only scenario delivers a prefix of the stream to p1.</summary>
    [Property(MaxTest = 60)]
    public Property Random_scenarios_without_push_never_run_away(int seed)
    {
        var gen = new RandomScenarioGenerator(seed) { ExcludeUnstable = true };
        var s = gen.Take(50).FirstOrDefault(x => x.Program.PushLen == 0);
        if (s is null) return true.ToProperty();
        var r = ScenarioRunner.Run(s);
        return (!r.Runaway).Label($"{s.Name} ran away: {r.Diagnostic}");
    }
}
