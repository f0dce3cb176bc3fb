using SockActors.Model.Kernel;
using SockActors.Model.Maps;
using SockActors.Model.Msg;
using SockActors.Model.Net;
using SockActors.Model.Programs;
using SockActors.Model.Tests.Support;

namespace SockActors.Model.Tests.Profiles;

/// <summary>
/// KernelProfile.Linux417 (kernel/bpf/sockmap.c) against Linux 6.18: one test per difference, each showing both.
/// </summary>
public class Linux417ProfileTests
{
    public static TheoryData<string> Profiles => new() { "linux-6.18", "linux-4.17" };

    private sealed record RunView(uint Size, bool DataNull, int DataLen);

    private static (Rig Rig, List<RunView> Runs) SendfileRig(KernelProfile profile, Func<ISkMsgContext, int>? extra = null)
    {
        var runs = new List<RunView>();
        var rig = new Rig(ctx =>
        {
            runs.Add(new RunView(ctx.Size, ctx.Data.Array is null, ctx.Data.Count));
            return extra?.Invoke(ctx) ?? SkAction.Pass;
        }, profile);
        return (rig, runs);
    }

    [Fact]
    public async Task Sendfile_on_4_17_adds_one_shared_page_per_call_invisible_until_pulled()
    {
        var (rig, runs) = SendfileRig(KernelProfile.Linux417);
        Assert.Equal(12288, await rig.SendFile(12288));
        Assert.Equal(3, runs.Count);                       // one program run per page
        Assert.All(runs, r => Assert.Equal(4096u, r.Size));
        Assert.All(runs, r => Assert.True(r.DataNull));    // data = data_end = NULL
        Assert.Equal(Rig.Pattern(0, 12288), rig.ReadAllAfterTimers(rig.P1));
    }

    [Fact]
    public async Task Sendfile_on_6_18_is_copied_and_directly_readable_in_one_run()
    {
        var (rig, runs) = SendfileRig(KernelProfile.Linux618);
        Assert.Equal(12288, await rig.SendFile(12288));
        var r = Assert.Single(runs);
        Assert.Equal(12288u, r.Size);
        Assert.False(r.DataNull);
        Assert.Equal(12288, r.DataLen);
        Assert.Equal(Rig.Pattern(0, 12288), rig.ReadAllAfterTimers(rig.P1));
    }

    [Fact]
    public async Task Pulling_a_shared_sendfile_page_on_4_17_makes_it_readable()
    {
        byte[]? window = null;
        long rc = -1;
        var rig = new Rig(ctx =>
        {
            rc = ctx.MsgPullData(10, 20, 0);
            window = ctx.Data.AsSpan().ToArray();
            return SkAction.Pass;
        }, KernelProfile.Linux417);
        Assert.Equal(4096, await rig.SendFile(4096));
        Assert.Equal(0, rc);
        Assert.Equal(Rig.Pattern(10, 10), window);  // a shared element is always copied by pull
        Assert.Equal(Rig.Pattern(0, 4096), rig.ReadAllAfterTimers(rig.P1));
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public async Task Cork_counts_per_sendpage_call_on_4_17_and_per_sendmsg_on_6_18(string profileName)
    {
        // cork 5000 over a 3-page sendfile: 6.18 sees one 12288-byte sendmsg (no corking); 4.17 sees one sendpage per
        // page: 4096 corks, the second page fills the cork (re-run on 8192, passes), the third corks again and hangs.
        var profile = KernelProfile.Parse(profileName);
        var (rig, runs) = SendfileRig(profile, ctx => { ctx.MsgCorkBytes(5000); return SkAction.Pass; });
        Assert.Equal(12288, await rig.SendFile(12288));
        var p1 = rig.ReadAllAfterTimers(rig.P1);
        if (profile == KernelProfile.Linux618)
        {
            Assert.Equal(new uint[] { 12288 }, runs.Select(r => r.Size));
            Assert.Equal(12288, p1.Length);
        }
        else
        {
            Assert.Equal(new uint[] { 4096, 8192, 4096 }, runs.Select(r => r.Size));
            Assert.Equal(8192, p1.Length);
            Assert.Equal(4096u, rig.C1.Psock!.Cork!.Size);
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public async Task Sendmsg_cork_countdown_gives_the_same_runs_on_both_profiles(string profileName)
    {
        // 4.17 subtracts 'copy' and 6.x the whole 'size', but copy == size on every iteration that can leave the cork
        // open (an ENOSPC iteration force-flushes on both), so the sequential engine cannot tell them apart.
        var (rig, runs) = SendfileRig(KernelProfile.Parse(profileName), ctx => { ctx.MsgCorkBytes(250); return SkAction.Pass; });
        for (int i = 0; i < 3; i++) Assert.Equal(100, await rig.Send(100));
        Assert.Equal(new uint[] { 100, 300 }, runs.Select(r => r.Size));
        Assert.Equal(300, rig.ReadAllAfterTimers(rig.P1).Length);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public async Task Redirect_to_a_missing_key_helper_result_and_verdict(string profileName)
    {
        var profile = KernelProfile.Parse(profileName);
        long helper = -1;
        Rig? rig = null;
        rig = new Rig(ctx => (int)(helper = ctx.MsgRedirectMap(rig!.Map, 3, 0)), profile);
        Assert.Equal(-Errno.EACCES, await rig.Send(100));
        // 4.17 records map and key and returns SK_PASS; the lookup after the program finds nothing: DROP.
        // 6.18 looks up inside the helper: SK_DROP.
        Assert.Equal(profile == KernelProfile.Linux417 ? SkAction.Pass : SkAction.Drop, helper);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public async Task Redirect_target_is_looked_up_after_the_program_on_4_17(string profileName)
    {
        // On 4.17 the program may fill the slot after calling the helper and the redirect still goes there.
        var profile = KernelProfile.Parse(profileName);
        long helper = -1;
        Rig? rig = null;
        rig = new Rig(ctx =>
        {
            helper = ctx.MsgRedirectMap(rig!.Map, 3, 0);
            Assert.Equal(0, rig.Map.Update(3, rig.C2));
            return SkAction.Pass;
        }, profile);
        int rc = await rig.Send(100);
        if (profile == KernelProfile.Linux417)
        {
            Assert.Equal(100, rc);
            Assert.Equal(100, Rig.ReadAll(rig.P2).Length); // redirected out of c2
        }
        else
        {
            Assert.Equal(SkAction.Drop, helper);
            Assert.Equal(100, rc);                          // SK_PASS after a failed helper: plain pass
            Assert.Equal(100, rig.ReadAllAfterTimers(rig.P1).Length);
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public async Task Push_and_pop_exist_only_on_6_18(string profileName)
    {
        var profile = KernelProfile.Parse(profileName);
        Exception? fault = null;
        var traces = new List<string>();
        var rig = new Rig(ctx =>
        {
            try { ctx.MsgPopData(0, 1, 0); }
            catch (ProgramFaultException e) { fault = e; }
            ctx.MsgPushData(0, 1, 0); // uncaught on 4.17: the run faults
            return SkAction.Pass;
        }, profile);
        rig.K.Trace += traces.Add;
        int rc = await rig.Send(100);
        if (profile == KernelProfile.Linux417)
        {
            Assert.NotNull(fault);
            Assert.Contains("bpf_msg_pop_data", fault!.Message);
            Assert.Contains("linux-4.17", fault.Message);
            // The kernel would refuse to load such a program; the model turns the faulting run into SK_DROP.
            Assert.Equal(-Errno.EACCES, rc);
            Assert.Contains(traces, t => t.Contains("bpf_msg_push_data"));
        }
        else
        {
            Assert.Null(fault);
            Assert.Equal(100, rc);
            Assert.Equal(100, rig.ReadAllAfterTimers(rig.P1).Length); // popped 1, pushed 1
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Map_update_state_check(string profileName)
    {
        // 4.17 accepted a TCP socket in any state; later kernels want ESTABLISHED or LISTEN.
        var profile = KernelProfile.Parse(profileName);
        var k = new SimKernel(profile);
        var m = new SockMap("m", 2);
        long rc = m.Update(0, k.CreateSocket("unconnected"));
        Assert.Equal(profile == KernelProfile.Linux417 ? 0 : -Errno.EOPNOTSUPP, rc);
    }
}
