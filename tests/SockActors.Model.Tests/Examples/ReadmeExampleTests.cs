using SockActors.Model.Maps;
using SockActors.Model.Net;
using SockActors.Model.Programs;

namespace SockActors.Model.Tests.Examples;

// The program under test in README.md ("A C# program under test"); kept here so the README's code compiles and runs.

public class ReadmeExampleTests
{
    [Fact]
    public async Task Apply_bytes_splits_one_send_into_one_program_run_per_window()
    {
        var kernel = new SimKernel();                          // linux-6.18 profile, seed 1
        var (client, server) = kernel.ConnectPair("c1", "p1");
        var map = new SockMap("sock_map", maxEntries: 4);
        var runs = new List<uint>();
        var program = new Recording(runs);
        Assert.Equal(0, map.Attach(SockAttachType.SkMsgVerdict, program));   // attach before inserting
        Assert.Equal(0, map.Update(0, client));

        int rc = await client.SendMsgAsync(new byte[10]);

        Assert.Equal(10, rc);
        Assert.Equal(new uint[] { 10, 6, 2 }, runs);           // re-run on the rest after every 4-byte window
        var buf = new byte[64];
        Assert.Equal(10, server.Recv(buf));
    }

    private sealed class Recording(List<uint> runs) : ISkMsgProgram
    {
        public string Name => "recording";
        public int Run(ISkMsgContext ctx)
        {
            runs.Add(ctx.Size);
            ctx.MsgApplyBytes(4);
            return SkAction.Pass;
        }
    }
}
