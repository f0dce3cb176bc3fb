// An Akka.Hosting application hosting SockActors, configured from appsettings.json (and environment variables, e.g.
// SockActors__Programs__sock_map=/path/to/sk_msg_scenario.o). It runs two scenarios: the clang-compiled SK_MSG object
// that configuration attaches to sock_map, and a C# program attached to a map of its own. Exit code 0 when both behave.
using System.Text;
using Akka.Actor;
using Akka.Hosting;
using HostedSockActors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SockActors.Actors.Client;
using SockActors.Hosting;

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Services.AddAkka("hosted-sockactors", akka => akka.WithSockActors(builder.Configuration.GetSection("SockActors")));
using var app = builder.Build();
await app.StartAsync();
try
{
    var system = app.Services.GetRequiredService<ActorSystem>();
    var manager = await app.Services.GetRequiredService<IRequiredActor<SockActorsManager>>().GetAsync();
    Console.WriteLine($"manager: {manager.Path}");

    // 1. The BPF object of SockActors:Programs:sock_map, loaded into every kernel and attached to its sock_map.
    var host = await SimulatedHost.CreateAsync(system);
    var (c1, p1) = await host.ConnectPairAsync("c1", "p1");
    Check(await host.MapUpdateAsync(host.Map("sock_map"), 0, c1) == 0, "sock_map update");
    Check(await host.SendMsgAsync(c1, new byte[100]) == 100, "first send");
    Check(await host.SendMsgAsync(c1, new byte[50]) == 50, "second send");
    var drained = await host.DrainAsync(p1);
    var runs = host.ObjectFor("sock_map").GetMap("trace_map");
    runs.TryLookupValue(new byte[4], out var count);
    Console.WriteLine($"bpf object: p1 received {drained.Bytes} bytes, program runs {BitConverter.ToUInt32(count.AsSpan(0, 4))}");

    // 2. A C# program on a map of its own: '#' messages are dropped (sendmsg returns -EACCES), the rest pass.
    var filterMap = await host.CreateSockMapAsync("filter_map", 4);
    var filter = await host.LoadProgramAsync(new HashFilterProgram());
    Check(await host.AttachAsync(filterMap, filter) == 0, "attach");
    var (c2, p2) = await host.ConnectPairAsync("c2", "p2");
    Check(await host.MapUpdateAsync(filterMap, 0, c2) == 0, "filter_map update");
    int hello = await host.SendMsgAsync(c2, "hello"u8.ToArray());
    int secret = await host.SendMsgAsync(c2, "#secret"u8.ToArray());
    var received = await host.RecvAsync(p2, 100);
    Console.WriteLine($"c# program: send hello {hello}, send #secret {secret}, p2 received '{Encoding.ASCII.GetString(received.Data, 0, Math.Max(received.Rc, 0))}'");
    return 0;
}
finally
{
    await app.StopAsync();
}

static void Check(bool ok, string what)
{
    if (!ok) throw new InvalidOperationException($"{what} failed");
}
