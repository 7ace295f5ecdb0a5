using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Conformance.Engine.Catalog;
using Conformance.Engine.Running;
using Conformance.Engine.Support;

namespace Conformance.Reports;

/// <summary>Turns the engine's <see cref="ScenarioResult"/> into the host-independent <see cref="ScenarioRecord"/>.</summary>
public static partial class EngineResultMapper
{
    [GeneratedRegex(@"^\[close (-?\d+) reason '(.*)'\]$", RegexOptions.Singleline)]
    private static partial Regex ClosePattern();

    /// <summary>A @client case grades its client under test (ClientDimension); everything else grades the server.</summary>
    public static string SubjectOf(ScenarioCase scenario) =>
        scenario.Client ?? (scenario.HasTag("client") ? "client" : "server");

    /// <summary>How the error of a scenario with an undefined or pending step starts (an engine error, not a verdict on the target).</summary>
    public const string PendingStepPrefix = "Engine error: undefined or pending step: ";

    public static ScenarioRecord ToRecord(ScenarioCase scenario, ScenarioResult result, int protocolVersion, DateTimeOffset startedAt)
    {
        var subject = SubjectOf(scenario);
        var outcome = result.Status switch
        {
            ScenarioStatus.Passed => Outcome.Passed,
            // Not a cluster run (or no control over its processes): out of scope like a deselected scenario, not untested.
            ScenarioStatus.Skipped when result.NotApplicable == NotApplicableKind.NotACluster => Outcome.NotRun,
            ScenarioStatus.Skipped => Outcome.Skipped,
            // A pending or undefined step is an engine error that fails the run (issue 10 §3): a typo in a feature must
            // never silently remove a check. The error text says it is the suite's step, not the implementation.
            _ => Outcome.Failed,
        };
        var skipReason = result.Status switch
        {
            ScenarioStatus.Skipped => result.Message ?? "skipped",
            _ => null,
        };
        string? error = null;
        if (outcome == Outcome.Failed)
        {
            var text = new StringBuilder();
            text.Append(result.Status == ScenarioStatus.Pending ? PendingStepPrefix : "Step failed: ").Append(result.FailingStep ?? "(before the first step)")
                .Append(" (").Append(result.FailingLocation ?? result.Id).Append(')');
            if (result.Message is { Length: > 0 } message) text.Append('\n').Append(message);
            error = text.ToString();
        }

        return new ScenarioRecord
        {
            Key = scenario.Id,
            Feature = scenario.FeatureTitle,
            Name = scenario.ExampleDescription is null ? scenario.Name : $"{scenario.Name} [{scenario.ExampleDescription}]",
            Tags = scenario.Tags,
            ProtocolVersion = protocolVersion,
            Subject = subject,
            Outcome = outcome,
            SkipReason = skipReason,
            Error = error,
            Duration = result.Duration,
            StartedAt = startedAt,
            Steps = Steps(scenario, result),
            Transcript = result.TranscriptEntries.Select(e => ToWire(e, startedAt)).ToList(),
        };
    }

    /// <summary>
    /// Step outcomes from the failing step's line: steps before it passed, it failed (or was skipped/pending), the rest
    /// did not run (Reqnroll skips the steps after a failure).
    /// </summary>
    private static List<StepRecord> Steps(ScenarioCase scenario, ScenarioResult result)
    {
        var failingLine = -1;
        if (result.Status != ScenarioStatus.Passed && result.FailingStep is not null && result.FailingLocation is { } location
            && location.LastIndexOf(':') is var colon and > 0
            && int.TryParse(location[(colon + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var line))
            failingLine = line;
        var failingIndex = failingLine < 0 ? -1
            : scenario.Steps.Select((s, i) => (s, i)).Where(p => p.s.Line == failingLine && result.FailingStep!.EndsWith(p.s.Text, StringComparison.Ordinal))
                .Select(p => p.i).DefaultIfEmpty(-1).First();

        var steps = new List<StepRecord>(scenario.Steps.Count);
        for (var i = 0; i < scenario.Steps.Count; i++)
        {
            var step = scenario.Steps[i];
            Outcome outcome;
            string? error = null;
            string? expected = null;
            IReadOnlyList<string>? actual = null;
            if (result.Status == ScenarioStatus.Passed) outcome = Outcome.Passed;
            else if (failingIndex < 0) outcome = Outcome.NotRun;
            else if (i < failingIndex) outcome = Outcome.Passed;
            else if (i == failingIndex)
            {
                outcome = result.Status is ScenarioStatus.Failed or ScenarioStatus.Pending ? Outcome.Failed : Outcome.Skipped;
                error = result.Message;
                expected = result.Expected;
                actual = result.Actual;
            }
            else outcome = Outcome.NotRun;
            steps.Add(new StepRecord(step.Keyword, step.Text, outcome, TimeSpan.Zero, error, Argument(step), step.Line, expected, actual));
        }
        return steps;
    }

    private static string? Argument(ScenarioStep step)
    {
        if (step.DocString is { } doc) return doc;
        if (step.Table is not { } table) return null;
        var text = new StringBuilder();
        text.Append("| ").Append(string.Join(" | ", table.Header)).AppendLine(" |");
        foreach (var row in table.Rows) text.Append("| ").Append(string.Join(" | ", row.Values)).AppendLine(" |");
        return text.ToString().TrimEnd();
    }

    public static WireEntry ToWire(TranscriptEntry entry, DateTimeOffset startedAt)
    {
        var at = startedAt + entry.At;
        var direction = entry.Direction switch { WireDirection.Out => Direction.Out, WireDirection.In => Direction.In, _ => Direction.Note };
        if (direction == Direction.Note) return new WireEntry(at, entry.Actor, direction, "note", entry.Text);
        var close = ClosePattern().Match(entry.Text);
        if (close.Success)
            return new WireEntry(at, entry.Actor, direction, "close", null,
                int.Parse(close.Groups[1].Value, CultureInfo.InvariantCulture), close.Groups[2].Value.Replace("\\'", "'"));
        if (entry.Text.StartsWith("[binary] ", StringComparison.Ordinal))
            return new WireEntry(at, entry.Actor, direction, "binary", entry.Text["[binary] ".Length..]);
        // The engine shows the empty text frame (a v2 ping/pong) as '' already.
        return new WireEntry(at, entry.Actor, direction, "text", entry.Text == "''" ? "" : entry.Text);
    }
}
