using SockActors.Actors.Client;
using SockActors.Model;
using SockActors.Model.Bpf;
using SockActors.Model.Maps;
using SockActors.Model.Programs;

namespace SockActors.TestKit;

/// <summary>A BPF object loaded into a simulated kernel: its sk_msg program attached to the named sockmap.</summary>
/// <param name="Object">The object as the BPF VM loaded it (its other maps, e.g. counters, readable by name).</param>
/// <param name="Program">The loaded program.</param>
/// <param name="Map">The sockmap the program is attached to.</param>
public sealed record LoadedBpfObject(BpfObject Object, ProgramHandle Program, MapHandle Map);

/// <summary>Test helpers over a <see cref="SimulatedHost"/>: load and attach programs, and assert on delivered bytes.</summary>
public static class SimulatedHostTestExtensions
{
    /// <summary>Loads a C# program and attaches it to <paramref name="map"/> as its SK_MSG verdict program.</summary>
    public static async Task<ProgramHandle> AttachProgramAsync(this SimulatedHost host, ISkMsgProgram program, MapHandle map)
    {
        var prog = await host.LoadProgramAsync(program);
        long rc = await host.AttachAsync(map, prog);
        if (rc != 0) throw new SockActorsAssertionException($"attaching {program.Name} to map {map.Id} failed ({Rc(rc)})");
        return prog;
    }

    /// <summary>Loads a clang-compiled object (clang -target bpf) and attaches its one sk_msg program to its SOCKMAP or
    /// SOCKHASH named <paramref name="mapName"/>; the object's other maps come along, as in the kernel.</summary>
    public static async Task<LoadedBpfObject> LoadBpfObjectAsync(this SimulatedHost host, string objectPath, string mapName = "sock_map")
    {
        var obj = BpfObject.Load(Path.GetFullPath(objectPath));
        if (obj.FindMap(mapName) is not SockMapBase map)
            throw new ArgumentException($"'{objectPath}' declares no SOCKMAP or SOCKHASH named '{mapName}' (its maps: {string.Join(", ", obj.Maps.Select(m => m.Name))})", nameof(mapName));
        var programs = obj.SkMsgPrograms.ToList();
        if (programs.Count != 1) throw new ArgumentException($"'{objectPath}' has {programs.Count} sk_msg programs; exactly one is needed", nameof(objectPath));
        var (prog, maps) = await host.LoadProgramAsync(programs[0], map);
        long rc = await host.AttachAsync(maps[0], prog);
        if (rc != 0) throw new SockActorsAssertionException($"attaching {programs[0].Name} to {mapName} failed ({Rc(rc)})");
        return new LoadedBpfObject(obj, prog, maps[0]);
    }

    /// <summary>Puts <paramref name="sock"/> in <paramref name="map"/> at <paramref name="key"/>, failing with the errno otherwise.</summary>
    public static async Task AddToMapAsync(this SimulatedHost host, MapHandle map, uint key, SocketHandle sock)
    {
        long rc = await host.MapUpdateAsync(map, key, sock);
        if (rc != 0) throw new SockActorsAssertionException($"map {map.Id} update of key {key} with {sock} failed ({Rc(rc)})");
    }

    /// <summary>Sends <paramref name="data"/> and fails unless the whole of it was accepted.</summary>
    public static async Task SendAllAsync(this SimulatedHost host, SocketHandle sock, byte[] data)
    {
        int rc = await host.SendMsgAsync(sock, data);
        if (rc != data.Length) throw new SockActorsAssertionException($"send of {data.Length} bytes on {sock} returned {Rc(rc)}");
    }

    /// <summary>Reads what <paramref name="sock"/> has without blocking (receives until EAGAIN) and fails unless it is
    /// exactly <paramref name="expected"/>.</summary>
    public static async Task ExpectDeliveredAsync(this SimulatedHost host, SocketHandle sock, ReadOnlyMemory<byte> expected)
    {
        var got = await host.ReceiveAvailableAsync(sock);
        if (!got.AsSpan().SequenceEqual(expected.Span))
            throw new SockActorsAssertionException(
                $"{sock} received {got.Length} bytes [{Preview(got)}], expected {expected.Length} bytes [{Preview(expected.ToArray())}]");
    }

    /// <summary>Fails if <paramref name="sock"/> has any byte to read.</summary>
    public static Task ExpectNothingDeliveredAsync(this SimulatedHost host, SocketHandle sock)
        => host.ExpectDeliveredAsync(sock, ReadOnlyMemory<byte>.Empty);

    /// <summary>Every byte <paramref name="sock"/> can read now, by non-blocking receives until -EAGAIN (or end of stream).</summary>
    public static async Task<byte[]> ReceiveAvailableAsync(this SimulatedHost host, SocketHandle sock)
    {
        var all = new List<byte>();
        while (true)
        {
            var r = await host.RecvAsync(sock, 65536);
            if (r.Rc > 0) { all.AddRange(r.Data.AsSpan(0, r.Rc).ToArray()); continue; }
            if (r.Rc == 0 || r.Rc == -Errno.EAGAIN) return all.ToArray();
            throw new SockActorsAssertionException($"recvmsg on {sock} failed ({Rc(r.Rc)})");
        }
    }

    private static string Rc(long rc) => rc < 0 ? $"{rc}, -{Errno.Name((int)rc)}" : rc.ToString();

    private static string Preview(byte[] b) =>
        b.Length <= 32 ? Convert.ToHexString(b) : Convert.ToHexString(b, 0, 32) + "…";
}
