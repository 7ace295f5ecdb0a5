using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Conformance.Reports;

/// <summary>
/// The machine-readable report. Its schema ("socketcluster-conformance-report/1") is documented field by field in
/// spec/report-schema.md; fields are only ever added within a schema version.
/// </summary>
public static class JsonReportWriter
{
    public const string Schema = "socketcluster-conformance-report/1";

    public static void Write(RunReport report, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var stream = File.Create(path);
        Write(report, stream);
    }

    public static string ToJson(RunReport report)
    {
        using var stream = new MemoryStream();
        Write(report, stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static void Write(RunReport report, Stream stream)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        var result = report.Result;
        var options = result.Options;
        json.WriteStartObject();
        json.WriteString("schema", Schema);

        json.WriteStartObject("run");
        json.WriteString("tool", report.Run.Tool);
        json.WriteString("toolVersion", report.Run.ToolVersion);
        json.WriteString("endpoint", report.Run.Endpoint);
        json.WriteString("endpointKind", report.Run.EndpointKind);
        json.WriteStartArray("protocolVersions");
        foreach (var v in report.Run.ProtocolVersions) json.WriteNumberValue(v);
        json.WriteEndArray();
        json.WriteString("claimedLevel", $"L{options.ClaimedLevel}");
        json.WriteBoolean("strict", options.Strict);
        WriteNullable(json, "tags", report.Run.TagExpression);
        WriteNullable(json, "implementation", options.Expectations.Implementation);
        WriteNullable(json, "expectationsFile", options.Expectations.SourcePath);
        WriteNullable(json, "commandLine", report.Run.CommandLine);
        json.WriteString("startedAt", report.Run.StartedAt);
        json.WriteString("finishedAt", report.Run.FinishedAt);
        json.WriteNumber("durationMs", (long)report.Duration.TotalMilliseconds);
        json.WriteEndObject();

        json.WriteStartObject("summary");
        json.WriteBoolean("passed", result.Passed);
        json.WriteString("verdict", result.VerdictLabel);
        json.WriteNumber("exitCode", result.ExitCode);
        json.WriteString("reason", result.Reason);
        WriteCounts(json, "counts", result.Counts);
        json.WriteNumber("expectedFailures", result.Scenarios.Count(s => s.ExpectedFailure is not null));
        json.WriteStartArray("levels");
        foreach (var level in result.Levels)
        {
            json.WriteStartObject();
            json.WriteString("subject", level.Subject);
            json.WriteNumber("protocolVersion", level.ProtocolVersion);
            json.WriteString("verifiedLevel", ConformanceLevel.Format(level.Verified));
            json.WriteString("reachedLevel", ConformanceLevel.Format(level.Reached));
            json.WriteBoolean("unverified", level.Unverified);
            json.WriteString("label", level.Label);
            json.WriteStartArray("untested");
            foreach (var id in level.Untested) json.WriteStringValue(id);
            json.WriteEndArray();
            WriteNullable(json, "limitedBy", level.Limit);
            json.WriteNumber("mustPassed", level.MustPassed);
            json.WriteNumber("mustFailed", level.MustFailed);
            json.WriteNumber("mustUntested", level.MustUntested);
            json.WriteStartArray("untestedReasons");
            foreach (var reason in level.UntestedReasons)
            {
                json.WriteStartObject();
                json.WriteString("reason", reason.Reason);
                json.WriteStartArray("requirements");
                foreach (var id in reason.RequirementIds) json.WriteStringValue(id);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("outOfScope");
            foreach (var id in level.OutOfScope) json.WriteStringValue(id);
            json.WriteEndArray();
            json.WriteStartArray("shouldWarnings");
            foreach (var id in level.ShouldWarnings) json.WriteStringValue(id);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("unexpectedPasses");
        foreach (var (key, reason) in result.UnexpectedPasses)
        {
            json.WriteStartObject();
            json.WriteString("key", key);
            json.WriteString("reason", reason);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("unusedExpectations");
        foreach (var key in result.UnusedExpectations) json.WriteStringValue(key);
        json.WriteEndArray();
        json.WriteEndObject();

        json.WriteStartArray("areas");
        foreach (var area in result.AreaSummaries)
        {
            json.WriteStartObject();
            json.WriteString("subject", area.Subject);
            json.WriteString("area", area.Area);
            json.WriteString("name", area.Name);
            WriteCounts(json, "counts", area.Counts);
            json.WriteNumber("requirementsPassed", area.RequirementsPassed);
            json.WriteNumber("requirementsTotal", area.RequirementsTotal);
            json.WriteEndObject();
        }
        json.WriteEndArray();

        json.WriteStartArray("requirements");
        foreach (var r in result.Requirements)
        {
            json.WriteStartObject();
            json.WriteString("id", r.Id);
            WriteNullable(json, "title", r.Requirement?.Title);
            json.WriteString("level", r.Requirement is { } req ? LevelText(req.Level) : "MUST");
            WriteNullable(json, "conformance", r.Requirement?.Conformance is { } c ? $"L{c}" : null);
            WriteNullable(json, "role", r.Requirement?.Role);
            WriteNullable(json, "text", r.Requirement?.Text);
            json.WriteBoolean("inCatalog", r.Requirement is not null);
            json.WriteString("verdict", VerdictText.Of(r.Verdict));
            WriteNullable(json, "expectedFailure", r.ExpectedFailure);
            json.WriteStartArray("scenarios");
            foreach (var id in r.ScenarioIds) json.WriteStringValue(id);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();

        json.WriteStartArray("scenarios");
        foreach (var v in result.Scenarios) WriteScenario(json, v);
        json.WriteEndArray();

        json.WriteEndObject();
    }

    private static void WriteScenario(Utf8JsonWriter json, ScenarioVerdict v)
    {
        var s = v.Scenario;
        json.WriteStartObject();
        json.WriteString("id", s.Id);
        json.WriteString("key", s.Key);
        json.WriteString("feature", s.Feature);
        json.WriteString("name", s.Name);
        json.WriteString("area", Areas.Of(s));
        json.WriteNumber("protocolVersion", s.ProtocolVersion);
        json.WriteString("subject", s.Subject);
        WriteNullable(json, "level", s.Level is { } l ? $"L{l}" : null);
        json.WriteStartArray("requirements");
        foreach (var id in s.RequirementIds) json.WriteStringValue(id);
        json.WriteEndArray();
        json.WriteStartArray("tags");
        foreach (var tag in s.Tags) json.WriteStringValue(tag);
        json.WriteEndArray();
        json.WriteString("verdict", VerdictText.Of(v.Verdict));
        json.WriteString("strength", LevelText(v.Strength));
        json.WriteString("outcome", OutcomeText(s.Outcome));
        json.WriteBoolean("failsRun", v.FailsRun);
        WriteNullable(json, "expectedFailure", v.ExpectedFailure);
        json.WriteStartArray("unexpectedPass");
        foreach (var key in v.UnexpectedPassKeys) json.WriteStringValue(key);
        json.WriteEndArray();
        WriteNullable(json, "reason", v.Verdict is Verdict.Pass ? null : v.Reason);
        WriteNullable(json, "error", s.Error);
        if (s.StartedAt != default) json.WriteString("startedAt", s.StartedAt); else json.WriteNull("startedAt");
        json.WriteNumber("durationMs", Math.Round(s.Duration.TotalMilliseconds, 1));

        json.WriteStartArray("steps");
        foreach (var step in s.Steps)
        {
            json.WriteStartObject();
            json.WriteString("keyword", step.Keyword.Trim());
            json.WriteString("text", step.Text);
            WriteNullable(json, "argument", step.Argument);
            if (step.Line is { } line) json.WriteNumber("line", line); else json.WriteNull("line");
            json.WriteString("outcome", OutcomeText(step.Outcome));
            json.WriteNumber("durationMs", Math.Round(step.Duration.TotalMilliseconds, 1));
            WriteNullable(json, "error", step.Error);
            WriteNullable(json, "expected", step.Expected);
            if (step.Actual is { } actual)
            {
                json.WriteStartArray("actual");
                foreach (var item in actual) json.WriteStringValue(item);
                json.WriteEndArray();
            }
            else json.WriteNull("actual");
            json.WriteEndObject();
        }
        json.WriteEndArray();

        var origin = TranscriptText.Origin(s);
        json.WriteStartArray("transcript");
        foreach (var e in s.Transcript)
        {
            json.WriteStartObject();
            json.WriteString("timestamp", e.Timestamp);
            json.WriteNumber("offsetMs", Math.Round((e.Timestamp - origin).TotalMilliseconds, 3));
            json.WriteString("actor", e.Actor);
            json.WriteString("direction", e.Direction switch { Direction.Out => "out", Direction.In => "in", _ => "note" });
            json.WriteString("kind", e.Kind);
            WriteNullable(json, "data", e.Data);
            if (e.CloseCode is { } code) json.WriteNumber("closeCode", code); else json.WriteNull("closeCode");
            WriteNullable(json, "closeReason", e.CloseReason);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    public static string LevelText(RequirementLevel level) => level switch
    {
        RequirementLevel.Must => "MUST",
        RequirementLevel.Should => "SHOULD",
        RequirementLevel.May => "MAY",
        _ => "INFORMATIONAL",
    };

    public static string OutcomeText(Outcome outcome) => outcome switch
    {
        Outcome.Passed => "passed",
        Outcome.Failed => "failed",
        Outcome.Skipped => "skipped",
        _ => "notRun",
    };

    private static void WriteCounts(Utf8JsonWriter json, string name, IReadOnlyDictionary<Verdict, int> counts)
    {
        json.WriteStartObject(name);
        foreach (var verdict in VerdictText.All) json.WriteNumber(VerdictText.Of(verdict), counts.GetValueOrDefault(verdict));
        json.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null) json.WriteNull(name); else json.WriteString(name, value);
    }
}
