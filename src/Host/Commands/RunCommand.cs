using System.CommandLine;

namespace SockActors.Host.Commands;

public static class RunCommand
{
    public static Command Create(CommonOptions common, HostContext ctx)
    {
        var command = new Command("run", "Run the test_sockmap / sockmap_test.sh matrix on the simulation");
        command.SetAction(parse => 0);
        return command;
    }
}
