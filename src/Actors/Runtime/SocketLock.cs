namespace SockActors.Actors.Runtime;

/// <summary>
/// lock_sock / release_sock of one socket, as the socket actor's state. The holder is named (a user call, a wake-up
/// resuming a sleeper, a redirect from another socket). A call gives the lock up where the kernel does: when it sleeps
/// (sk_stream_wait_memory, tcp_msg_wait_data), around the redirect hand-off (tcp_bpf_sendmsg_redir), and when it
/// returns. Whoever wants the lock meanwhile waits in line; when it frees, the next one is taken in arrival order or,
/// under a seeded interleaving, drawn with the seed: every acquisition is a scheduling point.
/// Everything runs inside the socket actor's turns (one thread at a time); nothing here blocks a thread.
/// </summary>
internal sealed class SocketLock(Random? interleaving)
{
    // Made when someone first has to wait: an idle socket never does (issue 9, heap per idle socket).
    private List<(string Who, Action Run)>? _waiting;
    private bool _pumping;

    /// <summary>Who holds the lock now, or null.</summary>
    public string? Owner { get; private set; }

    /// <summary>Acquisitions waiting for the lock.</summary>
    public int Waiting => _waiting?.Count ?? 0;

    /// <summary>Runs <paramref name="run"/> with the lock held: now when it is free and nobody is in line, otherwise
    /// once it is this one's turn. <paramref name="run"/> must end in <see cref="Release"/> (at once or after a hop).</summary>
    public void Acquire(string who, Action run)
    {
        if (TryEnter(who))
        {
            try
            {
                run();
            }
            finally
            {
                Leave();
            }
            return;
        }
        (_waiting ??= new()).Add((who, run));
        Pump();
    }

    /// <summary>The uncontended case without a closure: true when the lock was free and nobody waits, and the caller
    /// now holds it and runs its work inline, then calls <see cref="Leave"/>. False: use <see cref="Acquire"/>.</summary>
    public bool TryEnter(string who)
    {
        if (Owner is not null || _waiting is { Count: not 0 } || _pumping) return false;
        Owner = who;
        _pumping = true;
        return true;
    }

    /// <summary>Ends an inline run begun with <see cref="TryEnter"/>: whoever got in line meanwhile goes next.</summary>
    public void Leave()
    {
        _pumping = false;
        Pump();
    }

    /// <summary>release_sock: the holder lets go (it returned, or sleeps, or hands a redirect over); the next in line
    /// gets the lock once the holder's own turn has unwound.</summary>
    public void Release()
    {
        Owner = null;
        Pump();
    }

    /// <summary>Hands the free lock to the next in line until it is held across a hop or nobody waits. Not
    /// re-entrant: a release inside a holder's run is picked up by the loop that runs it.</summary>
    private void Pump()
    {
        if (_pumping) return;
        _pumping = true;
        try
        {
            while (Owner is null && _waiting is { Count: > 0 })
            {
                int i = interleaving is null || _waiting.Count == 1 ? 0 : interleaving.Next(_waiting.Count);
                var (who, run) = _waiting[i];
                _waiting.RemoveAt(i);
                Owner = who;
                run();
            }
        }
        finally
        {
            _pumping = false;
        }
    }
}
