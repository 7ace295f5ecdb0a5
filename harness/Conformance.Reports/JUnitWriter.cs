using System.Globalization;
using System.Text;
using System.Xml;

namespace Conformance.Reports;

/// <summary>
/// JUnit XML: one testsuite per feature and protocol version, one testcase per scenario, the requirement IDs as
/// &lt;property name="requirement"&gt;. A testcase has &lt;failure&gt; exactly when it fails the run, so CI tools
/// agree with the exit code; expected failures are &lt;skipped&gt; with the expectation's reason.
/// </summary>
public static class JUnitWriter
{
    public static void Write(RunReport report, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var stream = File.Create(path);
        Write(report, stream);
    }

    public static string ToXml(RunReport report)
    {
        using var stream = new MemoryStream();
        Write(report, stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static void Write(RunReport report, Stream stream)
    {
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), CheckCharacters = false };
        using var xml = XmlWriter.Create(stream, settings);
        var scenarios = report.Result.Scenarios;
        xml.WriteStartDocument();
        xml.WriteStartElement("testsuites");
        xml.WriteAttributeString("name", report.Title);
        WriteCounts(xml, scenarios, report.Duration);
        xml.WriteAttributeString("timestamp", Timestamp(report.Run.StartedAt));

        foreach (var suite in scenarios.GroupBy(s => (s.Scenario.Feature, s.Scenario.ProtocolVersion, File: s.Scenario.FeatureFile)))
        {
            var list = suite.ToList();
            xml.WriteStartElement("testsuite");
            xml.WriteAttributeString("name", $"{suite.Key.Feature} (v{suite.Key.ProtocolVersion})");
            WriteCounts(xml, list, TimeSpan.FromTicks(list.Sum(s => s.Scenario.Duration.Ticks)));
            xml.WriteAttributeString("timestamp", Timestamp(list.Min(s => s.Scenario.StartedAt) is var t && t != default ? t : report.Run.StartedAt));
            xml.WriteAttributeString("file", suite.Key.File);
            xml.WriteStartElement("properties");
            Property(xml, "endpoint", report.Run.Endpoint);
            Property(xml, "endpointKind", report.Run.EndpointKind);
            Property(xml, "protocolVersion", suite.Key.ProtocolVersion.ToString(CultureInfo.InvariantCulture));
            Property(xml, "strict", report.Result.Options.Strict ? "true" : "false");
            Property(xml, "claimedLevel", $"L{report.Result.Options.ClaimedLevel}");
            foreach (var level in report.Result.Levels.Where(l => l.ProtocolVersion == suite.Key.ProtocolVersion))
                Property(xml, $"verifiedLevel.{level.Subject}", level.Label);
            xml.WriteEndElement();
            foreach (var verdict in list) WriteCase(xml, verdict);
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    private static void WriteCase(XmlWriter xml, ScenarioVerdict verdict)
    {
        var s = verdict.Scenario;
        xml.WriteStartElement("testcase");
        xml.WriteAttributeString("name", s.Name);
        xml.WriteAttributeString("classname", $"{s.FeatureFile}.v{s.ProtocolVersion}");
        xml.WriteAttributeString("file", s.FeatureFile);
        if (s.KeyLine > 0) xml.WriteAttributeString("line", s.KeyLine.ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("time", Seconds(s.Duration));

        xml.WriteStartElement("properties");
        foreach (var id in s.RequirementIds) Property(xml, "requirement", id);
        Property(xml, "verdict", VerdictText.Of(verdict.Verdict));
        Property(xml, "scenario", s.Key);
        Property(xml, "protocolVersion", s.ProtocolVersion.ToString(CultureInfo.InvariantCulture));
        Property(xml, "subject", s.Subject);
        if (s.Level is { } level) Property(xml, "level", $"L{level}");
        if (verdict.ExpectedFailure is { } reason) Property(xml, "expectedFailure", reason);
        foreach (var key in verdict.UnexpectedPassKeys) Property(xml, "unexpectedPass", key);
        Property(xml, "tags", string.Join(' ', s.Tags.Select(t => "@" + t)));
        xml.WriteEndElement();

        var ids = s.RequirementIds.Count > 0 ? string.Join(", ", s.RequirementIds) + ": " : "";
        if (verdict.FailsRun)
        {
            xml.WriteStartElement("failure");
            xml.WriteAttributeString("type", VerdictText.Of(verdict.Verdict));
            xml.WriteAttributeString("message", $"{VerdictText.Of(verdict.Verdict)} {ids}{TranscriptText.FirstLine(s.Error)}");
            xml.WriteString(s.Error ?? "");
            xml.WriteEndElement();
        }
        else if (verdict.ExpectedFailure is not null)
        {
            xml.WriteStartElement("skipped");
            xml.WriteAttributeString("message", $"expected failure ({VerdictText.Of(verdict.Verdict)} {ids.TrimEnd(' ', ':')}): {verdict.ExpectedFailure}");
            xml.WriteEndElement();
        }
        else if (verdict.Verdict is Verdict.Skipped or Verdict.Unimplemented)
        {
            xml.WriteStartElement("skipped");
            xml.WriteAttributeString("message", $"{VerdictText.Of(verdict.Verdict)}: {verdict.Reason}");
            xml.WriteEndElement();
        }

        var output = new StringBuilder();
        output.Append("Verdict: ").AppendLine(VerdictText.Of(verdict.Verdict));
        if ((verdict.Verdict is Verdict.NonStrict or Verdict.Informational) && !verdict.FailsRun)
            output.Append("Not counted against the run: ").AppendLine(TranscriptText.FirstLine(s.Error));
        if (s.Steps.Count > 0) output.AppendLine().AppendLine("Steps:").Append(TranscriptText.Steps(s));
        if (s.Transcript.Count > 0) output.AppendLine().AppendLine("Wire transcript:").Append(TranscriptText.Transcript(s));
        xml.WriteElementString("system-out", Clean(output.ToString()));
        xml.WriteEndElement();
    }

    private static void WriteCounts(XmlWriter xml, IReadOnlyCollection<ScenarioVerdict> list, TimeSpan time)
    {
        xml.WriteAttributeString("tests", list.Count.ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("failures", list.Count(v => v.FailsRun).ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("errors", "0");
        xml.WriteAttributeString("skipped", list.Count(v => !v.FailsRun && (v.ExpectedFailure is not null || v.Verdict is Verdict.Skipped or Verdict.Unimplemented))
            .ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("time", Seconds(time));
    }

    private static void Property(XmlWriter xml, string name, string value)
    {
        xml.WriteStartElement("property");
        xml.WriteAttributeString("name", name);
        xml.WriteAttributeString("value", Clean(value));
        xml.WriteEndElement();
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);
    private static string Timestamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>XML 1.0 cannot carry most control characters; frames may contain them, so they are escaped visibly.</summary>
    internal static string Clean(string text)
    {
        if (!text.Any(c => c < 0x20 && c is not '\n' and not '\r' and not '\t' || c is '\uFFFE' or '\uFFFF' || char.IsSurrogate(c))) return text;
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { result.Append(c).Append(text[++i]); continue; }
            if ((c < 0x20 && c is not '\n' and not '\r' and not '\t') || c is '\uFFFE' or '\uFFFF' || char.IsSurrogate(c))
                result.Append($"\\u{(int)c:x4}");
            else result.Append(c);
        }
        return result.ToString();
    }
}
