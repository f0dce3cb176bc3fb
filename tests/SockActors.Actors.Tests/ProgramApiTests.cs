using Akka.TestKit.Xunit2;
using SockActors.Actors.Client;
using SockActors.Actors.Protocol;
using SockActors.Model.Programs;

namespace SockActors.Actors.Tests;

/// <summary>A C# program that redirects through a map it knows by name, the map made by the runtime
/// (CreateSockMapAsync): no model objects in the user's hands, as a BPF program names its maps.</summary>
public sealed class ProgramApiTests() : TestKit(TestConfig.Create())
{
    private sealed class RedirectToKey1 : ISkMsgProgram
    {
        public string Name => "redirect-to-key-1";

        public int Run(ISkMsgContext ctx) =>
            ctx.Map("redir_map") is { } map ? (int)ctx.MsgRedirectMap(map, 1, 0) : SkAction.Drop;
    }

    [Fact]
    public async Task A_CSharp_program_redirects_through_a_map_the_runtime_made_and_named()
    {
        SockActors.Get(Sys).Programs.Register("redirect-to-key-1", () => new Runtime.LoadedProgram(new RedirectToKey1(), [], null));
        var host = await SimulatedHost.CreateAsync(Sys);
        var (c1, p1) = await host.ConnectPairAsync("c1", "p1");
        var (c2, p2) = await host.ConnectPairAsync("c2", "p2");
        var map = await host.CreateSockMapAsync("redir_map", 4);
        var (prog, _) = await host.LoadProgramAsync(new ProgramReference("redirect-to-key-1"));
        Assert.Equal(0, await host.AttachAsync(map, prog));
        Assert.Equal(0, await host.MapUpdateAsync(map, 0, c1));
        Assert.Equal(0, await host.MapUpdateAsync(map, 1, p2));

        Assert.Equal(5, await host.SendMsgAsync(c1, "hello"u8.ToArray()));
        Assert.Equal("hello"u8.ToArray(), (await host.RecvAsync(c2, 100)).Data);
        Assert.Equal(0, (await host.DrainAsync(p1)).Bytes);
        Assert.Equal(1, (await host.Ask<ProgramInfo>(new GetProgramStats(prog.Id))).Runs);
    }
}

/// <summary>Replies carry their return code typed, with the errno named, beside the bare value.</summary>
public sealed class SysResultTests() : TestKit(TestConfig.Create())
{
    [Fact]
    public async Task Replies_name_the_errno_of_a_failed_call_and_give_the_count_of_a_good_one()
    {
        var host = await SimulatedHost.CreateAsync(Sys);
        var (c1, p1) = await host.ConnectPairAsync("c1", "p1");
        var empty = await host.RecvAsync(p1, 10);
        Assert.True(empty.Result.IsError);
        Assert.Equal("EAGAIN", empty.Result.ErrnoName);
        Assert.Equal(11, empty.Result.Errno);
        Assert.Equal("-EAGAIN (-11)", empty.Result.ToString());
        Assert.Equal(11, Assert.Throws<SysCallException>(() => empty.Result.Value).Errno);

        var sent = await host.Ask<SendResult>(new SendMsg(c1.Id, new byte[5], 0));
        Assert.False(sent.Result.IsError);
        Assert.Equal(5, sent.Result.Value);
        Assert.Null(sent.Result.ErrnoName);
        var map = await host.CreateSockMapAsync("m", 2);
        Assert.Equal("E2BIG", (await host.Ask<MapResult>(new MapUpdate(map.Id, 7, c1.Id, 0))).Result.ErrnoName);
    }
}
