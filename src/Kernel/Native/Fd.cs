namespace SockActors.Kernel.Native;

/// <summary>Helpers that turn a failed libc call into a <see cref="KernelDriverException"/> naming the step.</summary>
internal static class Fd
{
    public static int Check(int rc, string what)
    {
        if (rc < 0)
        {
            int e = Libc.Errno;
            throw new KernelDriverException($"{what} failed: {Libc.StrError(e)} (errno {e})");
        }
        return rc;
    }

    /// <summary>A libbpf call's result: 0 is success; otherwise the error is -rc (libbpf 1.x) or, for a plain -1 or a
    /// positive rc, errno.</summary>
    public static void CheckLibBpf(int rc, string what)
    {
        if (rc == 0) return;
        int e = rc < 0 ? -rc : Libc.Errno;
        throw new KernelDriverException($"{what} failed: {Libc.StrError(e)} (errno {e})");
    }

    public static void CloseQuietly(ref int fd)
    {
        if (fd >= 0) Libc.Close(fd);
        fd = -1;
    }

    public static unsafe void SetInt(int fd, int level, int name, int value, string what)
    {
        Check(Libc.SetSockOpt(fd, level, name, &value, sizeof(int)), what);
    }
}
