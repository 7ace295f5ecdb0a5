namespace Conformance.Reports;

/// <summary>What the engine observed when it ran (or did not run) one scenario; the input of every verdict.</summary>
public enum Outcome
{
    Passed,
    Failed,
    /// <summary>The engine skipped it (e.g. fixture-app contract not offered); <see cref="ScenarioRecord.SkipReason"/> says why.</summary>
    Skipped,
    /// <summary>Not run by choice of the gate (a level the implementation does not claim).</summary>
    NotRun,
}

public enum Direction
{
    /// <summary>From the suite (a raw connection or client driver) to the endpoint.</summary>
    Out,
    /// <summary>From the endpoint to the suite.</summary>
    In,
    /// <summary>Not a frame: an upgrade, a client event, a dropped connection, noted by the engine.</summary>
    Note,
}

/// <summary>One entry of a wire transcript: a frame either way, a close, or a connection event.</summary>
/// <param name="Kind">"text", "binary", "close" or "note".</param>
/// <param name="Data">Frame text (binary frames as the engine renders them, e.g. base64), or a note.</param>
public sealed record WireEntry(
    DateTimeOffset Timestamp,
    string Actor,
    Direction Direction,
    string Kind,
    string? Data,
    int? CloseCode = null,
    string? CloseReason = null);

/// <param name="Line">The step's line in the feature file (null when unknown).</param>
/// <param name="Expected">For a failed step whose assertion said so: what it expected (a frame pattern, a close code, a state).</param>
/// <param name="Actual">For that step: what arrived instead, one entry per frame or observation (empty: nothing arrived).</param>
public sealed record StepRecord(
    string Keyword,
    string Text,
    Outcome Outcome,
    TimeSpan Duration,
    string? Error = null,
    string? Argument = null,
    int? Line = null,
    string? Expected = null,
    IReadOnlyList<string>? Actual = null);

/// <summary>The result of one scenario (one pickle: an Outline row is its own scenario) at one protocol version.</summary>
public sealed record ScenarioRecord
{
    /// <summary>
    /// Stable key "features/Area/X.feature:LINE" (LINE of the scenario, or of the Examples row); a client case names its
    /// client under test: "features/Client/Connect.feature:12 [client=csharp]".
    /// </summary>
    public required string Key { get; init; }
    public required string Feature { get; init; }
    public required string Name { get; init; }
    /// <summary>Effective tags without '@' (Feature and Examples tags included).</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];
    public int ProtocolVersion { get; init; } = 2;
    /// <summary>What the scenario grades: "server" (the endpoint) or the client driver of a @client Outline row.</summary>
    public string Subject { get; init; } = "server";
    public Outcome Outcome { get; init; }
    public string? SkipReason { get; init; }
    public string? Error { get; init; }
    public TimeSpan Duration { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public IReadOnlyList<StepRecord> Steps { get; init; } = [];
    public IReadOnlyList<WireEntry> Transcript { get; init; } = [];

    /// <summary>Requirement IDs among the tags (e.g. "HS-004").</summary>
    public IReadOnlyList<string> RequirementIds => Tags.Where(RequirementCatalog.IsRequirementId).ToList();

    /// <summary>The conformance level tag (1..4), or null when the scenario has none.</summary>
    public int? Level => Tags.Select(ConformanceLevel.Parse).FirstOrDefault(l => l is not null);

    /// <summary>"features/Area/X.feature:LINE" of <see cref="Key"/>, without the client: the same for every client's case of a row.</summary>
    public string Location => Engine.Catalog.ClientDimension.SplitKey(Key).Location;

    /// <summary>The client under test named by <see cref="Key"/>; null for a server scenario.</summary>
    public string? Client => Engine.Catalog.ClientDimension.SplitKey(Key).Client;

    /// <summary>"features/Area/X.feature" of <see cref="Key"/>.</summary>
    public string FeatureFile => Location.LastIndexOf(':') is var i and > 0 ? Location[..i] : Location;

    /// <summary>The line of <see cref="Key"/> (the scenario, or its Examples row).</summary>
    public int KeyLine => Location.LastIndexOf(':') is var i and > 0 && int.TryParse(Location[(i + 1)..], out var n) ? n : 0;

    /// <summary>The step that failed (or was pending), if the engine placed the failure in a step.</summary>
    public StepRecord? FailedStep => Steps.FirstOrDefault(s => s.Outcome is Outcome.Failed) ?? Steps.FirstOrDefault(s => s.Outcome is Outcome.Skipped);

    /// <summary>"features/Area/X.feature:LINE" of the failed step, else of the scenario.</summary>
    public string FailureLocation => FailedStep?.Line is { } line ? $"{FeatureFile}:{line}" : Location;

    /// <summary>Key plus version, unique in a run that covers both protocol versions.</summary>
    public string Id => $"{Key}@v{ProtocolVersion}";
}
