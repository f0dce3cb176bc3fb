using System.Globalization;
using Spectre.Console;
using SockActors.Host.Explain;
using SockActors.Host.TestSockmap;

namespace SockActors.Host.Commands;

/// <summary>
/// `run` on a terminal: one table of pass/fail counts per family (failing families first), then a table per family
/// with failures that spells out only its failing cases. `--verbose` and piped output keep the line-per-case table.
/// </summary>
public static class RunSummary
{
    public static void Print(IReadOnlyList<CaseResult> results, IAnsiConsole console)
    {
        var families = results.GroupBy(r => MatrixReport.Family(r.Case.Name))
            .Select(g => (Name: g.Key, Cases: g.ToList(), Failed: g.Count(r => !r.Passed)))
            .OrderByDescending(f => f.Failed > 0).ToList();
        var counts = new Table().Title("[bold]run matrix by family[/]").AddColumn("family").AddColumn(new TableColumn("cases").RightAligned())
            .AddColumn(new TableColumn("passed").RightAligned()).AddColumn(new TableColumn("failed").RightAligned());
        foreach (var f in families)
            counts.AddRow(Markup.Escape(f.Name), Num(f.Cases.Count), $"[green]{Num(f.Cases.Count - f.Failed)}[/]",
                f.Failed > 0 ? $"[bold red]{Num(f.Failed)}[/]" : "0");
        console.Write(counts);
        foreach (var f in families.Where(f => f.Failed > 0))
        {
            var t = new Table().Title($"[bold red]{Markup.Escape(f.Name)}: {f.Failed} failed[/]").AddColumn("case").AddColumn("mode")
                .AddColumn(new TableColumn("expected").RightAligned()).AddColumn(new TableColumn("received").RightAligned()).AddColumn("reason");
            foreach (var r in f.Cases.Where(r => !r.Passed))
                t.AddRow(Markup.Escape(r.Case.Name), r.Case.ModeName, RunCommand.ExpectedText(r.Case), Num(r.BytesReceived), Markup.Escape(r.Reason ?? ""));
            console.Write(t);
        }
        if (families.All(f => f.Failed == 0)) console.MarkupLine("[green]every case passed[/] (--verbose lists them)");
    }

    private static string Num(long n) => n.ToString(CultureInfo.InvariantCulture);
}
