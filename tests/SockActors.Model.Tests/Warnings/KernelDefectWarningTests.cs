using SockActors.Model.Scenarios;

namespace SockActors.Model.Tests.Warnings;

/// <summary>
/// Each known kernel defect is named on the result of a scenario that trips it (defect, kernel function, condition),
/// and not on one that does not; the JSON line carries them beside the result.
/// </summary>
public class KernelDefectWarningTests
{
    private static Scenario S(string json) => ScenarioJson.ParseScenario(json);

    private static IReadOnlyList<string> Defects(string json) => ScenarioRunner.Run(S(json)).Warnings.Select(w => w.Defect).ToList();

    [Fact]
    public void A_plain_pass_scenario_has_no_warnings()
    {
        Assert.Empty(Defects("""{"name":"clean","program":{},"sends":[100,200]}"""));
        Assert.Empty(Defects("""{"name":"apply-above-cork-one-send","program":{"apply":10,"cork":5},"sends":[100]}"""));
    }

    [Fact]
    public void Apply_with_a_push_at_least_as_long_is_the_runaway_defect()
    {
        var r = ScenarioRunner.Run(S("""{"name":"runaway","program":{"apply":1,"push_len":2},"sends":[100]}"""));
        Assert.True(r.Runaway);
        var w = Assert.Single(r.Warnings);
        Assert.Equal(KernelDefects.Runaway, w.Defect);
        Assert.Contains("bpf_msg_push_data", w.Function);
        Assert.Contains("apply 1 with a push of 2 bytes", w.Condition);
    }

    [Fact]
    public void A_drop_after_an_apply_window_is_the_sticky_drop_defect_naming_the_failed_sends()
    {
        var r = ScenarioRunner.Run(S("""{"name":"sticky","program":{"apply":64,"drop_every":2},"iov":3,"sends":[1000,1000,1000]}"""));
        Assert.Equal([936, -13, -13], r.Sends.Select(s => s.Rc));
        var w = Assert.Single(r.Warnings);
        Assert.Equal(KernelDefects.StickyDrop, w.Defect);
        Assert.Contains("tcp_bpf_send_verdict", w.Function);
        Assert.Contains("after an apply window of 64", w.Condition);
        Assert.Contains("sends 1..2 failed with EACCES", w.Condition);
    }

    [Fact]
    public void A_program_that_always_drops_has_no_sticky_drop_warning()
    {
        Assert.DoesNotContain(KernelDefects.StickyDrop, Defects("""{"name":"drop","program":{"action":"drop"},"sends":[10,10]}"""));
    }

    [Fact]
    public void Apply_below_cork_across_sends_is_the_stale_cork_data_defect()
    {
        var r = ScenarioRunner.Run(S("""{"name":"stale","program":{"action":"redirect","ingress":true,"apply":10,"cork":329,"pop_start":4,"pop_len":44},"iov":1024,"sends":[2,16587,330,1242,110,4096,2870,17840]}"""));
        var w = Assert.Single(r.Warnings);
        Assert.Equal(KernelDefects.StaleCorkData, w.Defect);
        Assert.Contains("sk_msg_memcopy_from_iter", w.Function);
        Assert.Contains("apply 10 below cork 329", w.Condition);
        Assert.DoesNotContain(KernelDefects.StaleCorkData, Defects("""{"name":"above","program":{"apply":329,"cork":10},"sends":[100,100]}"""));
    }

    [Fact]
    public void A_cork_still_open_at_close_is_the_hanging_cork_defect_with_the_lost_bytes()
    {
        var w = Assert.Single(ScenarioRunner.Run(S("""{"name":"hang","program":{"cork":5000},"sends":[100,200]}""")).Warnings);
        Assert.Equal(KernelDefects.HangingCork, w.Defect);
        Assert.Contains("300 accepted bytes were still corked", w.Condition);
        Assert.DoesNotContain(KernelDefects.HangingCork, Defects("""{"name":"full","program":{"cork":300},"sends":[100,200]}"""));
    }

    [Fact]
    public void Engines_that_cannot_see_the_cork_get_the_hanging_cork_from_the_model()
    {
        var s = S("""{"name":"hang","program":{"cork":5000},"sends":[100,200]}""");
        var bare = ScenarioRunner.Run(s) with { Warnings = [] };
        var w = Assert.Single(KernelDefects.AnnotateWithModelCork(s, bare).Warnings);
        Assert.Equal(KernelDefects.HangingCork, w.Defect);
    }

    [Fact]
    public void The_result_line_carries_the_warnings_beside_the_result()
    {
        var s = S("""{"name":"hang","program":{"cork":5000},"sends":[100]}""");
        string line = ScenarioJson.ResultLine(s.Name, ScenarioRunner.Run(s));
        Assert.Contains("\"warnings\":[{\"defect\":\"hanging-cork\",\"function\":", line);
        Assert.DoesNotContain("warnings", ScenarioJson.ResultLine("clean", ScenarioRunner.Run(S("""{"name":"clean","sends":[1]}"""))));
    }
}
