using System.Globalization;
using System.Text;
using static SockActors.Host.Explain.HtmlPage;

namespace SockActors.Host.Explain;

/// <summary>
/// Draws one <see cref="ExplainPicture"/> as an HTML section with an inline SVG: the sender's sends as a band, the
/// program runs over it (stacked where the program saw the same bytes again, as with a cork or an apply window), the
/// apply and cork windows each run asked for, failing helpers in red, where each run's bytes went (a band of flows)
/// and arrows from there to the destinations (the peer, another socket's egress or ingress, dropped, freed, corked).
/// </summary>
public static class PictureHtml
{
    private const double Left = 130, BandWidth = 930, Width = Left + BandWidth + 20;
    private const double LaneHeight = 40, MaxLanes = 8;
    private const int MaxArrows = 60;

    public static string Section(ExplainPicture p, string id, IReadOnlySet<long>? differingRuns = null)
    {
        var sb = new StringBuilder();
        sb.Append($"<section class=\"picture\" id=\"{Escape(id)}\" data-engine=\"{Escape(p.Engine)}\" data-runs=\"{p.Runs.Count}\" data-runs-total=\"{p.RunsTotal}\">\n");
        sb.Append($"<h2>{Escape(p.Title)} <small class=\"meta\">({Escape(p.Engine)}, {Escape(p.Profile)})</small>");
        if (p.Verdict is not null)
            sb.Append($" <span class=\"badge {(p.Verdict.StartsWith("PASS", StringComparison.Ordinal) ? "pass" : "fail")}\">{Escape(p.Verdict)}</span>");
        sb.Append("</h2>\n");
        if (p.Input is not null) sb.Append($"<div class=\"meta\"><code>{Escape(p.Input)}</code></div>\n");
        if (p.Warnings.Count > 0)
        {
            sb.Append("<div class=\"warnings\">");
            foreach (var w in p.Warnings) sb.Append($"<div class=\"warning\" data-code=\"{Escape(w.Code)}\">&#9888; <b>{Escape(w.Code)}</b>: {Escape(w.Message)}</div>");
            sb.Append("</div>\n");
        }
        sb.Append($"<div class=\"meta runs-count\">{p.Runs.Count} program run{(p.Runs.Count == 1 ? "" : "s")} drawn");
        if (p.RunsTotal != p.Runs.Count) sb.Append($" of {p.RunsTotal} (later runs counted, their bytes merged into the flows)");
        sb.Append($"; {p.Sends.Count} send{(p.Sends.Count == 1 ? "" : "s")}, {p.StreamBytes} bytes of stream");
        if (p.FlowsKnown && p.MessageBytes != p.StreamBytes)
            sb.Append($"; the kernel disposed of {p.MessageBytes} message bytes (pushed or popped bytes, a replayed cork message, or a send that reported fewer bytes than it consumed)");
        if (!p.FlowsKnown) sb.Append("; the kernel's trace says what each run saw, not where its bytes went: arrows show the receivers' totals");
        sb.Append(".</div>\n");
        sb.Append(Svg(p, differingRuns ?? new HashSet<long>()));
        sb.Append(Legend());
        sb.Append(Receivers(p));
        sb.Append(RunTable(p, differingRuns));
        sb.Append("</section>\n");
        return sb.ToString();
    }

    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Svg(ExplainPicture p, IReadOnlySet<long> differing)
    {
        double extent = Math.Max(1, Math.Max(p.StreamBytes, Math.Max(p.MessageBytes, p.Sends.Count == 0 ? 0 : p.Sends[^1].MessageEnd)));
        double X(long offset) => Left + Math.Min(offset, extent) * BandWidth / extent;
        double W(long offset, long len) => Math.Max(1.5, X(offset + len) - X(offset));
        var body = new StringBuilder();
        double y = 14;

        // The sends, on the sender's stream.
        body.Append($"<text class=\"lane-label\" x=\"4\" y=\"{F(y + 14)}\">{Escape(p.Sender)} sends</text>");
        foreach (var s in p.Sends)
        {
            // On the simulation's picture a send covers the message bytes it became (so that it lines up with the runs
            // and flows below); on the kernel's, its place on the contract's stream.
            bool onMessages = p.FlowsKnown && s.MessageStart >= 0;
            double x = onMessages ? X(s.MessageStart) : X(s.Offset);
            double w = onMessages ? W(s.MessageStart, s.MessageEnd - s.MessageStart) : W(s.Offset, s.Len);
            string rc = s.Rc < 0 ? $"{s.Rc} {s.Error}" : s.Rc.ToString(CultureInfo.InvariantCulture);
            body.Append($"<rect class=\"send{(s.Rc < 0 ? " failed" : "")}\" data-index=\"{s.Index}\" x=\"{F(x)}\" y=\"{F(y)}\" width=\"{F(w)}\" height=\"20\"><title>send {s.Index}: {s.Len} bytes at stream offset {s.Offset}, returned {Escape(rc)}{(onMessages ? $"; message bytes {s.MessageStart} to {s.MessageEnd}" : "")}</title></rect>");
            string label = $"send {s.Index}: {s.Len} \u2192 {rc}";
            if (w >= label.Length * 6) body.Append($"<text x=\"{F(x + 3)}\" y=\"{F(y + 14)}\"{(s.Rc < 0 ? " class=\"helper-error\"" : "")}>{Escape(label)}</text>");
        }
        y += 30;

        // The runs, lane by lane: a run goes into the first lane where it does not overlap an earlier one.
        body.Append($"<text class=\"lane-label\" x=\"4\" y=\"{F(y + 12)}\">program runs</text>");
        var laneEnds = new List<double>();
        // Where the last helper error text of each lane ends: a text that would overprint it is left to the tooltip
        // and the runs table (a program that fails the same helper on every run would otherwise print a smear).
        var textEnds = new List<double>();
        int slots = Math.Max(1, p.Runs.Count);
        foreach (var r in p.Runs)
        {
            double x, w;
            if (r.Offset >= 0 && p.FlowsKnown)
            {
                x = X(r.Offset);
                w = W(r.Offset, Math.Max(r.Size, r.SizeAfter));
            }
            else
            {
                // Positions unknown (the kernel's trace): the runs in order, side by side.
                x = Left + (double)r.Index * BandWidth / slots;
                w = Math.Max(1.5, BandWidth / slots - 1);
            }
            int lane = laneEnds.FindIndex(end => end <= x + 0.01);
            if (lane < 0)
            {
                if (laneEnds.Count < MaxLanes) { laneEnds.Add(0); lane = laneEnds.Count - 1; }
                else lane = laneEnds.Count - 1;
            }
            laneEnds[lane] = Math.Max(laneEnds[lane], x + w + 1);
            while (textEnds.Count <= lane) textEnds.Add(0);
            double ry = y + lane * LaneHeight;
            string cls = $"run {r.Verdict}{(differing.Contains(r.Index) ? " differs" : "")}";
            body.Append($"<rect class=\"{cls}\" data-run=\"{r.Index}\" data-tip=\"{Escape(Tip(r))}\" x=\"{F(x)}\" y=\"{F(ry)}\" width=\"{F(w)}\" height=\"16\"/>");
            string label = $"#{r.Index} {r.Size}{(r.SizeAfter != r.Size ? "\u2192" + r.SizeAfter : "")} {r.Verdict}";
            if (w >= label.Length * 6) body.Append($"<text x=\"{F(x + 3)}\" y=\"{F(ry + 12)}\" pointer-events=\"none\">{Escape(label)}</text>");
            if (r.Offset >= 0 && p.FlowsKnown)
            {
                // The windows the run asked for, from where its message began.
                if (r.ApplyRequested > 0)
                    body.Append($"<line class=\"apply-window\" x1=\"{F(x)}\" x2=\"{F(x + W(r.Offset, r.ApplyRequested))}\" y1=\"{F(ry + 19)}\" y2=\"{F(ry + 19)}\"><title>apply window: {r.ApplyRequested} bytes from run {r.Index}</title></line>");
                if (r.CorkRequested > 0)
                    body.Append($"<line class=\"cork-window\" x1=\"{F(x)}\" x2=\"{F(x + W(r.Offset, r.CorkRequested))}\" y1=\"{F(ry + 23)}\" y2=\"{F(ry + 23)}\"><title>cork window: {r.CorkRequested} bytes from run {r.Index}</title></line>");
            }
            var failed = r.Helpers.Where(h => h.Failed).ToList();
            if (failed.Count > 0)
            {
                string text = string.Join(", ", failed.Select(h => h.Text));
                double tx = Math.Max(Left, Math.Min(x, Left + BandWidth - text.Length * 6.2));
                if (tx < textEnds[lane]) continue;
                textEnds[lane] = tx + text.Length * 6.2 + 8;
                body.Append($"<text class=\"helper-error\" data-run=\"{r.Index}\" x=\"{F(tx)}\" y=\"{F(ry + 35)}\">{Escape(text)}</text>");
            }
        }
        y += Math.Max(1, laneEnds.Count) * LaneHeight + 6;

        // Where the bytes went: the flows on the sender's message bytes, and one row per destination.
        double flowY = y;
        body.Append($"<text class=\"lane-label\" x=\"4\" y=\"{F(y + 11)}\">where bytes went</text>");
        var rows = new List<(string Key, string Label, string Kind, long Total)>();
        var arrows = new StringBuilder();
        if (p.FlowsKnown)
        {
            foreach (var f in p.Flows)
            {
                body.Append($"<rect class=\"flow k-{f.Kind}\" data-run=\"{f.Run}\" x=\"{F(X(f.Offset))}\" y=\"{F(y)}\" width=\"{F(W(f.Offset, f.Bytes))}\" height=\"14\"><title>{Escape(FlowText(f))}</title></rect>");
                string key = $"{f.Kind}|{f.To}|{f.Via}";
                int i = rows.FindIndex(r => r.Key == key);
                if (i < 0) rows.Add((key, RowLabel(f), f.Kind, f.Bytes));
                else rows[i] = rows[i] with { Total = rows[i].Total + f.Bytes };
            }
        }
        else
        {
            body.Append($"<rect class=\"flow k-total\" x=\"{F(Left)}\" y=\"{F(y)}\" width=\"{F(BandWidth)}\" height=\"14\"><title>the sender's stream</title></rect>");
            foreach (var r in p.Receivers.Where(r => r.Read > 0)) rows.Add((r.Name, $"{r.Name} read", "total", r.Read));
        }
        y += 14 + 46;
        var rowY = new Dictionary<string, double>();
        var rowFill = new Dictionary<string, long>();
        foreach (var row in rows)
        {
            rowY[row.Key] = y;
            rowFill[row.Key] = 0;
            body.Append($"<text class=\"lane-label\" x=\"4\" y=\"{F(y + 11)}\">{Escape(row.Label)}</text>");
            body.Append($"<rect class=\"dest-band\" x=\"{F(Left)}\" y=\"{F(y)}\" width=\"{F(BandWidth)}\" height=\"14\"/>");
            body.Append($"<text x=\"{F(Left + BandWidth - 4)}\" y=\"{F(y + 11)}\" text-anchor=\"end\">{row.Total} B</text>");
            y += 30;
        }
        if (p.FlowsKnown)
        {
            // Past MaxArrows flows, every k-th flow of a destination gets an arrow (the first always): the segments
            // still show every flow.
            int every = (int)Math.Ceiling(p.Flows.Count / (double)MaxArrows);
            var seen = new Dictionary<string, int>();
            foreach (var f in p.Flows)
            {
                string key = $"{f.Kind}|{f.To}|{f.Via}";
                double ry = rowY[key];
                long at = rowFill[key];
                rowFill[key] = at + f.Bytes;
                double dx = X(at), dw = W(at, f.Bytes);
                body.Append($"<rect class=\"flow k-{f.Kind}\" x=\"{F(dx)}\" y=\"{F(ry)}\" width=\"{F(dw)}\" height=\"14\"/>");
                int n = seen[key] = seen.GetValueOrDefault(key) + 1;
                if ((n - 1) % every == 0)
                    Arrow(arrows, X(f.Offset) + W(f.Offset, f.Bytes) / 2, flowY + 14, dx + dw / 2, ry, f.Kind, FlowText(f));
            }
        }
        else
        {
            foreach (var row in rows)
            {
                double ry = rowY[row.Key];
                double dw = W(0, row.Total);
                body.Append($"<rect class=\"flow k-total\" x=\"{F(Left)}\" y=\"{F(ry)}\" width=\"{F(dw)}\" height=\"14\"/>");
                Arrow(arrows, Left + BandWidth / 2, flowY + 14, Left + dw / 2, ry, "total", $"{row.Total} bytes read at {row.Key}");
            }
        }
        double height = y + 6;
        return $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"explain\" width=\"{F(Width)}\" height=\"{F(height)}\" viewBox=\"0 0 {F(Width)} {F(height)}\">" +
               body + arrows + "</svg>\n";
    }

    private static void Arrow(StringBuilder sb, double x1, double y1, double x2, double y2, string kind, string title)
    {
        double my = (y1 + y2) / 2;
        sb.Append($"<path class=\"arrow k-{kind}\" style=\"fill:none\" d=\"M{F(x1)},{F(y1)} C{F(x1)},{F(my)} {F(x2)},{F(my)} {F(x2)},{F(y2 - 4)}\"><title>{Escape(title)}</title></path>");
        sb.Append($"<path class=\"k-{kind}\" d=\"M{F(x2 - 3.5)},{F(y2 - 6)} L{F(x2 + 3.5)},{F(y2 - 6)} L{F(x2)},{F(y2)} Z\"/>");
    }

    private static string RowLabel(ExplainFlow f) => f.Kind switch
    {
        "delivered" => $"{f.To} \u2190 {f.Via} TCP",
        "redirect-egress" => $"{f.To} \u2190 {f.Via} egress",
        "redirect-ingress" => $"{f.To} ingress",
        "dropped" => "dropped",
        "freed" => "freed (lost)",
        "corked" => "corked, purged",
        _ => f.Kind,
    };

    private static string FlowText(ExplainFlow f) => f.Kind switch
    {
        "delivered" => $"run {f.Run}: {f.Bytes} bytes passed to {f.Via}'s TCP, for {f.To}",
        "redirect-egress" => $"run {f.Run}: {f.Bytes} bytes redirected out of {f.Via}'s TCP, for {f.To}",
        "redirect-ingress" => $"run {f.Run}: {f.Bytes} bytes redirected onto {f.To}'s ingress_msg",
        "dropped" => $"run {f.Run}: {f.Bytes} bytes dropped (SK_DROP frees the message)",
        "freed" => $"run {f.Run}: {f.Bytes} bytes freed after the redirect of the cork message or a failed send",
        "corked" => $"{f.Bytes} bytes still in the cork when the sends ended: purged at close",
        _ => $"run {f.Run}: {f.Bytes} bytes {f.Kind}",
    };

    /// <summary>What hovering a run shows: its sk_msg_md fields, helper calls, verdict and the state after it.</summary>
    public static string Tip(ExplainRun r)
    {
        var sb = new StringBuilder();
        sb.Append($"run {r.Index} on {r.Sock}: {r.Verdict}");
        if (r.RedirectTo is not null) sb.Append($" to {r.RedirectTo}{(r.Ingress ? " ingress" : " egress")}");
        sb.Append('\n');
        foreach (var (k, v) in r.Md) sb.Append($"  {k} = {v}\n");
        sb.Append($"  size after the program = {r.SizeAfter}, data window = {r.Len}\n");
        foreach (var h in r.Helpers) sb.Append($"  bpf_{h.Text}{(h.Failed ? "   <- failed" : "")}\n");
        sb.Append($"  asked: apply_bytes {r.ApplyRequested}, cork_bytes {r.CorkRequested}");
        if (r.ApplyLeft is not null) sb.Append($"\n  after: psock apply_bytes {r.ApplyLeft}, cork_bytes {r.CorkLeft}, cork holds {r.CorkHeld} bytes");
        return sb.ToString();
    }

    private static string Legend() =>
        "<div class=\"legend meta\">" +
        "<span><i style=\"background:#8fd19e\"></i>run: pass</span><span><i style=\"background:#86b7fe\"></i>run: redirect</span><span><i style=\"background:#f1948a\"></i>run: drop</span>" +
        "<span><i style=\"background:#6f42c1\"></i>apply window</span><span><i style=\"background:#a0522d\"></i>cork window (dashed)</span>" +
        "<span><i style=\"background:#2e9d4d\"></i>to the peer</span><span><i style=\"background:#1f6fd1\"></i>redirect egress</span><span><i style=\"background:#7b3fd1\"></i>redirect ingress</span>" +
        "<span><i style=\"background:#c62828\"></i>dropped</span><span><i style=\"background:#8d6e63\"></i>freed</span><span><i style=\"background:#e0a800\"></i>corked</span>" +
        " Hover a run for its sk_msg_md fields.</div>\n";

    private static string Receivers(ExplainPicture p)
    {
        if (p.Receivers.Count == 0) return "";
        var sb = new StringBuilder("<table class=\"receivers\"><tr><th>receiver</th><th>read</th><th>fnv</th>");
        if (p.FlowsKnown) sb.Append("<th>arrived</th><th>not read</th>");
        sb.Append("</tr>");
        foreach (var r in p.Receivers)
        {
            bool differs = p.Differences.Any(d => d.Field.StartsWith(r.Name + ".", StringComparison.Ordinal));
            sb.Append($"<tr data-receiver=\"{Escape(r.Name)}\"{(differs ? " class=\"differs-row\"" : "")}><td>{Escape(r.Name)}</td><td class=\"num\">{r.Read}</td><td class=\"mono\">{Escape(r.Fnv)}</td>");
            if (p.FlowsKnown) sb.Append($"<td class=\"num\">{r.Arrived}</td><td>{Escape(r.NotReadBecause)}</td>");
            sb.Append("</tr>");
        }
        return sb.Append("</table>\n").ToString();
    }

    private static string RunTable(ExplainPicture p, IReadOnlySet<long>? differing)
    {
        if (p.Runs.Count == 0) return "";
        var sb = new StringBuilder($"<details{(p.Runs.Count <= 16 ? " open" : "")}><summary>runs</summary><table class=\"runs\"><tr><th>#</th><th>offset</th><th>size</th><th>len</th><th>verdict</th><th>apply / cork asked</th><th>apply / cork after</th><th>helpers</th></tr>");
        foreach (var r in p.Runs)
        {
            string cls = differing is not null && differing.Contains(r.Index) ? " class=\"differs-row\"" : "";
            string verdict = r.RedirectTo is null ? r.Verdict : $"{r.Verdict} \u2192 {r.RedirectTo}{(r.Ingress ? " ingress" : "")}";
            string after = r.ApplyLeft is null ? "" : $"{r.ApplyLeft} / {r.CorkLeft} (cork holds {r.CorkHeld})";
            string helpers = string.Join("<br>", r.Helpers.Select(h => h.Failed ? $"<b class=\"helper-error\" style=\"color:#b3261e\">{Escape(h.Text)}</b>" : Escape(h.Text)));
            sb.Append($"<tr{cls}><td class=\"num\">{r.Index}</td><td class=\"num\">{(r.Offset >= 0 ? r.Offset : "")}</td><td class=\"num\">{r.Size}{(r.SizeAfter != r.Size ? "\u2192" + r.SizeAfter : "")}</td><td class=\"num\">{r.Len}</td><td>{Escape(verdict)}</td><td>{r.ApplyRequested} / {r.CorkRequested}</td><td>{after}</td><td>{helpers}</td></tr>");
        }
        return sb.Append("</table></details>\n").ToString();
    }
}
