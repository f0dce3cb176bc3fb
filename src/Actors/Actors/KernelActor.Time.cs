using Akka.Actor;
using SockActors.Actors.Protocol;

namespace SockActors.Actors.Actors;

// Virtual time. The clock is the model's (SimKernel.NowNs); it moves only on request (AdvanceClock, the next
// deadline, or a ClockDeadline from the actor system's scheduler when sockactors.clock = scheduler). Deadlines fall
// due one per turn, in deadline order, each after the clock reached it, so the timed-out call resumes before the
// clock moves on. Timers the model fires on the way wake sleepers through the model's own wake-ups.
public sealed partial class KernelActor
{
    private sealed record ContinueAdvance(long TargetNs, IActorRef ReplyTo, bool NextDeadlineOnly, bool Fired) : INoSerializationVerificationNeeded;

    private void Advance(long targetNs, IActorRef replyTo, bool nextDeadlineOnly, bool fired = false)
    {
        var kernel = _rt.Kernel;
        if (_rt.Deadlines.Count > 0)
        {
            var (key, sockId) = _rt.Deadlines.First();
            if (key.DeadlineNs <= targetNs)
            {
                if (key.DeadlineNs > kernel.NowNs) kernel.AdvanceClock(key.DeadlineNs - kernel.NowNs);
                _rt.Deadlines.Remove(key);
                if (_rt.SocketRefs.TryGetValue(sockId, out var sock)) sock.Tell(new SleepTimedOut(sockId, key.WaitId), Self);
                Self.Tell(new ContinueAdvance(targetNs, replyTo, nextDeadlineOnly, true));
                return;
            }
        }
        if (targetNs > kernel.NowNs) kernel.AdvanceClock(targetNs - kernel.NowNs);
        if (!replyTo.IsNobody()) replyTo.Tell(new ClockAdvanced(kernel.NowNs, fired), Self);
    }
}
