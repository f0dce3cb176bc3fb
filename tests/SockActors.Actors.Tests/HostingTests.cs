using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SockActors.Actors.Client;
using SockActors.Actors.Hosting;

namespace SockActors.Actors.Tests;

/// <summary>Akka.Hosting: WithSockActors puts the options before reference.conf and starts the extension.</summary>
public sealed class HostingTests
{
    [Fact]
    public async Task WithSockActors_configures_and_starts_the_extension()
    {
        using var app = new HostBuilder()
            .ConfigureServices(services => services.AddAkka("hosted", (b, _) => b.WithSockActors(o =>
            {
                o.Deterministic = true;
                o.TraceCalls = true;
                o.Profile = "linux-4.17";
            })))
            .Build();
        await app.StartAsync();
        try
        {
            var sp = app.Services;
            var system = sp.GetRequiredService<ActorSystem>();
            var ext = SockActorsExtension.Get(system);
            Assert.True(ext.Settings.Deterministic);
            Assert.True(ext.Settings.TraceCalls);
            Assert.Equal("linux-4.17", ext.Settings.Profile);
            var host = await SimulatedHost.CreateAsync(system);
            var (c1, p1) = await host.ConnectPairAsync();
            Assert.Equal(3, await host.SendMsgAsync(c1, new byte[] { 1, 2, 3 }));
            Assert.Equal(3, (await host.RecvAsync(p1, 10)).Rc);
        }
        finally
        {
            await app.StopAsync();
        }
    }
}
