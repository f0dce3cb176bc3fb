using Akka.Hosting;
using SockActors.Actors;
using SockActors.Actors.Client;
using SockActors.Hosting;
using SockActors.TestKit;

namespace SockActors.Library.Tests;

/// <summary>The kit with Akka.Hosting.TestKit: the test defaults as HOCON, WithSockActors, the manager in the registry.</summary>
public sealed class HostingTestKitTests : Akka.Hosting.TestKit.TestKit
{
    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider)
        => builder.AddHocon(SockActorsTestConfig.Hocon, HoconAddMode.Prepend).WithSockActors();

    [Fact]
    public async Task The_kit_runs_deterministic_under_Akka_Hosting_TestKit_and_the_registry_holds_the_manager()
    {
        Assert.True(Sys.SockActors().Settings.Deterministic);
        Assert.Equal(Sys.SockActors().Manager, await ActorRegistry.GetAsync<SockActorsManager>());
        var host = await SimulatedHost.CreateAsync(Sys);
        var (client, server) = await host.ConnectPairAsync();
        await host.AttachProgramAsync(new HashFilterProgram(), await host.CreateSockMapAsync("m", 2));
        await host.SendAllAsync(client, "#not filtered: client is in no map"u8.ToArray());
        await host.ExpectDeliveredAsync(server, "#not filtered: client is in no map"u8.ToArray());
    }
}
