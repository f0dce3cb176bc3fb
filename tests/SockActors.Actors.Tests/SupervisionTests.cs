using Akka.TestKit.Xunit2;
using SockActors.Actors.Client;
using SockActors.Actors.Protocol;

namespace SockActors.Actors.Tests;

/// <summary>A simulator bug (an exception out of the model) fails loudly: the caller gets the failure naming the
/// socket and the message, the error is logged, and the kernel stops rather than carry on with half-applied state.</summary>
public sealed class SupervisionTests() : TestKit(TestConfig.Create())
{
    [Fact]
    public async Task A_model_exception_fails_the_call_and_stops_the_kernel()
    {
        var host = await SimulatedHost.CreateAsync(Sys);
        var (c1, _) = await host.ConnectPairAsync("c1", "p1");
        Watch(host.Kernel);
        var call = new InvokeOnSocket(c1.Id, "broken model call", _ => throw new InvalidOperationException("simulated model bug"));
        var e = await Assert.ThrowsAsync<SimulatorFaultException>(() => host.Ask<InvokeResult>(call));
        Assert.Contains("socket c1", e.Message);
        Assert.Contains("broken model call", e.Message);
        ExpectTerminated(host.Kernel);
    }
}
