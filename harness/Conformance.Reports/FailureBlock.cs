using System.Text;

namespace Conformance.Reports;

/// <summary>
/// One failure as a block of plain text for CI logs (issue 10 §7): verdict, requirement IDs with their strength and
/// level, the scenario, the failing step with file:line, expected vs actual, the tail of the wire transcript and a
/// command that re-runs exactly that scenario row.
/// </summary>
public static class FailureBlock
{
    /// <summary>How many wire transcript lines a block shows (the last ones: the failure is usually at the end).</summary>
    public const int TranscriptTail = 12;

    /// <summary>Scenarios a CI log shows as blocks: those that fail the run, and SHOULD failures (warnings) not expected.</summary>
    public static IEnumerable<ScenarioVerdict> Of(ConformanceResult result) =>
        result.Scenarios.Where(v => v.FailsRun || (v.Verdict is Verdict.Fail or Verdict.NonStrict && v.ExpectedFailure is null));

    /// <summary>"HS-004 (MUST, L1), HS-002 (SHOULD, L1)"; an ID missing from the catalog shows as "(not in spec)".</summary>
    public static string Requirements(ScenarioRecord scenario, RequirementCatalog catalog) =>
        scenario.RequirementIds.Count == 0 ? "(no requirement tag)"
        : string.Join(", ", scenario.RequirementIds.Select(id => catalog.Find(id) is { } r
            ? $"{id} ({JsonReportWriter.LevelText(r.Level)}{(r.Conformance is { } l ? $", L{l}" : "")})"
            : $"{id} (not in spec)"));

    /// <summary>The block, lines without a trailing newline. <paramref name="rerun"/> is the command line, or null.</summary>
    public static string Format(ScenarioVerdict verdict, RequirementCatalog catalog, string? rerun)
    {
        var s = verdict.Scenario;
        var text = new StringBuilder();
        text.Append(VerdictText.Of(verdict.Verdict)).Append(' ').Append(Requirements(s, catalog))
            .Append(" · ").Append(s.Subject).Append(" · v").Append(s.ProtocolVersion).Append(" · ").Append(s.Key).Append('\n');
        Field(text, "Scenario", s.Name);
        var step = s.FailedStep;
        if (step is not null) Field(text, "Step", $"{step.Keyword.Trim()} {step.Text}  ({s.FailureLocation})");
        var diff = step is null ? null : TranscriptText.ExpectedActual(step);
        var error = step?.Error ?? s.Error ?? verdict.Reason;
        // With expected/actual the message's first line says enough (the rest lists the same frames again).
        if (error is { Length: > 0 }) Field(text, "Error", diff is null ? error : TranscriptText.FirstLine(error));
        if (diff is not null) text.Append(TranscriptText.Indent(diff, "  ")).Append('\n');
        if (s.Transcript.Count > 0)
        {
            var tail = TranscriptText.Tail(s, TranscriptTail);
            text.Append("  Wire transcript").Append(tail.Count < s.Transcript.Count ? $" (last {tail.Count} of {s.Transcript.Count})" : "").Append(":\n");
            foreach (var line in tail) text.Append("    ").Append(line).Append('\n');
        }
        if (rerun is not null) Field(text, "Re-run", rerun);
        return text.ToString().TrimEnd('\n');
    }

    private static void Field(StringBuilder text, string name, string value) =>
        text.Append("  ").Append((name + ":").PadRight(10)).Append(TranscriptText.Indent(value, "            ").TrimStart()).Append('\n');
}
