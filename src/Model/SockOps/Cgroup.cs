using SockActors.Model.Net;
using SockActors.Model.Programs;

namespace SockActors.Model.SockOps;

/// <summary>
/// A cgroup (v2) as BPF_CGROUP_SOCK_OPS sees it: at most one program (attach without BPF_F_ALLOW_MULTI replaces the
/// one there, kernel/bpf/cgroup.c __cgroup_bpf_attach). A socket belongs to the cgroup of the process that created it
/// (sock_cgroup_set at socket()), and an accepted socket to its listener's (sk_clone_lock copies sk_cgrp_data).
/// Parent cgroups' programs are not inherited in the model: each socket runs the program of its own cgroup.
/// </summary>
/// <param name="path">The cgroup's path.</param>
public sealed class Cgroup(string path)
{
    /// <summary>The cgroup's path ("/sys/fs/cgroup/..." or any name a test gives it).</summary>
    public string Path { get; } = path;

    /// <summary>The attached BPF_CGROUP_SOCK_OPS program, or null.</summary>
    public ISockOpsProgram? SockOps { get; private set; }

    /// <summary>bpf_prog_attach(BPF_CGROUP_SOCK_OPS) without flags: replaces any program attached.</summary>
    public long AttachSockOps(ISockOpsProgram program)
    {
        SockOps = program;
        return 0;
    }

    /// <summary>bpf_prog_detach: -ENOENT unless <paramref name="program"/> is the one attached.</summary>
    public long DetachSockOps(ISockOpsProgram program)
    {
        if (SockOps is null || !ReferenceEquals(SockOps, program)) return -Errno.ENOENT;
        SockOps = null;
        return 0;
    }

    /// <summary><see cref="Path"/>.</summary>
    public override string ToString() => Path;
}
