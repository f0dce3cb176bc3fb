namespace SockActors.Host.Tests.Browser;

/// <summary>A test that needs a headless Chromium; skipped with the reason where none is installed.</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (HeadlessChromium.Find(out var why) is null) Skip = why;
    }
}

/// <summary>One browser for all tests of a class (starting Chromium costs about a second).</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private HeadlessChromium? _browser;

    public HeadlessChromium Browser => _browser ?? throw new InvalidOperationException("no chromium (the test should have been skipped)");

    public async Task InitializeAsync()
    {
        if (HeadlessChromium.Find(out _) is { } exe) _browser = await HeadlessChromium.StartAsync(exe);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
    }
}

/// <summary>Where pictures and screenshots are kept after a run: .ci/out/explain in the repository (test.sh keeps .ci/out
/// as the CI's artifacts), or a temporary directory outside a checkout.</summary>
public static class Artifacts
{
    public static string Dir(string sub)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SockActors.sln"))) dir = dir.Parent;
        string root = dir is null ? Path.Combine(Path.GetTempPath(), "sockactors-artifacts") : Path.Combine(dir.FullName, ".ci", "out");
        var path = Path.Combine(root, sub);
        Directory.CreateDirectory(path);
        return path;
    }
}
