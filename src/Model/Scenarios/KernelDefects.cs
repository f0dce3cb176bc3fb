namespace SockActors.Model.Scenarios;

/// <summary>
/// Names the known Linux 6.18 defects a scenario trips, from the scenario and its result (any engine's, the live
/// kernel's included) and, for the hanging cork, the bytes the sender's psock still held corked at close (which only
/// a simulation can see). The rules are those of net/ipv4/tcp_bpf.c and net/core/filter.c as ported in src/Model.
/// </summary>
public static class KernelDefects
{
    /// <summary>apply with a push at least as long: tcp_bpf_send_verdict allocates without end (the scenario must not run on a kernel).</summary>
    public const string Runaway = "apply-push-runaway";
    /// <summary>apply below cork, kept across sends: the kept cork message is appended at a stale copy cursor (sk_msg_memcopy_from_iter), so receivers can get repeated or stale bytes.</summary>
    public const string StaleCorkData = "stale-cork-data";
    /// <summary>A DROP verdict stays cached in psock->eval (tcp_bpf_send_verdict returns before resetting it): later sends fail with -EACCES without running the program.</summary>
    public const string StickyDrop = "sticky-drop";
    /// <summary>Bytes still corked when the sender closed: nothing flushes psock->cork, sk_psock_cork_free frees them, and accepted bytes are lost.</summary>
    public const string HangingCork = "hanging-cork";

    /// <summary>The warnings for <paramref name="scenario"/>'s <paramref name="result"/>; empty when none applies.</summary>
    public static IReadOnlyList<KernelWarning> Detect(Scenario scenario, ScenarioResult result, long corkedAtClose = 0)
    {
        var p = scenario.Program;
        var w = new List<KernelWarning>();
        if (p.CanRunAwayOnKernel)
        {
            // tcp_bpf_send_verdict's more_data loop re-runs the program on what is left after each apply window;
            // bpf_msg_push_data grows the message by push_len each time, so it never shrinks.
            w.Add(new(Runaway, "tcp_bpf_send_verdict (net/ipv4/tcp_bpf.c) with bpf_msg_push_data (net/core/filter.c)",
                $"apply {p.Apply} with a push of {p.PushLen} bytes (>= apply): every run adds at least as many bytes as it consumes, the kernel allocates without end"));
            return w;
        }
        if (result.Runaway) return w;

        long accepted = result.Sends.Where(s => s.Rc > 0).Sum(s => (long)s.Rc);
        if (p.Apply > 0 && p.Cork > p.Apply && result.Sends.Count(x => x.Rc >= 0) > 1)
        {
            // tcp_bpf_sendmsg appends the next send to psock->cork through sk_msg_memcopy_from_iter, which copies at
            // the stale msg->sg.curr / copybreak left by the apply window, so earlier bytes are sent again.
            long delivered = result.P1.Bytes + result.C2.Bytes + result.P2.Bytes;
            string seen = delivered > accepted ? $"; this run delivered {delivered} bytes for {accepted} accepted" : "";
            w.Add(new(StaleCorkData, "tcp_bpf_sendmsg / sk_msg_memcopy_from_iter (net/ipv4/tcp_bpf.c, net/core/skmsg.c)",
                $"apply {p.Apply} below cork {p.Cork} with the cork kept across sends: the kept message is appended at a stale copy cursor, so receivers can get repeated or stale bytes{seen}"));
        }

        int firstDrop = FirstDropSend(scenario, result);
        if (firstDrop >= 0 && p.Action != ScenarioAction.Drop && firstDrop + 1 < result.Sends.Count
            && result.Sends.Skip(firstDrop + 1).All(s => s.Rc == -Errno.EACCES))
        {
            // tcp_bpf_send_verdict returns -EACCES from __SK_DROP before "if (!psock->apply_bytes) psock->eval =
            // __SK_NONE", so the DROP verdict stays cached and later sends are dropped without running the program.
            string window = p.Apply > 0
                ? $" after an apply window of {p.Apply} (the dropping send still returned {result.Sends[firstDrop].Rc}, counting the bytes it passed)"
                : "";
            w.Add(new(StickyDrop, "tcp_bpf_send_verdict (net/ipv4/tcp_bpf.c)",
                $"a DROP verdict in send {firstDrop}{window} stays cached in psock->eval: sends {firstDrop + 1}..{result.Sends.Count - 1} failed with EACCES without running the program"));
        }

        if (corkedAtClose > 0)
        {
            // tcp_bpf_send_verdict keeps the message in psock->cork until cork_bytes arrive; nothing flushes it, and
            // sock_map_close -> sk_psock_drop -> sk_psock_cork_free frees it.
            w.Add(new(HangingCork, "tcp_bpf_send_verdict / sk_psock_cork_free (net/ipv4/tcp_bpf.c, net/core/skmsg.c)",
                $"cork {p.Cork} not reached: {corkedAtClose} accepted bytes were still corked when the socket closed and were lost"));
        }
        return w;
    }

    /// <summary>Adds the warnings to <paramref name="result"/> (engines that do not model the cork at close pass 0).</summary>
    public static ScenarioResult Annotate(Scenario scenario, ScenarioResult result, long corkedAtClose = 0) =>
        result with { Warnings = Detect(scenario, result, corkedAtClose) };

    /// <summary>
    /// For engines that cannot see c1's psock at close (the live kernel; the actor runtime until it passes
    /// <see cref="ScenarioTopology.CorkedBytes"/>): adds the warnings, taking the bytes corked at close from a run of the
    /// sequential model, which agrees with the kernel on what it corks. A result that has warnings is returned as is.
    /// </summary>
    public static ScenarioResult AnnotateWithModelCork(Scenario scenario, ScenarioResult result)
    {
        if (result.Warnings.Count > 0) return result;
        long corked = 0;
        if (scenario.Program.Cork > 0 && !result.Runaway && !scenario.Program.CanRunAwayOnKernel)
            corked = ModelCorkedAtClose(scenario);
        return Annotate(scenario, result, corked);
    }

    private static long ModelCorkedAtClose(Scenario scenario)
    {
        var topo = ScenarioTopology.Build(scenario, ScenarioProgramFactory.Instance, new Net.SimKernel());
        try
        {
            topo.RunToEnd();
            return topo.CorkedBytes;
        }
        finally
        {
            topo.Close();
        }
    }

    /// <summary>The index of the send in which the first DROP verdict ran, or -1. A send that ran the program and
    /// returned EACCES or fewer bytes than it was given is where a drop happened; the runs' verdicts confirm one did.</summary>
    private static int FirstDropSend(Scenario scenario, ScenarioResult result)
    {
        if (!result.Runs.Any(r => r.Verdict == 0) && !(scenario.Program.DropEvery > 0 && result.RunsTotal >= scenario.Program.DropEvery)) return -1;
        for (int i = 0; i < result.Sends.Count; i++)
            if (result.Sends[i].Rc == -Errno.EACCES || (result.Sends[i].Rc >= 0 && result.Sends[i].Rc < result.Sends[i].Len))
                return i;
        return -1;
    }
}
