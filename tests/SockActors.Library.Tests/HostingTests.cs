using Akka.Actor;
using Akka.Configuration;
using Akka.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SockActors.Actors;
using SockActors.Actors.Client;
using SockActors.Hosting;

namespace SockActors.Library.Tests;

/// <summary>SockActors.Hosting: WithSockActors from an IConfiguration section, an options object or a lambda, and the
/// kernel manager in Akka.Hosting's ActorRegistry.</summary>
public sealed class HostingTests
{
    private static async Task<T> WithHost<T>(Action<AkkaConfigurationBuilder, IConfiguration> configure, IConfiguration configuration,
        Func<IServiceProvider, Task<T>> body)
    {
        using var app = new HostBuilder()
            .ConfigureServices(services => services.AddAkka("hosted", (b, _) => configure(b, configuration)))
            .Build();
        await app.StartAsync();
        try
        {
            return await body(app.Services);
        }
        finally
        {
            await app.StopAsync();
        }
    }

    private static IConfiguration AppSettings(params (string Key, string Value)[] overrides) => new ConfigurationBuilder()
        .SetBasePath(AppContext.BaseDirectory)
        .AddJsonFile("appsettings.test.json")
        .AddInMemoryCollection(overrides.Select(o => new KeyValuePair<string, string?>(o.Key, o.Value)))
        .Build();

    [Fact]
    public async Task An_appsettings_section_configures_the_runtime_and_the_manager_resolves_through_IRequiredActor()
    {
        var configuration = AppSettings();
        await WithHost((b, c) => b.WithSockActors(c.GetSection("SockActors")), configuration, async sp =>
        {
            var system = sp.GetRequiredService<ActorSystem>();
            var settings = system.SockActors().Settings;
            Assert.True(settings.Deterministic);
            Assert.Equal("linux-4.17", settings.Profile);
            Assert.Equal(42, settings.Seed);
            Assert.True(settings.TraceCalls);
            Assert.Equal(TimeSpan.FromSeconds(7), settings.AskTimeout);

            var manager = await sp.GetRequiredService<IRequiredActor<SockActorsManager>>().GetAsync();
            Assert.Equal(system.SockActors().Manager, manager);
            Assert.Equal("/system/sockactors", manager.Path.ToStringWithoutAddress());

            var host = await SimulatedHost.CreateAsync(system);
            var (client, server) = await host.ConnectPairAsync("c", "s");
            Assert.Equal(5, await host.SendMsgAsync(client, "hello"u8.ToArray()));
            var r = await host.RecvAsync(server, 100);
            Assert.Equal("hello"u8.ToArray(), r.Data.AsSpan(0, r.Rc).ToArray());
            Assert.Contains("c #1 SendMsg -> 5", await host.TraceAsync()); // TraceCalls from appsettings
            return 0;
        });
    }

    [ClangFact]
    public async Task A_program_named_in_configuration_is_attached_to_its_map_in_every_host()
    {
        var configuration = AppSettings(("SockActors:Programs:sock_map", Repository.ScenarioObject));
        await WithHost((b, c) => b.WithSockActors(c.GetSection("SockActors")), configuration, async sp =>
        {
            var host = await SimulatedHost.CreateAsync(sp.GetRequiredService<ActorSystem>());
            var (client, server) = await host.ConnectPairAsync();
            Assert.Equal(0, await host.MapUpdateAsync(host.Map("sock_map"), 0, client));
            Assert.Equal(64, await host.SendMsgAsync(client, new byte[64]));
            Assert.Equal(64, (await host.DrainAsync(server)).Bytes);
            Assert.True(host.ObjectFor("sock_map").GetMap("trace_map").TryLookupValue(new byte[4], out var runs));
            Assert.Equal(1u, BitConverter.ToUInt32(runs.AsSpan(0, 4)));
            return 0;
        });
    }

    [Fact]
    public async Task An_options_object_and_a_lambda_configure_the_same_keys()
    {
        var options = new SockActorsOptions { Deterministic = true, Profile = "linux-4.17", InterleavingSeed = 5 };
        var fromObject = await WithHost((b, _) => b.WithSockActors(options), AppSettings(),
            sp => Task.FromResult(sp.GetRequiredService<ActorSystem>().SockActors().Settings));
        var fromLambda = await WithHost((b, _) => b.WithSockActors(o => { o.Deterministic = true; o.Profile = "linux-4.17"; o.InterleavingSeed = 5; }),
            AppSettings(), sp => Task.FromResult(sp.GetRequiredService<ActorSystem>().SockActors().Settings));
        Assert.Equal(5, fromObject.InterleavingSeed);
        Assert.Equal(fromObject with { Programs = fromLambda.Programs }, fromLambda);
    }

    [Theory]
    [InlineData("SockActors:Seed", "many", "SockActors:Seed")]
    [InlineData("SockActors:AskTimeout", "soon", "SockActors:AskTimeout")]
    [InlineData("SockActors:Deterministic", "maybe", "SockActors:Deterministic")]
    [InlineData("SockActors:Clock", "wall", "SockActors:Clock")]
    [InlineData("SockActors:Profile", "linux-2.6", "SockActors:Profile")]
    [InlineData("SockActors:AskTimeout", "-00:00:01", "SockActors:AskTimeout")]
    [InlineData("SockActors:Sed", "1", "'Sed'")]
    public void A_bad_configuration_value_is_an_error_naming_its_key(string key, string value, string named)
    {
        var section = AppSettings((key, value)).GetSection("SockActors");
        var builder = new AkkaConfigurationBuilder(new ServiceCollection(), "bad");
        var e = Assert.Throws<SockActorsConfigurationException>(() => builder.WithSockActors(section));
        Assert.Contains(named, e.Message);
    }

    [Fact]
    public void Programs_with_quotes_and_backslashes_reach_the_settings_unchanged()
    {
        var options = new SockActorsOptions { Programs = { ["sock.map"] = "/tmp/a \"b\"\\c.o" }, AskTimeout = TimeSpan.FromMilliseconds(1500) };
        var settings = SockActorsSettings.Create(ConfigurationFactory.ParseString(options.ToHocon()));
        Assert.Equal("/tmp/a \"b\"\\c.o", settings.Programs["sock.map"]);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), settings.AskTimeout);
    }

    [Fact]
    public void The_verdict_option_chooses_verdict_actors_or_in_place_and_refuses_anything_else()
    {
        Assert.True(SockActorsSettings.Create(ConfigurationFactory.ParseString(new SockActorsOptions().ToHocon())).VerdictActors);
        var inPlace = new SockActorsOptions { Verdict = "in-place" };
        Assert.False(SockActorsSettings.Create(ConfigurationFactory.ParseString(inPlace.ToHocon())).VerdictActors);
        var bad = new SockActorsOptions { Verdict = "child" };
        var e = Assert.Throws<ConfigurationException>(() => SockActorsSettings.Create(ConfigurationFactory.ParseString(bad.ToHocon())));
        Assert.Contains("sockactors.verdict", e.Message);
    }
}
