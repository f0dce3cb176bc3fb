using System.Text;

namespace SockActors.Host.Explain;

/// <summary>The `explain` page: one picture, or the kernel's and the simulation's with the differences between them.</summary>
public static class ExplainDocument
{
    public static string Scenario(IReadOnlyList<ExplainPicture> pictures, IReadOnlySet<long> differingRuns)
    {
        var body = new StringBuilder();
        body.Append($"<h1>{HtmlPage.Escape(pictures[0].Title)}</h1>\n");
        var diffs = pictures[0].Differences;
        if (pictures.Count > 1)
        {
            body.Append(diffs.Count == 0
                ? "<p class=\"compare same\">The kernel and the simulation agree on every field of the result.</p>\n"
                : $"<p class=\"compare\">The kernel and the simulation differ in {diffs.Count} field{(diffs.Count == 1 ? "" : "s")} (runs that differ are outlined in orange):</p>\n");
            if (diffs.Count > 0)
            {
                body.Append("<table class=\"differences\"><tr><th>field</th><th>kernel</th><th>simulation</th></tr>");
                foreach (var d in diffs) body.Append($"<tr class=\"difference differs-row\"><td>{HtmlPage.Escape(d.Field)}</td><td>{HtmlPage.Escape(d.Kernel)}</td><td>{HtmlPage.Escape(d.Simulation)}</td></tr>");
                body.Append("</table>\n");
            }
        }
        for (int i = 0; i < pictures.Count; i++)
            body.Append(PictureHtml.Section(pictures[i], $"picture-{pictures[i].Engine}", pictures.Count > 1 ? differingRuns : null));
        return HtmlPage.Wrap($"sockactors explain: {pictures[0].Title}", body.ToString());
    }
}
