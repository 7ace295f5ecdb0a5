namespace Conformance.Engine.Running;

/// <summary>
/// Pending means a step without a definition or a pending step: an engine error that fails the run (hosts never turn
/// it into a skip), kept apart from Failed so reports can say it is the suite's fault, not the implementation's.
/// </summary>
public enum ScenarioStatus { Passed, Failed, Skipped, Pending }

/// <summary>The outcome of one scenario, independent of the host (xunit or CLI) that ran it.</summary>
public sealed record ScenarioResult
{
    public required string Id { get; init; }
    public required string DisplayName { get; init; }
    public required ScenarioStatus Status { get; init; }

    /// <summary>"When A sends '...'" for the step that failed, was pending or undefined; null otherwise.</summary>
    public string? FailingStep { get; init; }

    /// <summary>"features/handshake/strict.feature:14": where the failing step (or the scenario) is.</summary>
    public string? FailingLocation { get; init; }

    /// <summary>The failure, pending or skip reason.</summary>
    public string? Message { get; init; }

    /// <summary>For a skipped scenario: why it does not apply here (the only causes that may skip one).</summary>
    public NotApplicableKind? NotApplicable { get; init; }

    public Exception? Exception { get; init; }

    /// <summary>What the failing step expected, when its assertion said so (<see cref="ConformanceAssertionException.Expected"/>).</summary>
    public string? Expected => (Exception as ConformanceAssertionException)?.Expected;

    /// <summary>What the failing step saw instead (<see cref="ConformanceAssertionException.Actual"/>).</summary>
    public IReadOnlyList<string>? Actual => (Exception as ConformanceAssertionException)?.Actual;

    /// <summary>Every frame both ways of every connection of the scenario, timestamped (empty when none).</summary>
    public string Transcript { get; init; } = "";

    /// <summary>The same transcript as structured entries (for report writers: Conformance.Reports).</summary>
    public IReadOnlyList<Support.TranscriptEntry> TranscriptEntries { get; init; } = [];

    /// <summary>Reqnroll's step trace ("Given ... -> done: ...").</summary>
    public string StepTrace { get; init; } = "";

    public TimeSpan Duration { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>A one-paragraph human summary: status, step, location and message.</summary>
    public string Summary => Status switch
    {
        ScenarioStatus.Passed => $"Passed: {DisplayName}",
        ScenarioStatus.Skipped => $"Skipped: {DisplayName}: {Message}",
        _ => $"{Status}: {DisplayName}\n  Step: {FailingStep ?? "(before the first step)"} ({FailingLocation ?? Id})\n  {Message}",
    };
}
