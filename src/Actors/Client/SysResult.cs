using System.Globalization;
using SockActors.Model;

namespace SockActors.Actors.Client;

/// <summary>
/// A system call's return value as the kernel gives it, typed: a count (&gt;= 0) or a negative errno, with the errno
/// kept visible and named. The replies carry it beside their bare <c>Rc</c> (<see cref="Protocol.SendResult.Result"/>,
/// <see cref="Protocol.RecvResult.Result"/>, <see cref="Protocol.MapResult.Result"/>, <see cref="Protocol.SockOptSet.Result"/>).
/// </summary>
/// <param name="Rc">The kernel's bare return value: a count, or -errno.</param>
public readonly record struct SysResult(long Rc)
{
    /// <summary>The call failed: <see cref="Rc"/> is -errno.</summary>
    public bool IsError => Rc < 0;

    /// <summary>The errno (positive), or 0 when the call succeeded.</summary>
    public int Errno => Rc < 0 ? (int)-Rc : 0;

    /// <summary>The errno's symbolic name ("EAGAIN"), or null when the call succeeded.</summary>
    public string? ErrnoName => Rc < 0 ? Model.Errno.Name((int)Rc) : null;

    /// <summary>The count of a successful call; a failed one throws <see cref="SysCallException"/> naming the errno.</summary>
    public long Value => Rc >= 0 ? Rc : throw new SysCallException(Errno, ErrnoName!);

    /// <summary>The count ("64"), or the errno by name and value ("-EAGAIN (-11)").</summary>
    public override string ToString() => Rc >= 0 ? Rc.ToString(CultureInfo.InvariantCulture) : $"-{ErrnoName} ({Rc})";
}

/// <summary>A system call failed where the caller asked for its count (<see cref="SysResult.Value"/>).</summary>
/// <param name="errno">The errno (positive).</param>
/// <param name="name">Its symbolic name ("EAGAIN").</param>
public sealed class SysCallException(int errno, string name) : Exception($"the call failed with {name} ({-errno})")
{
    /// <summary>The errno (positive, e.g. 11 for EAGAIN).</summary>
    public int Errno { get; } = errno;
}
