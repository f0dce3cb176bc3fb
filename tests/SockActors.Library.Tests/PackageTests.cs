using System.Runtime.CompilerServices;

namespace SockActors.Library.Tests;

/// <summary>
/// The packages as a user gets them: pack the four projects into a local folder, build samples/HostedSockActors against
/// those packages (a nuget.config with the folder and the public registry, no project references) and run it.
/// </summary>
public sealed class PackageTests
{
    private static readonly string[] Packable = ["Model", "Actors", "Hosting", "TestKit"];

    [PackagesFact]
    public void The_packed_packages_build_and_run_the_hosted_sample()
    {
        var work = Directory.CreateTempSubdirectory("sockactors-packages-").FullName;
        // A version no earlier run used, so the global packages folder cannot hand back a stale copy; removed below.
        string version = $"0.1.0-test.{Environment.ProcessId}.{Guid.NewGuid():N}"[..40].TrimEnd('.');
        try
        {
            // Pack from a copy of the sources, so the repository's own bin/obj (which the other tests use) stay as built.
            var repo = Path.Combine(work, "repo");
            foreach (var f in new[] { "Directory.Build.props", "Directory.Packages.props" })
                CopyTo(Path.Combine(Repository.Root, f), Path.Combine(repo, f));
            foreach (var p in Packable) CopyTree(Path.Combine(Repository.Root, "src", p), Path.Combine(repo, "src", p));
            CopyTo(Path.Combine(Repository.Root, "src", "Package.props"), Path.Combine(repo, "src", "Package.props"));
            var feed = Path.Combine(work, "feed");
            foreach (var p in Packable)
                Repository.Run("dotnet", $"pack src/{p} -c Release -o \"{feed}\" -p:Version={version} -nologo -v q", repo);
            foreach (var p in Packable)
                Assert.True(File.Exists(Path.Combine(feed, $"SockActors.{p}.{version}.nupkg")), $"SockActors.{p} was not packed");

            var sample = Path.Combine(work, "sample");
            CopyTree(Path.Combine(Repository.Root, "samples", "HostedSockActors"), sample);
            File.WriteAllText(Path.Combine(sample, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="local" value="{feed}" />
                    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
                  </packageSources>
                </configuration>
                """);
            Repository.Run("dotnet", $"build -c Release -p:SockActorsVersion={version} -nologo -v q", sample);
            Assert.Contains(Directory.GetFiles(Path.Combine(sample, "bin", "Release", "net10.0")), f => Path.GetFileName(f) == "SockActors.Hosting.dll");
            Assert.DoesNotContain("ProjectReference", File.ReadAllText(Path.Combine(sample, "HostedSockActors.csproj")));

            string output = Repository.Run("dotnet", "bin/Release/net10.0/HostedSockActors.dll", sample,
                new Dictionary<string, string> { ["SockActors__Programs__sock_map"] = Repository.ScenarioObject });
            Assert.Contains("manager: akka://hosted-sockactors/system/sockactors", output);
            Assert.Contains("bpf object: p1 received 150 bytes, program runs 2", output);
            Assert.Contains("c# program: send hello 5, send #secret -13, p2 received 'hello'", output);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
            string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                              ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            foreach (var p in Packable)
            {
                var id = Path.Combine(packages, $"sockactors.{p.ToLowerInvariant()}");
                var dir = Path.Combine(id, version);
                if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
                if (Directory.Exists(id) && !Directory.EnumerateFileSystemEntries(id).Any()) Directory.Delete(id);
            }
        }
    }

    private static void CopyTo(string from, string to)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        File.Copy(from, to);
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(from, file);
            var top = rel.Split(Path.DirectorySeparatorChar)[0];
            if (top is "bin" or "obj") continue;
            CopyTo(file, Path.Combine(to, rel));
        }
    }
}

/// <summary>A fact that needs clang (the sample's BPF object) and the package registry (the sample restores its other
/// packages from it); it skips with a clear message where either is missing.</summary>
public sealed class PackagesFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Missing = new(() =>
    {
        if (Repository.Clang is null) return "clang not found: the packaged sample's BPF object cannot be compiled";
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            using var r = http.Send(new HttpRequestMessage(HttpMethod.Head, "https://api.nuget.org/v3/index.json"));
            return null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return $"the NuGet registry cannot be reached ({e.Message}): the pack-and-build test of the sample is skipped";
        }
    });

    public PackagesFactAttribute([CallerFilePath] string? sourceFilePath = null, [CallerLineNumber] int sourceLineNumber = -1)
        : base(sourceFilePath, sourceLineNumber)
    {
        if (Missing.Value is { } why) Skip = why;
    }
}
