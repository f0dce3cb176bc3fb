using SockActors.Model.Msg;
using SockActors.Model.Net;

namespace SockActors.Model.SkSkb;

/// <summary>
/// system_wq as far as psocks use it: sk_psock_backlog scheduled now (schedule_work) or after a delay
/// (schedule_delayed_work), run in FIFO order once the code that scheduled it has finished (the sequential model's
/// "soon"), and the window updates that freed receive memory lets the peers send. Deterministic: no wall clock.
/// </summary>
/// <param name="kernel">The kernel whose psocks' work runs here.</param>
public sealed class PsockWorkQueue(SimKernel kernel)
{
    private readonly LinkedList<SkPsock> _ready = new();
    private readonly List<(SkPsock Psock, long DueNs)> _delayed = new();
    private readonly List<Sock> _windowOpened = new();
    private bool _draining;

    /// <summary>Backlog runs so far.</summary>
    public long Runs { get; private set; }

    /// <summary>schedule_work: a psock already pending is not queued twice.</summary>
    internal void Schedule(SkPsock psock)
    {
        if (!_ready.Contains(psock)) _ready.AddLast(psock);
    }

    /// <summary>schedule_delayed_work(&amp;psock->work, delay)</summary>
    internal void ScheduleDelayed(SkPsock psock, long delayNs)
    {
        if (_delayed.Exists(d => d.Psock == psock)) return;
        _delayed.Add((psock, kernel.NowNs + delayNs));
    }

    /// <summary>Receive memory of <paramref name="sk"/> was freed: its peer may send into the larger window.</summary>
    internal void WindowOpened(Sock sk)
    {
        if (!_windowOpened.Contains(sk)) _windowOpened.Add(sk);
    }

    /// <summary>Delayed work whose time has come moves to the ready queue, then everything runs.</summary>
    internal void RunDue()
    {
        foreach (var d in _delayed.Where(d => d.DueNs <= kernel.NowNs).OrderBy(d => d.DueNs).ToList())
        {
            _delayed.Remove(d);
            Schedule(d.Psock);
        }
        Drain();
    }

    /// <summary>Runs ready work and pending window updates until nothing is left (re-entrant calls return at once).</summary>
    internal void Drain()
    {
        if (_draining) return;
        _draining = true;
        try
        {
            while (true)
            {
                if (_ready.First is { } node)
                {
                    _ready.RemoveFirst();
                    var psock = node.Value;
                    if (psock.Sk.Psock != psock) continue;
                    Runs++;
                    SkPsockRx.Backlog(psock);
                    continue;
                }
                if (_windowOpened.Count > 0)
                {
                    var sk = _windowOpened[0];
                    _windowOpened.RemoveAt(0);
                    if (sk.Peer is { } peer) peer.TransmitWindow();
                    else sk.WireWindowOpened();
                    continue;
                }
                break;
            }
        }
        finally
        {
            _draining = false;
        }
    }
}

/// <summary>One SK_SKB verdict run: the socket, the skb's length as the program saw it, the verdict, the redirect
/// target (socket id, 0 for none) and whether it was to ingress, at virtual time <paramref name="AtNs"/>.</summary>
public sealed record SkbVerdictEvent(int SockId, string SockName, int Len, SkVerdict Verdict, int TargetId, bool Ingress, long AtNs);
