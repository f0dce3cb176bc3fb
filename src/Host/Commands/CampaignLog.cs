using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using SockActors.Kernel.Conformance;
using SockActors.Model.Scenarios;

namespace SockActors.Host.Commands;

/// <summary>
/// The file of a resumable kernel campaign (`conformance --kernel --campaign FILE`): one JSON line per scenario
/// ({"name", "status", "attempts", "matching", "note", "catalogue", "differences", "scenario"}), appended and flushed as
/// each scenario ends, so that an interrupted campaign resumes where it stopped: scenarios already in the file are
/// skipped, and the summary counts the whole file.
/// </summary>
public sealed class CampaignLog : IDisposable
{
    private readonly StreamWriter _writer;
    private readonly Dictionary<string, string> _status = new();
    private readonly int _total;
    private readonly ICampaignProgress _progress;

    private CampaignLog(StreamWriter writer, int total, ICampaignProgress progress)
    {
        _writer = writer;
        _total = total;
        _progress = progress;
    }

    public static CampaignLog Open(string path, int total, ICampaignProgress progress)
    {
        var done = new Dictionary<string, string>();
        if (File.Exists(path))
        {
            int lineNo = 0;
            foreach (var line in File.ReadLines(path))
            {
                lineNo++;
                if (string.IsNullOrWhiteSpace(line)) continue;
                try
                {
                    using var doc = JsonDocument.Parse(line);
                    done[doc.RootElement.GetProperty("name").GetString()!] = doc.RootElement.GetProperty("status").GetString()!;
                }
                catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
                {
                    throw new HostException($"{path}:{lineNo}: not a campaign line (it needs \"name\" and \"status\"): {e.Message}");
                }
            }
        }
        StreamWriter writer;
        try
        {
            writer = new StreamWriter(path, append: true, new UTF8Encoding(false));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HostException($"cannot write {path}: {e.Message}");
        }
        var log = new CampaignLog(writer, total, progress);
        foreach (var (k, v) in done) log._status[k] = v;
        return log;
    }

    /// <summary>The scenario already has a line (a resumed campaign skips it).</summary>
    public bool Done(string name) => _status.ContainsKey(name);

    public static string Status(ScenarioComparison c) =>
        !c.KernelRan ? (c.Agrees ? "not-run" : "DIFF") : c.Agrees ? (c.Unstable ? "unstable" : "ok") : c.Catalogued is not null ? "known" : "DIFF";

    public void Add(ScenarioComparison c)
    {
        string status = Status(c);
        _status[c.Scenario.Name] = status;
        var buf = new MemoryStream();
        using (var w = new Utf8JsonWriter(buf, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("name", c.Scenario.Name);
            w.WriteString("status", status);
            WriteJudgement(w, c, "simulation");
            w.WritePropertyName("scenario");
            ScenarioJson.WriteScenario(w, c.Scenario);
            w.WriteEndObject();
        }
        _writer.WriteLine(Encoding.UTF8.GetString(buf.ToArray()));
        _writer.Flush();
        _progress.Report(_status.Count, Math.Max(_total, _status.Count), Counts);
    }

    /// <summary>"attempts", "matching", "note", "catalogue" and "differences" (field, kernel, and the simulation's
    /// value under <paramref name="simulationKey"/>), as `conformance --kernel --json` and the campaign file write them.</summary>
    public static void WriteJudgement(Utf8JsonWriter w, ScenarioComparison c, string simulationKey)
    {
        w.WriteNumber("attempts", c.Attempts);
        w.WriteNumber("matching", c.Matching);
        if (c.Note is not null) w.WriteString("note", c.Note);
        if (c.Catalogued is not null) w.WriteString("catalogue", c.Catalogued);
        w.WriteStartArray("differences");
        foreach (var d in c.Differences)
        {
            w.WriteStartObject();
            w.WriteString("field", d.Field);
            w.WriteString("kernel", d.Expected);
            w.WriteString(simulationKey, d.Actual);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    public CampaignCounts Counts => new(
        _status.Values.Count(s => s == "ok"), _status.Values.Count(s => s == "unstable"), _status.Values.Count(s => s == "known"),
        _status.Values.Count(s => s == "DIFF"), _status.Values.Count(s => s == "not-run"));

    public int Failures => Counts.Differ;

    public string Summary(string description, string kernel, string simulation)
    {
        var c = Counts;
        return $"campaign: {_status.Count} scenarios in the file ({description}) on {kernel} vs engine {simulation}: {c.Ok} agree, " +
               $"{c.Unstable} agree with the kernel's majority (kernel unstable), {c.Known} differ as catalogued, {c.Differ} differ, {c.NotRun} not run on the kernel";
    }

    public void Dispose() => _writer.Dispose();
}
