using SockActors.Host.TestSockmap;
using SockActors.Model.Net;

namespace SockActors.Host.Tests;

/// <summary>The receive half the "sh-skb/..." matrix group adds (sockmap_user.c without -t base).</summary>
public class SkbStageTests
{
    [Fact]
    public async Task The_sockops_twin_maps_p1_and_c2_and_c1_traffic_reaches_p2_through_p1_verdict()
    {
        var k = new SimKernel();
        var map = SkbStage.Install(k);
        var (c1, p1) = k.Connect(k.Listen("s1", 10000), "c1", "p1");
        var (c2, p2) = k.Connect(k.Listen("s2", 10001), "c2", "p2");
        Assert.Same(p1, map.LookupSock(1));
        Assert.Same(c2, map.LookupSock(10));
        Assert.Equal(5, await c1.SendMsgAsync(new byte[] { 1, 2, 3, 4, 5 }));
        var buf = new byte[16];
        Assert.Equal(-SockActors.Model.Errno.EAGAIN, p1.Recv(buf));
        Assert.Equal(5, p2.Recv(buf));
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, buf[..5]);
    }

    [Fact]
    public void The_both_halves_group_repeats_every_sockmap_test_sh_case()
    {
        var cases = Matrix.Build(SockActors.Model.Kernel.KernelProfile.Linux618);
        var sh = cases.Where(c => c.Name.StartsWith("sh/")).Select(c => c.Name[3..]).ToList();
        var skb = cases.Where(c => c.Name.StartsWith("sh-skb/")).Select(c => c.Name[7..]).ToList();
        Assert.Equal(sh, skb);
        Assert.All(cases.Where(c => c.Name.StartsWith("sh-skb/")), c => Assert.True(c.Options.SkSkb));
    }

    [Fact]
    public void The_ingress_parser_subtests_frame_with_a_fixed_length_and_count_exactly_where_check_recved_len_is_set()
    {
        var cases = Matrix.Build(SockActors.Model.Kernel.KernelProfile.Linux618).Where(c => c.Name.StartsWith("ts-skb/")).ToList();
        Assert.Equal(4, cases.Count);
        Assert.All(cases.Where(c => c.Name.Contains("parser2")), c =>
        {
            Assert.Equal(10u, c.Options.SkbParserLength);
            Assert.Equal(BytesRule.Exact, c.Rule);
        });
        foreach (var c in cases)
        {
            var r = MatrixRunner.Run(c, SockActors.Model.Kernel.KernelProfile.Linux618, 1, new SockDefaults());
            Assert.True(r.Passed, $"{c.Name}: {r.Reason}");
            Assert.Equal((long)c.ExpectedBytes, r.BytesReceived);
        }
    }
}
