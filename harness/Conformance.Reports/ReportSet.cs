namespace Conformance.Reports;

/// <summary>Writes the three reports of a run into one directory (junit.xml, report.json, report.html).</summary>
public static class ReportSet
{
    public const string JUnitFile = "junit.xml";
    public const string JsonFile = "report.json";
    public const string HtmlFile = "report.html";

    /// <summary>Returns the paths written.</summary>
    public static IReadOnlyList<string> Write(RunReport report, string directory, string? junitPath = null)
    {
        Directory.CreateDirectory(directory);
        var junit = junitPath ?? Path.Combine(directory, JUnitFile);
        var json = Path.Combine(directory, JsonFile);
        var html = Path.Combine(directory, HtmlFile);
        JUnitWriter.Write(report, junit);
        JsonReportWriter.Write(report, json);
        HtmlReportWriter.Write(report, html);
        return [junit, json, html];
    }
}
