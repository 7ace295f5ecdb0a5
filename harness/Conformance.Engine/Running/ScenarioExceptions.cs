namespace Conformance.Engine.Running;

/// <summary>Thrown by a step or hook when the scenario cannot run here (e.g. the endpoint lacks the fixture app).</summary>
public sealed class ScenarioSkippedException(string reason) : Exception(reason);

/// <summary>Thrown for pending steps and for steps without a definition (the message holds Reqnroll's snippet).</summary>
public sealed class ScenarioPendingException(string message) : Exception(message);

/// <summary>
/// A step's expectation did not hold. The message says what was expected and what was seen; where the step knows them
/// apart, <see cref="Expected"/> and <see cref="Actual"/> carry the same as data, for the reports' "expected vs actual"
/// (spec/report-schema.md, steps[].expected / steps[].actual).
/// </summary>
public sealed class ConformanceAssertionException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>What the step waited for, e.g. the frame pattern or "close with code 4008"; null when not given.</summary>
    public string? Expected { get; init; }

    /// <summary>What was seen instead, one entry per frame or observation (empty: nothing arrived; null: not given).</summary>
    public IReadOnlyList<string>? Actual { get; init; }
}
