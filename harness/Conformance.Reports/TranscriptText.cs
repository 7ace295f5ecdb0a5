using System.Globalization;
using System.Text;

namespace Conformance.Reports;

/// <summary>Plain-text renderings shared by the writers (JUnit system-out, HTML, console).</summary>
public static class TranscriptText
{
    /// <summary>"+0.012s A → text {...}" ; closes as "close 4008 'reason'".</summary>
    public static string Line(WireEntry entry, DateTimeOffset origin)
    {
        var offset = (entry.Timestamp - origin).TotalSeconds.ToString("+0.000;-0.000", CultureInfo.InvariantCulture);
        return $"{offset}s {entry.Actor} {Arrow(entry.Direction)} {Body(entry)}";
    }

    public static string Arrow(Direction direction) => direction switch { Direction.Out => "→", Direction.In => "←", _ => "·" };

    public static string Body(WireEntry entry)
    {
        if (entry.CloseCode is not null || entry.Kind == "close")
            return $"close {entry.CloseCode?.ToString(CultureInfo.InvariantCulture) ?? "(no code)"} '{entry.CloseReason ?? ""}'"
                   + (string.IsNullOrEmpty(entry.Data) ? "" : $" {entry.Data}");
        return entry.Kind == "text" ? $"text {Quote(entry.Data)}" : $"{entry.Kind} {entry.Data}".TrimEnd();
    }

    /// <summary>The empty text frame (a v2 ping/pong) is shown as '' so it is visible.</summary>
    private static string Quote(string? data) => string.IsNullOrEmpty(data) ? "''" : data;

    public static string Transcript(ScenarioRecord scenario)
    {
        var origin = Origin(scenario);
        var text = new StringBuilder();
        foreach (var entry in scenario.Transcript) text.AppendLine(Line(entry, origin));
        return text.ToString();
    }

    public static DateTimeOffset Origin(ScenarioRecord scenario) =>
        scenario.StartedAt != default ? scenario.StartedAt
        : scenario.Transcript.Count > 0 ? scenario.Transcript[0].Timestamp : default;

    public static string Steps(ScenarioRecord scenario)
    {
        var text = new StringBuilder();
        foreach (var step in scenario.Steps)
        {
            text.Append(StepMark(step.Outcome)).Append(' ').Append(step.Keyword.Trim()).Append(' ').AppendLine(step.Text);
            if (step.Argument is { Length: > 0 } argument) text.AppendLine(Indent(argument, "      "));
            if (step.Error is { Length: > 0 } error) text.AppendLine(Indent(error, "      ! "));
            if (ExpectedActual(step) is { } diff) text.AppendLine(Indent(diff, "      "));
        }
        return text.ToString();
    }

    /// <summary>
    /// A failed step's "expected vs actual" (the frame pattern, close or state it waited for, and what arrived), as the
    /// console failure block, the HTML report and the GitHub summary show it; null when the assertion did not say.
    /// </summary>
    public static string? ExpectedActual(StepRecord step) => ExpectedActual(step.Expected, step.Actual);

    /// <summary>The same text for any expected/actual pair (the xunit bridge's failure message uses it too).</summary>
    public static string? ExpectedActual(string? expected, IReadOnlyList<string>? actual)
    {
        if (expected is null && actual is null) return null;
        var text = new StringBuilder();
        text.Append("expected: ").Append(expected ?? "(not stated)");
        if (actual is not null)
        {
            text.Append('\n').Append(actual.Count switch { 0 => "actual:   nothing arrived", 1 => "actual:   ", _ => $"actual ({actual.Count}):" });
            if (actual.Count == 1) text.Append(actual[0]);
            else foreach (var item in actual) text.Append("\n  ").Append(item);
        }
        return text.ToString();
    }

    /// <summary>The last <paramref name="count"/> transcript lines (all when fewer), for failure output in logs.</summary>
    public static IReadOnlyList<string> Tail(ScenarioRecord scenario, int count)
    {
        var origin = Origin(scenario);
        return scenario.Transcript.Skip(Math.Max(0, scenario.Transcript.Count - count)).Select(e => Line(e, origin)).ToList();
    }

    public static string StepMark(Outcome outcome) => outcome switch
    {
        Outcome.Passed => "[ok]  ",
        Outcome.Failed => "[FAIL]",
        Outcome.Skipped => "[skip]",
        _ => "[--]  ",
    };

    public static string FirstLine(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }

    public static string Indent(string text, string prefix) =>
        string.Join('\n', text.Replace("\r\n", "\n").Split('\n').Select(l => prefix + l));
}
