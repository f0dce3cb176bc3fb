namespace SockActors.Model;

/// <summary>Linux errno values (include/uapi/asm-generic/errno-base.h, errno.h) as the model returns them, negated.</summary>
public static class Errno
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int EBADF = 9;
    public const int EAGAIN = 11;
    public const int ENOMEM = 12;
    public const int EACCES = 13;
    public const int EFAULT = 14;
    public const int EBUSY = 16;
    public const int EEXIST = 17;
    public const int EINVAL = 22;
    public const int ENOSPC = 28;
    public const int EPIPE = 32;
    public const int E2BIG = 7;
    public const int ENOTSOCK = 88;
    public const int ENOPROTOOPT = 92;
    public const int EOPNOTSUPP = 95;
    public const int ENOTCONN = 107;
    public const int ECONNRESET = 104;
    public const int ECONNREFUSED = 111;
    public const int EIO = 5;
    public const int ENODATA = 61;
    public const int EPROTO = 71;
    public const int EMSGSIZE = 90;
    public const int ETIMEDOUT = 110;
    public const int ESTRPIPE = 86;

    /// <summary>The symbolic name of an errno (positive or negative), e.g. "EACCES".</summary>
    public static string Name(int errno) => Math.Abs(errno) switch
    {
        EPERM => "EPERM", ENOENT => "ENOENT", EINTR => "EINTR", EBADF => "EBADF", EAGAIN => "EAGAIN",
        ENOMEM => "ENOMEM", EACCES => "EACCES", EFAULT => "EFAULT", EBUSY => "EBUSY", EEXIST => "EEXIST",
        EINVAL => "EINVAL", ENOSPC => "ENOSPC", EPIPE => "EPIPE", E2BIG => "E2BIG", ENOTSOCK => "ENOTSOCK", ENOPROTOOPT => "ENOPROTOOPT",
        EOPNOTSUPP => "EOPNOTSUPP", ENOTCONN => "ENOTCONN", ECONNRESET => "ECONNRESET", ECONNREFUSED => "ECONNREFUSED", EIO => "EIO",
        ENODATA => "ENODATA", EPROTO => "EPROTO", EMSGSIZE => "EMSGSIZE", ETIMEDOUT => "ETIMEDOUT", ESTRPIPE => "ESTRPIPE",
        var e => "E" + e,
    };
}
