using SockActors.Host.Configuration;

namespace SockActors.Host.Tests;

public class ConfigurationTests
{
    private static string TempHocon(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), $"sockactors-{Guid.NewGuid():N}.conf");
        File.WriteAllText(path, text);
        return path;
    }

    private static HostSettings Settings(string? hocon, IReadOnlyList<string> commandLine, Dictionary<string, string> env) =>
        HostSettings.From(HostConfiguration.Build(hocon, commandLine, env));

    [Fact]
    public void The_shipped_hocon_conf_is_read_and_flattened()
    {
        Assert.True(File.Exists(HostConfiguration.DefaultPath), HostConfiguration.DefaultPath);
        var flat = HostConfiguration.ReadHocon(HostConfiguration.DefaultPath);
        Assert.Equal("actors", flat["sockactors:engine"]);
        Assert.Equal("linux-6.18", flat["sockactors:profile"]);
        Assert.Equal("4194304", flat["sockactors:socket:sndbuf"]);
        Assert.True(flat.ContainsKey("akka:loglevel"));
    }

    [Fact]
    public void Hocon_then_environment_then_command_line()
    {
        var hocon = TempHocon("sockactors { profile = linux-4.17, seed = 3, socket { sndbuf = 1000 } }");
        try
        {
            var none = new Dictionary<string, string>();
            var fromFile = Settings(hocon, [], none);
            Assert.Equal("linux-4.17", fromFile.Profile.Name);
            Assert.Equal(3, fromFile.Seed);
            Assert.Equal(1000, fromFile.Socket.Sndbuf);

            var env = new Dictionary<string, string>
            {
                ["SOCKACTORS_sockactors__seed"] = "5",
                ["SOCKACTORS_sockactors__socket__sndbuf"] = "2000",
                ["OTHER_sockactors__seed"] = "99",
            };
            var fromEnv = Settings(hocon, [], env);
            Assert.Equal(5, fromEnv.Seed);
            Assert.Equal(2000, fromEnv.Socket.Sndbuf);
            Assert.Equal("linux-4.17", fromEnv.Profile.Name);

            var fromArgs = Settings(hocon, ["sockactors:seed=7", "sockactors:profile=linux-6.18"], env);
            Assert.Equal(7, fromArgs.Seed);
            Assert.Equal("linux-6.18", fromArgs.Profile.Name);
            Assert.Equal(2000, fromArgs.Socket.Sndbuf);
        }
        finally
        {
            File.Delete(hocon);
        }
    }

    [Fact]
    public void Command_line_options_override_the_environment_through_the_program()
    {
        var env = new Dictionary<string, string> { ["SOCKACTORS_sockactors__engine"] = "nonesuch" };
        var viaEnv = HostRun.Invoke(["scenario"], "{\"name\": \"a\", \"sends\": [1]}", env);
        Assert.Equal(2, viaEnv.ExitCode);
        Assert.Contains("unknown engine 'nonesuch'", viaEnv.Err);

        var viaArgs = HostRun.Invoke(["scenario", "--engine", "model"], "{\"name\": \"a\", \"sends\": [1]}", env);
        Assert.Equal(0, viaArgs.ExitCode);

        var viaSet = HostRun.Invoke(["scenario", "--set", "sockactors:engine=model"], "{\"name\": \"a\", \"sends\": [1]}", env);
        Assert.Equal(0, viaSet.ExitCode);
    }

    [Fact]
    public void A_malformed_hocon_file_is_a_usage_error_naming_the_file()
    {
        var hocon = TempHocon("sockactors {\n  engine = model\n  profile = { unclosed\n");
        try
        {
            var run = HostRun.Invoke(["scenario", "--config", hocon], "");
            Assert.Equal(2, run.ExitCode);
            Assert.Contains(hocon, run.Err);
            Assert.Contains("malformed configuration file", run.Err);
            Assert.False(run.HasStackTrace, run.Err);
            Assert.Single(run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            File.Delete(hocon);
        }
    }

    [Theory]
    [InlineData("sockactors { engine = model", "'{' is never closed")]
    [InlineData("sockactors { engine = }", "no value")]
    [InlineData("sockactors { engine : [1, }", "closes the '['")]
    [InlineData("}", "closes nothing")]
    [InlineData("a = \"open", "unterminated string")]
    [InlineData("a = ${missing}", "missing")]
    public void Every_kind_of_malformed_hocon_is_reported(string text, string problem)
    {
        var hocon = TempHocon(text);
        try
        {
            var run = HostRun.Invoke(["scenario", "--config", hocon], "");
            Assert.Equal(2, run.ExitCode);
            Assert.Contains(hocon, run.Err);
            Assert.Contains(problem, run.Err);
        }
        finally
        {
            File.Delete(hocon);
        }
    }

    [Fact]
    public void Valid_hocon_with_strings_comments_and_substitutions_is_accepted()
    {
        var hocon = TempHocon("a { b = 1 }\nc = [1, 2]\nd = \"}\"  # }\ne = \"\"\"{\n\"\"\"\nf = \"http://x\"\ng = ${a.b}\nsockactors.seed = 4\n");
        try
        {
            var settings = Settings(hocon, [], new Dictionary<string, string>());
            Assert.Equal(4, settings.Seed);
        }
        finally
        {
            File.Delete(hocon);
        }
    }

    [Fact]
    public void A_missing_config_file_is_a_usage_error()
    {
        var run = HostRun.Invoke(["scenario", "--config", "/nonexistent/sockactors.conf"], "");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("/nonexistent/sockactors.conf", run.Err);
    }

    [Fact]
    public void A_bad_value_is_a_usage_error()
    {
        var run = HostRun.Invoke(["scenario", "--set", "sockactors:seed=banana"], "");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("sockactors:seed", run.Err);
    }
}
