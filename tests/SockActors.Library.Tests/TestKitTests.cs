using SockActors.Actors.Client;
using SockActors.Model.Programs;
using SockActors.TestKit;

namespace SockActors.Library.Tests;

/// <summary>An SK_MSG program in C#, as a user writes one: drops a message that starts with '#'.</summary>
public sealed class HashFilterProgram : ISkMsgProgram
{
    public string Name => "hash_filter";

    public int Run(ISkMsgContext ctx) => ctx.Data is { Array: not null, Count: > 0 } d && d[0] == (byte)'#' ? 0 : 1;
}

/// <summary>SockActors.TestKit, used only through the packages' public API: hosts, pairs, C# and BPF programs,
/// delivered bytes and verdict events.</summary>
public sealed class TestKitTests : SockActorsTestKit
{
    [Fact]
    public async Task A_csharp_program_drops_what_it_refuses_and_each_run_is_a_verdict_event()
    {
        var (host, map) = await CreateHostWithProgramAsync(new HashFilterProgram());
        var (client, server) = await host.ConnectPairAsync("client", "server");
        await host.AddToMapAsync(map, 0, client);
        var verdicts = await SubscribeVerdictsAsync(host);

        await host.SendAllAsync(client, "hello"u8.ToArray());
        verdicts.ExpectVerdict("pass", from: client, size: 5);
        Assert.Equal(-Model.Errno.EACCES, await host.SendMsgAsync(client, "#secret"u8.ToArray()));
        verdicts.ExpectVerdict("drop", from: client, size: 7);

        await host.ExpectDeliveredAsync(server, "hello"u8.ToArray());
        await host.ExpectNothingDeliveredAsync(server);
    }

    [ClangFact]
    public async Task A_clang_compiled_object_loads_into_a_host_and_its_program_runs_on_each_send()
    {
        var host = await CreateHostAsync();
        var loaded = await host.LoadBpfObjectAsync(Repository.ScenarioObject, "sock_map");
        var (client, server) = await host.ConnectPairAsync();
        await host.AddToMapAsync(loaded.Map, 0, client);
        var verdicts = await SubscribeVerdictsAsync(host);

        await host.SendAllAsync(client, [1, 2, 3]);
        verdicts.ExpectVerdict("pass", from: client, size: 3);
        await host.ExpectDeliveredAsync(server, new byte[] { 1, 2, 3 });
        Assert.True(loaded.Object.GetMap("trace_map").TryLookupValue(new byte[4], out var runs));
        Assert.Equal(1u, BitConverter.ToUInt32(runs.AsSpan(0, 4)));
    }

    [Fact]
    public async Task Assertions_fail_with_what_was_expected_and_what_happened()
    {
        var host = await CreateHostAsync();
        var (client, server) = await host.ConnectPairAsync("client", "server");
        await host.SendAllAsync(client, "abc"u8.ToArray());
        var e = await Assert.ThrowsAsync<SockActorsAssertionException>(() => host.ExpectDeliveredAsync(server, "abd"u8.ToArray()));
        Assert.Contains("received 3 bytes [616263], expected 3 bytes [616264]", e.Message);

        var (host2, map) = await CreateHostWithProgramAsync(new HashFilterProgram());
        var (c2, _) = await host2.ConnectPairAsync();
        await host2.AddToMapAsync(map, 0, c2);
        var verdicts = await SubscribeVerdictsAsync(host2);
        await host2.SendAllAsync(c2, "x"u8.ToArray());
        var v = Assert.Throws<SockActorsAssertionException>(() => verdicts.ExpectVerdict("drop"));
        Assert.Contains("verdict pass, expected drop", v.Message);
    }

    [Fact]
    public async Task A_bpf_object_without_the_named_map_is_refused_with_its_maps_listed()
    {
        if (Repository.Clang is null) return; // covered by the ClangFact tests' skip message
        var host = await CreateHostAsync();
        var e = await Assert.ThrowsAsync<ArgumentException>(() => host.LoadBpfObjectAsync(Repository.ScenarioObject, "other_map"));
        Assert.Contains("no SOCKMAP or SOCKHASH named 'other_map'", e.Message);
        Assert.Contains("sock_map", e.Message);
    }
}
