using System.Text.Json;

namespace SockActors.Host.Tests.Browser;

/// <summary>What a person sees on a rendered page, measured by the browser: marks, visible texts, and elements that
/// stick out of their picture or the page.</summary>
public sealed record PageFacts(int RunMarks, int ApplyWindows, int CorkWindows, string[] HelperErrors, string[] LaneLabels,
    string[] Warnings, string[] Outside, int PageWidth, int ViewportWidth)
{
    /// <summary>The script that measures; every SVG element is checked against its SVG's box, every SVG against the page.</summary>
    private const string Script = """
(() => {
  const visible = e => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none' && parseFloat(s.opacity || '1') > 0; };
  const outside = [];
  const pageW = document.documentElement.scrollWidth;
  for (const svg of document.querySelectorAll('svg')) {
    const b = svg.getBoundingClientRect();
    if (b.left < 0 || b.right > pageW + 0.5) outside.push('svg ' + (svg.closest('section') || {}).id);
    for (const e of svg.querySelectorAll('rect, text, line, path')) {
      const r = e.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.left < b.left - 0.5 || r.right > b.right + 0.5 || r.top < b.top - 0.5 || r.bottom > b.bottom + 0.5)
        outside.push(e.tagName + ' ' + (e.getAttribute('class') || '') + ' "' + (e.textContent || '').slice(0, 40) + '"');
    }
  }
  return {
    runMarks: [...document.querySelectorAll('svg rect.run')].filter(visible).length,
    applyWindows: document.querySelectorAll('svg line.apply-window').length,
    corkWindows: document.querySelectorAll('svg line.cork-window').length,
    helperErrors: [...document.querySelectorAll('svg text.helper-error')].filter(visible).map(e => e.textContent),
    laneLabels: [...document.querySelectorAll('svg text.lane-label')].filter(visible).map(e => e.textContent),
    warnings: [...document.querySelectorAll('.warning')].filter(visible).map(e => e.textContent),
    outside: outside,
    pageWidth: pageW,
    viewportWidth: window.innerWidth,
  };
})()
""";

    public static async Task<PageFacts> MeasureAsync(HeadlessChromium browser)
    {
        var v = await browser.EvaluateAsync(Script);
        string[] S(string name) => v.GetProperty(name).EnumerateArray().Select(e => e.GetString() ?? "").ToArray();
        return new PageFacts(v.GetProperty("runMarks").GetInt32(), v.GetProperty("applyWindows").GetInt32(), v.GetProperty("corkWindows").GetInt32(),
            S("helperErrors"), S("laneLabels"), S("warnings"), S("outside"), v.GetProperty("pageWidth").GetInt32(), v.GetProperty("viewportWidth").GetInt32());
    }

    /// <summary>The centre of the first element matching <paramref name="selector"/>, in viewport coordinates, after
    /// scrolling it into view.</summary>
    public static async Task<(double X, double Y)> CentreOfAsync(HeadlessChromium browser, string selector)
    {
        var v = await browser.EvaluateAsync($$"""
(() => { const e = document.querySelector({{JsonSerializer.Serialize(selector)}}); e.scrollIntoView({block: 'center'});
  const r = e.getBoundingClientRect(); return {x: r.left + r.width / 2, y: r.top + r.height / 2}; })()
""");
        return (v.GetProperty("x").GetDouble(), v.GetProperty("y").GetDouble());
    }
}
