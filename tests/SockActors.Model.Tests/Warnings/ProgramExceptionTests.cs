using SockActors.Model.Msg;
using SockActors.Model.Tests.Support;

namespace SockActors.Model.Tests.Warnings;

/// <summary>An exception thrown by a C# program (a test's assertion) is not a verdict: it reaches the caller. Only a
/// program the kernel would refuse (ProgramFaultException) becomes SK_DROP.</summary>
public class ProgramExceptionTests
{
    [Fact]
    public async Task An_assertion_inside_a_test_program_fails_the_send_instead_of_dropping()
    {
        var rig = new Rig(_ => throw new Xunit.Sdk.XunitException("assertion inside the program"));
        var e = await Assert.ThrowsAsync<Xunit.Sdk.XunitException>(() => rig.Send(10));
        Assert.Equal("assertion inside the program", e.Message);
    }

    [Fact]
    public async Task A_program_fault_the_kernel_would_refuse_is_still_a_drop()
    {
        var rig = new Rig(_ => throw new ProgramFaultException("bpf_msg_redirect_map needs a SOCKMAP"));
        Assert.Equal(-Errno.EACCES, await rig.Send(10));
    }
}
