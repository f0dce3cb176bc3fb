using System.Net;
using System.Text;

namespace SockActors.Host.Explain;

/// <summary>
/// The shell of every page the host writes: one self-contained HTML file (inline CSS, inline SVG, a few lines of
/// inline script for the run tooltips), with nothing loaded from the network.
/// </summary>
public static class HtmlPage
{
    public static string Escape(string? s) => WebUtility.HtmlEncode(s ?? "");

    public static string Wrap(string title, string body)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        sb.Append("<meta name=\"viewport\" content=\"width=device-width\">");
        sb.Append("<title>").Append(Escape(title)).Append("</title>\n<style>").Append(Css).Append("</style></head>\n<body>\n");
        sb.Append(body);
        sb.Append("\n<div id=\"tip\" class=\"tip\" hidden></div>\n<script>").Append(Script).Append("</script>\n</body></html>\n");
        return sb.ToString();
    }

    private const string Css = """
body { font: 13px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 16px; color: #1d2330; max-width: 1140px; }
h1 { font-size: 20px; margin: 0 0 8px; } h2 { font-size: 16px; margin: 18px 0 6px; } h3 { font-size: 14px; margin: 12px 0 4px; }
code, .mono { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; }
.meta { color: #555; margin-bottom: 6px; overflow-wrap: anywhere; }
.warnings { border: 1px solid #e0a800; background: #fff8e1; padding: 6px 10px; margin: 6px 0; }
.warning { margin: 2px 0; }
table { border-collapse: collapse; margin: 6px 0; }
th, td { border: 1px solid #d8dce4; padding: 2px 6px; text-align: left; vertical-align: top; }
th { background: #f1f3f7; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.fail td { background: #fdecea; } tr.pass td { background: #fff; }
.differs-row td { background: #fff0d9; }
.picture { border-top: 2px solid #d8dce4; padding-top: 4px; margin-top: 14px; }
svg { display: block; max-width: 100%; height: auto; }
svg text { font: 11px system-ui, sans-serif; fill: #1d2330; }
svg .lane-label { font-weight: 600; }
.send { fill: #cfe0f7; stroke: #5b7db1; stroke-width: 0.5; }
.send.failed { fill: #f6c6c1; stroke: #b3261e; }
.run { stroke: #1d2330; stroke-width: 0.6; cursor: pointer; }
.run.pass { fill: #8fd19e; } .run.redirect { fill: #86b7fe; } .run.drop { fill: #f1948a; }
.run.differs { stroke: #ff8c00; stroke-width: 2.5; }
.run:hover { stroke-width: 2; }
.apply-window { stroke: #6f42c1; stroke-width: 2.5; }
.cork-window { stroke: #a0522d; stroke-width: 1.5; stroke-dasharray: 3 2; }
.helper-error { fill: #b3261e !important; font-weight: 600; }
.flow { stroke: #fff !important; stroke-width: 1; }
.k-delivered { fill: #2e9d4d; stroke: #2e9d4d; } .k-redirect-egress { fill: #1f6fd1; stroke: #1f6fd1; }
.k-redirect-ingress { fill: #7b3fd1; stroke: #7b3fd1; } .k-dropped { fill: #c62828; stroke: #c62828; }
.k-freed { fill: #8d6e63; stroke: #8d6e63; } .k-corked { fill: #e0a800; stroke: #e0a800; } .k-total { fill: #546e7a; stroke: #546e7a; }
.arrow { fill: none; stroke-width: 1.2; opacity: 0.7; }
.dest-band { fill: #f1f3f7; stroke: #d8dce4; }
.legend span { display: inline-block; margin-right: 12px; } .legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; vertical-align: -1px; }
.tip { position: fixed; z-index: 10; background: #1d2330; color: #fff; padding: 6px 8px; border-radius: 4px; font: 12px ui-monospace, monospace; white-space: pre; pointer-events: none; max-width: 520px; }
.badge { display: inline-block; padding: 0 6px; border-radius: 8px; font-weight: 600; }
.badge.fail { background: #f6c6c1; color: #8c1d18; } .badge.pass { background: #c8ebd0; color: #1e6b35; }
.side { display: grid; grid-template-columns: 1fr; gap: 4px; }
""";

    // Hovering anything with data-tip (a run mark) shows its text next to the pointer.
    private const string Script = """
(function () {
  var tip = document.getElementById('tip');
  function show(e) {
    var t = e.target.closest ? e.target.closest('[data-tip]') : null;
    if (!t) { tip.hidden = true; return; }
    tip.textContent = t.getAttribute('data-tip');
    tip.hidden = false;
    var x = e.clientX + 14, y = e.clientY + 14;
    var w = tip.offsetWidth, h = tip.offsetHeight;
    if (x + w > window.innerWidth) x = Math.max(0, e.clientX - w - 14);
    if (y + h > window.innerHeight) y = Math.max(0, e.clientY - h - 14);
    tip.style.left = x + 'px'; tip.style.top = y + 'px';
  }
  document.addEventListener('mouseover', show);
  document.addEventListener('mousemove', show);
})();
""";
}
