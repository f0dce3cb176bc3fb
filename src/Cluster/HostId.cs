namespace SockActors.Cluster;

/// <summary>
/// The stable id of a simulated host: "host-N" with N ≥ 1. It is the sharding entity id (a host is placed, and after a
/// crash restarted, by this id) and N is the kernel id of the host's kernel, so traces and errors name the same number
/// on every node.
/// </summary>
public static class HostId
{
    public const string Prefix = "host-";

    /// <summary>"host-<paramref name="number"/>".</summary>
    public static string Of(int number) => number >= 1
        ? Prefix + number.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : throw new ArgumentOutOfRangeException(nameof(number), number, "host numbers start at 1");

    /// <summary>N of "host-N"; false for anything else.</summary>
    public static bool TryParse(string? id, out int number)
    {
        number = 0;
        return id is not null && id.StartsWith(Prefix, StringComparison.Ordinal)
            && int.TryParse(id.AsSpan(Prefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out number)
            && number >= 1;
    }

    /// <summary>N of "host-N", or an <see cref="ArgumentException"/> naming the id.</summary>
    public static int Parse(string id) =>
        TryParse(id, out int n) ? n : throw new ArgumentException($"'{id}' is not a host id (host-N with N >= 1)", nameof(id));
}
