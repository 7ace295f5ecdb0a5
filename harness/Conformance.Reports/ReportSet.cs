namespace Conformance.Reports;

/// <summary>Writes the reports of a run into one directory (junit.xml, report.json, report.html, badge*.json).</summary>
public static class ReportSet
{
    public const string JUnitFile = "junit.xml";
    public const string JsonFile = "report.json";
    public const string HtmlFile = "report.html";

    /// <summary>Returns the paths written. Each file is written beside its target and then moved over it, so a
    /// reader (a CI upload, a browser) never sees a half-written report.</summary>
    public static IReadOnlyList<string> Write(RunReport report, string directory, string? junitPath = null)
    {
        Directory.CreateDirectory(directory);
        var junit = Path.GetFullPath(junitPath ?? Path.Combine(directory, JUnitFile));
        var json = Path.GetFullPath(Path.Combine(directory, JsonFile));
        var html = Path.GetFullPath(Path.Combine(directory, HtmlFile));
        Atomically(junit, path => JUnitWriter.Write(report, path));
        Atomically(json, path => JsonReportWriter.Write(report, path));
        Atomically(html, path => HtmlReportWriter.Write(report, path));
        List<string> written = [junit, json, html];
        foreach (var (subject, badge) in Badge.All(report.Result))
        {
            var file = Path.GetFullPath(Path.Combine(directory, Badge.FileName(subject)));
            Atomically(file, path => File.WriteAllText(path, badge, new System.Text.UTF8Encoding(false)));
            written.Add(file);
        }
        return written;
    }

    private static void Atomically(string path, Action<string> write)
    {
        var temporary = path + ".tmp";
        write(temporary);
        File.Move(temporary, path, overwrite: true);
    }
}
