using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SockActors.Host.Tests.Browser;

/// <summary>
/// A real headless Chromium driven over the DevTools protocol (a websocket, JSON messages): open a file, evaluate
/// script in it, move the mouse, take a full-page screenshot. Only what the picture tests need; no browser download:
/// it uses the distribution's chromium (test.sh installs it), and <see cref="Find"/> says why when there is none.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ClientWebSocket _socket;
    private readonly string _profileDir;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<bool>> _events = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiver;
    private int _nextId;
    private string _session = "";

    private HeadlessChromium(Process process, ClientWebSocket socket, string profileDir)
    {
        _process = process;
        _socket = socket;
        _profileDir = profileDir;
        _receiver = Task.Run(ReceiveLoop);
    }

    /// <summary>The browser executable, or null with the reason in <paramref name="why"/>.</summary>
    public static string? Find(out string why)
    {
        foreach (var candidate in new[] { Environment.GetEnvironmentVariable("CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" })
            if (!string.IsNullOrEmpty(candidate) && File.Exists(candidate))
            {
                why = "";
                return candidate;
            }
        why = "no Chromium found (/usr/bin/chromium; test.sh installs it with apt-get install chromium): browser tests skip";
        return null;
    }

    public static async Task<HeadlessChromium> StartAsync(string executable, int width = 1200, int height = 800)
    {
        string profile = Directory.CreateTempSubdirectory("sockactors-chromium-").FullName;
        var psi = new ProcessStartInfo(executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--no-default-browser-check",
                     "--disable-extensions", "--disable-background-networking", "--mute-audio", "--remote-debugging-port=0",
                     $"--user-data-dir={profile}", $"--window-size={width},{height}", "about:blank",
                 })
            psi.ArgumentList.Add(a);
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {executable}");
        _ = process.StandardOutput.ReadToEndAsync();
        // Chromium prints "DevTools listening on ws://127.0.0.1:PORT/devtools/browser/ID" on stderr when it is ready.
        var ready = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = Task.Run(async () =>
        {
            string? line;
            var seen = new StringBuilder();
            while ((line = await process.StandardError.ReadLineAsync()) is not null)
            {
                int at = line.IndexOf("ws://", StringComparison.Ordinal);
                if (line.Contains("DevTools listening on") && at >= 0) ready.TrySetResult(line[at..].Trim());
                else if (seen.Length < 4000) seen.AppendLine(line);
            }
            ready.TrySetException(new InvalidOperationException($"chromium exited before it listened: {seen}"));
        });
        var done = await Task.WhenAny(ready.Task, Task.Delay(TimeSpan.FromSeconds(60)));
        if (done != ready.Task)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw new TimeoutException("chromium did not open its DevTools port within 60 s");
        }
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(await ready.Task), CancellationToken.None);
        var browser = new HeadlessChromium(process, socket, profile);
        var target = await browser.SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" }, session: false);
        var attached = await browser.SendAsync("Target.attachToTarget",
            new JsonObject { ["targetId"] = target.GetProperty("targetId").GetString(), ["flatten"] = true }, session: false);
        browser._session = attached.GetProperty("sessionId").GetString()!;
        await browser.SendAsync("Page.enable");
        await browser.SendAsync("Emulation.setDeviceMetricsOverride",
            new JsonObject { ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = false });
        return browser;
    }

    /// <summary>Opens a page and waits for its load event.</summary>
    public async Task OpenAsync(string path)
    {
        var loaded = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _events["Page.loadEventFired"] = loaded;
        await SendAsync("Page.navigate", new JsonObject { ["url"] = new Uri(Path.GetFullPath(path)).AbsoluteUri });
        if (await Task.WhenAny(loaded.Task, Task.Delay(TimeSpan.FromSeconds(60))) != loaded.Task)
            throw new TimeoutException($"{path} did not load within 60 s");
    }

    /// <summary>Evaluates a script expression in the page and returns its value (JSON).</summary>
    public async Task<JsonElement> EvaluateAsync(string expression)
    {
        var r = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true });
        if (r.TryGetProperty("exceptionDetails", out var ex)) throw new InvalidOperationException($"script failed: {ex}");
        return r.GetProperty("result").TryGetProperty("value", out var v) ? v.Clone() : default;
    }

    /// <summary>Moves the mouse to a point of the viewport (hover).</summary>
    public Task MoveMouseAsync(double x, double y) =>
        SendAsync("Input.dispatchMouseEvent", new JsonObject { ["type"] = "mouseMoved", ["x"] = x, ["y"] = y });

    /// <summary>A PNG of the whole page (not only the viewport), written to <paramref name="path"/>.</summary>
    public async Task ScreenshotAsync(string path, double? maxHeight = null)
    {
        var metrics = await SendAsync("Page.getLayoutMetrics");
        var size = metrics.GetProperty("cssContentSize");
        double w = size.GetProperty("width").GetDouble(), h = size.GetProperty("height").GetDouble();
        if (maxHeight is { } m) h = Math.Min(h, m);
        var shot = await SendAsync("Page.captureScreenshot", new JsonObject
        {
            ["format"] = "png",
            ["captureBeyondViewport"] = true,
            ["clip"] = new JsonObject { ["x"] = 0, ["y"] = 0, ["width"] = w, ["height"] = h, ["scale"] = 1 },
        });
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllBytesAsync(path, Convert.FromBase64String(shot.GetProperty("data").GetString()!));
    }

    private async Task<JsonElement> SendAsync(string method, JsonObject? parameters = null, bool session = true)
    {
        int id = Interlocked.Increment(ref _nextId);
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        if (session) message["sessionId"] = _session;
        var reply = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        if (await Task.WhenAny(reply.Task, Task.Delay(TimeSpan.FromSeconds(60))) != reply.Task)
            throw new TimeoutException($"{method}: no answer from chromium within 60 s");
        return await reply.Task;
    }

    private async Task ReceiveLoop()
    {
        var buffer = new byte[1 << 16];
        var message = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested && _socket.State == WebSocketState.Open)
            {
                var r = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (r.MessageType == WebSocketMessageType.Close) break;
                message.Write(buffer, 0, r.Count);
                if (!r.EndOfMessage) continue;
                using var doc = JsonDocument.Parse(message.ToArray());
                message.SetLength(0);
                var root = doc.RootElement;
                if (root.TryGetProperty("id", out var idEl) && _pending.TryRemove(idEl.GetInt32(), out var tcs))
                {
                    if (root.TryGetProperty("error", out var err)) tcs.TrySetException(new InvalidOperationException($"DevTools error: {err}"));
                    else tcs.TrySetResult(root.GetProperty("result").Clone());
                }
                else if (root.TryGetProperty("method", out var m) && _events.TryRemove(m.GetString()!, out var ev))
                {
                    ev.TrySetResult(true);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }
        foreach (var p in _pending.Values) p.TrySetException(new InvalidOperationException("chromium closed the connection"));
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try { await _receiver.WaitAsync(TimeSpan.FromSeconds(5)); } catch (Exception e) when (e is TimeoutException or OperationCanceledException) { }
        _socket.Dispose();
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
        }
        _process.Dispose();
        try { Directory.Delete(_profileDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
