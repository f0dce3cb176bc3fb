using SockActors.Model.SockOps;

namespace SockActors.Model.Net;

// SOCK_OPS state of a socket: its cgroup and the callback flags its program set.
public sealed partial class Sock
{
    /// <summary>The cgroup whose BPF_CGROUP_SOCK_OPS program runs for this socket (sk_cgrp_data), or null.</summary>
    public Cgroup? Cgroup { get; internal set; }

    /// <summary>tcp_sock.bpf_sock_ops_cb_flags (bpf_sock_ops_cb_flags_set); an accepted socket starts with its
    /// listener's (sk_clone_lock copies the tcp_sock).</summary>
    public uint SockOpsCbFlags { get; internal set; }
}
