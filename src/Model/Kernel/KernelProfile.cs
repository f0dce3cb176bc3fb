namespace SockActors.Model.Kernel;

/// <summary>
/// Which kernel the model imitates. Every difference between the profiles is a property here, so a rule in the
/// model reads "if the profile says so" and the list of differences stays in one place.
/// </summary>
public sealed record KernelProfile
{
    /// <summary>Profile name as used on the command line and in configuration.</summary>
    public required string Name { get; init; }

    /// <summary>sendfile arrives as sendmsg(MSG_SPLICE_PAGES) and is copied into page frags (v6.5+,
    /// "tcp_bpf: Make tcp_bpf_sendpage() go through tcp_bpf_sendmsg"); false: the 4.17 sendpage hook adds one shared
    /// page-cache element per call, invisible to the program (data = data_end = NULL) until pulled.</summary>
    public required bool SendfileCopies { get; init; }

    /// <summary>tcp_bpf_sendmsg subtracts the whole sendmsg size from psock->cork_bytes (6.x); false: bytes copied (4.17).</summary>
    public required bool CorkCountsWholeSend { get; init; }

    /// <summary>bpf_msg_redirect_map looks the target up inside the helper (4.20+); false: after the program returns
    /// (4.17 do_msg_redirect_map), so the helper returns SK_PASS for any key and a missing key becomes DROP later.</summary>
    public required bool RedirectLookupInHelper { get; init; }

    /// <summary>sock_map_sk_state_allowed: a TCP socket enters a sockmap only when ESTABLISHED or LISTEN (later
    /// kernels); 4.17 accepted a TCP socket in any state.</summary>
    public required bool MapChecksSocketState { get; init; }

    /// <summary>bpf_msg_push_data and bpf_msg_pop_data exist (4.19+/5.0+); 4.17 had neither.</summary>
    public required bool HasPushPop { get; init; }

    /// <summary>The Nov-2024 filter.c fixes (6.13): push may append at the end, pop may reach the last byte,
    /// pop of length 0 returns 0, sk_msg_reset_curr after pull/push/pop.</summary>
    public required bool PushPopFixes613 { get; init; }

    /// <summary>sk_msg ring: 17 usable elements out of 18 slot ids (since "fix TLS 1.3 crash with full sk_msg").</summary>
    public int MaxMsgFrags { get; init; } = 17;

    /// <summary>Linux 6.18 as observed in shared/conformance (the default).</summary>
    public static readonly KernelProfile Linux618 = new()
    {
        Name = "linux-6.18",
        SendfileCopies = true,
        CorkCountsWholeSend = true,
        RedirectLookupInHelper = true,
        MapChecksSocketState = true,
        HasPushPop = true,
        PushPopFixes613 = true,
    };

    /// <summary>The original series (Linux 4.17, kernel/bpf/sockmap.c).</summary>
    public static readonly KernelProfile Linux417 = new()
    {
        Name = "linux-4.17",
        SendfileCopies = false,
        CorkCountsWholeSend = false,
        RedirectLookupInHelper = false,
        MapChecksSocketState = false,
        HasPushPop = false,
        PushPopFixes613 = false,
    };

    /// <summary>Every profile the simulation knows: 6.18 and 4.17.</summary>
    public static IReadOnlyList<KernelProfile> All { get; } = [Linux618, Linux417];

    /// <summary>Finds a profile by name; throws <see cref="ArgumentException"/> naming the known ones.</summary>
    public static KernelProfile Parse(string name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown kernel profile '{name}' (known: {string.Join(", ", All.Select(p => p.Name))})");
}
