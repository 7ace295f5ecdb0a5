namespace Conformance.Reports;

/// <summary>What was run, against what, and how: the header of every report.</summary>
public sealed record RunInfo
{
    /// <summary>The WebSocket URL the scenarios targeted.</summary>
    public required string Endpoint { get; init; }
    /// <summary>"embedded" (the C# reference sample started by the gate), "url" (given with --endpoint) or "dotnet-test".</summary>
    public string EndpointKind { get; init; } = "url";
    public IReadOnlyList<int> ProtocolVersions { get; init; } = [2];
    public string? TagExpression { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset FinishedAt { get; init; }
    public string Tool { get; init; } = "Conformance.Cli";
    public string ToolVersion { get; init; } = typeof(RunInfo).Assembly.GetName().Version?.ToString() ?? "0.0.0";
    /// <summary>The command line that produced the report, for reproduction.</summary>
    public string? CommandLine { get; init; }
}

/// <summary>Everything the writers need: run header, verdicts and the requirement texts.</summary>
public sealed record RunReport(RunInfo Run, ConformanceResult Result, RequirementCatalog Catalog)
{
    public TimeSpan Duration => Run.FinishedAt - Run.StartedAt;

    public string Title => Result.Options.Expectations.Implementation is { Length: > 0 } name
        ? $"SocketCluster conformance: {name}"
        : $"SocketCluster conformance: {Run.Endpoint}";
}
