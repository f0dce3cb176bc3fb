using System.Text;
using SockActors.Host.TestSockmap;
using static SockActors.Host.Explain.HtmlPage;

namespace SockActors.Host.Explain;

/// <summary>
/// `run --html FILE`: the matrix as a report. FILE holds the counts per family (basic, apply, cork, apply+cork, pull,
/// push/pop, ...), failures first, and every case with a link to its picture; the pictures are sibling files in
/// FILE's ".cases" folder (one page per case keeps the report light enough to open at once).
/// </summary>
public static class MatrixReport
{
    /// <summary>The family of a case, from its name (sh/&lt;family&gt;/... or ts/&lt;subtest&gt;/...).</summary>
    public static string Family(string caseName)
    {
        var parts = caseName.Split('/');
        string f = parts.Length > 1 ? parts[1] : caseName;
        if (f is "basic" or "max-iov" or "passthrough" or "redirect" or "drop" or "ingress-redirect") return "basic";
        if (f.StartsWith("redir-cork", StringComparison.Ordinal) || (f.StartsWith("apply", StringComparison.Ordinal) && f.Contains("cork"))) return "apply+cork";
        if (f == "apply" && parts.Length > 2 && parts[2].Contains("cork")) return "apply+cork";
        if (f.StartsWith("apply", StringComparison.Ordinal)) return "apply";
        if (f.StartsWith("cork", StringComparison.Ordinal) || f == "hanging-corks") return "cork";
        if (f.Contains("pull")) return "pull";
        if (f is "push" or "pop" or "push-pop") return "push/pop";
        return f;
    }

    /// <summary>The picture file of case <paramref name="index"/>, relative to the report.</summary>
    public static string CaseFile(string reportPath, int index, string name) =>
        $"{Path.GetFileNameWithoutExtension(reportPath)}.cases/{index:D4}-{Slug(name)}.html";

    private static string Slug(string name)
    {
        var sb = new StringBuilder();
        foreach (char ch in name) sb.Append(char.IsAsciiLetterOrDigit(ch) || ch is '-' or '.' ? ch : '_');
        return sb.ToString();
    }

    /// <summary>Writes the report and the case pictures; returns the number of files written.</summary>
    public static int Write(string path, IReadOnlyList<CaseResult> results, string summary)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string casesDir = Path.Combine(dir, Path.GetFileNameWithoutExtension(path) + ".cases");
        Directory.CreateDirectory(casesDir);
        int files = 0;
        for (int i = 0; i < results.Count; i++)
        {
            var p = results[i].Picture;
            if (p is null) continue;
            string body = $"<p><a href=\"../{Escape(Path.GetFileName(path))}#case-{i}\">&larr; back to the report</a></p>\n" +
                          PictureHtml.Section(p, $"case-{i}");
            File.WriteAllText(Path.Combine(dir, CaseFile(path, i, results[i].Case.Name)), Wrap($"{p.Title}: sockactors run", body));
            files++;
        }
        File.WriteAllText(path, Report(path, results, summary));
        return files + 1;
    }

    public static string Report(string path, IReadOnlyList<CaseResult> results, string summary)
    {
        var indexed = results.Select((r, i) => (r, i)).ToList();
        var families = indexed.GroupBy(x => Family(x.r.Case.Name))
            .Select(g => (Name: g.Key, Cases: g.ToList(), Failed: g.Count(x => !x.r.Passed)))
            .OrderByDescending(f => f.Failed > 0).ToList();
        int failed = results.Count(r => !r.Passed);
        var sb = new StringBuilder();
        sb.Append($"<h1>sockactors run: {results.Count} cases, {results.Count - failed} passed, <span class=\"{(failed > 0 ? "badge fail" : "")}\">{failed} failed</span></h1>\n");
        sb.Append($"<p class=\"meta\">{Escape(summary)}</p>\n");
        if (failed > 0)
        {
            sb.Append("<h2 id=\"failures\">Failures</h2>\n");
            sb.Append(CaseTable(path, indexed.Where(x => !x.r.Passed).ToList(), "failures"));
        }
        sb.Append("<h2>Families</h2>\n<table class=\"families\"><tr><th>family</th><th>cases</th><th>passed</th><th>failed</th></tr>");
        foreach (var f in families)
            sb.Append($"<tr class=\"{(f.Failed > 0 ? "fail" : "pass")}\"><td><a href=\"#family-{Slug(f.Name)}\">{Escape(f.Name)}</a></td><td class=\"num\">{f.Cases.Count}</td><td class=\"num\">{f.Cases.Count - f.Failed}</td><td class=\"num\">{f.Failed}</td></tr>");
        sb.Append("</table>\n");
        foreach (var f in families)
        {
            sb.Append($"<h2 id=\"family-{Slug(f.Name)}\">{Escape(f.Name)} <small class=\"meta\">{f.Cases.Count} cases, {f.Failed} failed</small></h2>\n");
            sb.Append(CaseTable(path, f.Cases.OrderBy(x => x.r.Passed).ToList(), "cases"));
        }
        return Wrap("sockactors run", sb.ToString());
    }

    private static string CaseTable(string path, List<(CaseResult r, int i)> rows, string cls)
    {
        var sb = new StringBuilder($"<table class=\"{cls}\"><tr><th>case</th><th>mode</th><th>options</th><th>expected</th><th>received</th><th>runs</th><th>result</th></tr>");
        foreach (var (r, i) in rows)
        {
            var c = r.Case;
            string expected = Commands.RunCommand.ExpectedText(c);
            string name = r.Picture is null ? Escape(c.Name) : $"<a href=\"{Escape(CaseFile(path, i, c.Name))}\">{Escape(c.Name)}</a>";
            string id = cls == "cases" ? $" id=\"case-{i}\"" : "";
            sb.Append($"<tr class=\"case {(r.Passed ? "pass" : "fail")}\"{id} data-case=\"{Escape(c.Name)}\"><td>{name}</td><td>{c.ModeName}</td><td class=\"mono\">{Escape(c.Options.ToString())}</td>" +
                      $"<td class=\"num\">{expected}</td><td class=\"num\">{r.BytesReceived}</td><td class=\"num\">{r.ProgramRuns}</td>" +
                      $"<td>{(r.Passed ? "PASS" : "<b>FAIL</b>: " + Escape(r.Reason))}</td></tr>");
        }
        return sb.Append("</table>\n").ToString();
    }
}
