namespace Conformance.Engine.Running;

/// <summary>
/// Why a scenario does not apply here. These are the only causes that may skip a scenario: every other exception
/// from a step, hook or driver fails it (issue 10 §3). Reports group skips by kind and by reason text, so a reason
/// starts with a stable phrase and puts variable details after it.
/// </summary>
public enum NotApplicableKind
{
    /// <summary>The run's protocol version is not one the scenario checks, or the server does not speak it that way (@not-v14).</summary>
    VersionNotSpoken,

    /// <summary>The server under test does not host the fixture app (spec/fixture-app.md) or its conformance.hello misses the contract.</summary>
    FixtureContractNotOffered,

    /// <summary>An optional capability the scenario needs is absent (a fixture capability, an option of the known-good v14 server).</summary>
    CapabilityAbsent,

    /// <summary>A harness client driver cannot start on this machine (e.g. no Chromium); CONFORMANCE_REQUIRE_DRIVERS=1 makes it a failure.</summary>
    DriverUnavailable,

    /// <summary>The scenario is tagged @ignore.</summary>
    Ignored,

    /// <summary>
    /// A @cluster scenario in a run without two or more nodes of one cluster, or a @cluster-control scenario on a cluster
    /// the suite did not start (spec/requirements.md, CL area): out of scope, never passed and never untested.
    /// </summary>
    NotACluster,
}

/// <summary>
/// The typed "not applicable here" signal: thrown by a step, hook, driver or target when the scenario cannot run here.
/// It is the only exception that skips a scenario (ScenarioRunner); <see cref="Kind"/> says why.
/// </summary>
public sealed class ScenarioSkippedException(NotApplicableKind kind, string reason) : Exception(reason)
{
    public NotApplicableKind Kind { get; } = kind;
}

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
