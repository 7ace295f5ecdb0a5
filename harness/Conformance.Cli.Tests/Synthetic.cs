using Conformance.Reports;

namespace Conformance.Cli.Tests;

/// <summary>Synthetic scenario records and a small requirement catalog for unit tests.</summary>
internal static class Synthetic
{
    public static readonly DateTimeOffset T0 = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public const string CatalogMarkdown = """
        # Requirements

        ### HS-001 The server answers the handshake
        - Level: MUST | Role: server | Versions: 1, 2 | Conformance: L1
        - Digest: §2.2; S27
        The server MUST answer a #handshake event with a response carrying the socket id.

        Rationale: clients wait for it.

        ### HS-002 Handshake response carries pingTimeout
        - Level: SHOULD | Role: server | Versions: 2 | Conformance: L1
        The response SHOULD carry pingTimeout.

        ### EV-001 Invoke gets a response
        - Level: MUST | Role: server | Versions: 1, 2 | Conformance: L1
        Every invoke MUST get a response with the same rid.

        ### PS-001 Publications reach subscribers
        - Level: MUST | Role: server | Versions: 1, 2 | Conformance: L3
        A publication MUST reach every subscriber.

        ### RC-001 The client reconnects
        - Level: MUST | Role: client | Versions: 1, 2 | Conformance: L2
        A client MUST reconnect after an abnormal close.

        ### TR-005 Binary frames are accepted
        - Level: SHOULD | Role: both | Versions: 1, 2 | Conformance: L1
        A peer SHOULD decode a binary frame as UTF-8 text.

        ### AU-001 Token expiry on pong
        - Level: INFORMATIONAL | Role: server | Versions: 2 | Conformance: L4
        The official server checks expiry when a pong arrives.
        """;

    public static RequirementCatalog Catalog => RequirementCatalog.Parse(CatalogMarkdown);

    private static readonly Lazy<string> CatalogRoot = new(() =>
    {
        var root = Directory.CreateTempSubdirectory("cli-catalog-").FullName;
        Directory.CreateDirectory(Path.Combine(root, "spec"));
        File.WriteAllText(Path.Combine(root, "spec", "requirements.md"), CatalogMarkdown);
        return root;
    });

    /// <summary>A repository root whose spec/requirements.md is <see cref="CatalogMarkdown"/>.</summary>
    public static string RepoRootWithCatalog => CatalogRoot.Value;

    public static ScenarioRecord Scenario(string key, Outcome outcome, params string[] tags) => new()
    {
        Key = key,
        Feature = "Feature of " + key.Split(':')[0],
        Name = "Scenario " + key,
        Tags = tags,
        ProtocolVersion = tags.Contains("v1") && !tags.Contains("v2") ? 1 : 2,
        Subject = tags.Contains("client") ? "csharp" : "server",
        Outcome = outcome,
        SkipReason = outcome == Outcome.Skipped ? "fixture-app contract not offered" : null,
        Error = outcome == Outcome.Failed ? $"Step failed: Then A receives '{{\"rid\":1}}' ({key})\nno frame matched" : null,
        StartedAt = T0,
        Duration = TimeSpan.FromMilliseconds(120),
        Steps =
        [
            new StepRecord("Given", "raw connection A has completed the handshake", Outcome.Passed, TimeSpan.FromMilliseconds(40)),
            new StepRecord("Then", "A receives '{\"rid\":1}'", outcome == Outcome.Failed ? Outcome.Failed : outcome == Outcome.Passed ? Outcome.Passed : Outcome.NotRun,
                TimeSpan.FromMilliseconds(80), outcome == Outcome.Failed ? "no frame matched" : null),
        ],
        Transcript =
        [
            new WireEntry(T0.AddMilliseconds(1), "A", Direction.Note, "note", "upgrade accepted (101)"),
            new WireEntry(T0.AddMilliseconds(2), "A", Direction.Out, "text", "{\"event\":\"#handshake\",\"data\":{},\"cid\":1}"),
            new WireEntry(T0.AddMilliseconds(5), "A", Direction.In, "text", "{\"rid\":1,\"data\":{\"id\":\"x\",\"pingTimeout\":20000}}"),
            new WireEntry(T0.AddMilliseconds(6), "A", Direction.In, "text", ""),
            new WireEntry(T0.AddMilliseconds(90), "A", Direction.In, "close", null, 4008, "Server rejected handshake"),
        ],
    };

    public static ConformanceResult Evaluate(IEnumerable<ScenarioRecord> records, GateOptions? options = null) =>
        Evaluator.Evaluate(records.ToList(), Catalog, options ?? new GateOptions());

    public static RunReport Report(ConformanceResult result) => new(new RunInfo
    {
        Endpoint = "ws://127.0.0.1:9/socketcluster/",
        EndpointKind = "url",
        StartedAt = T0,
        FinishedAt = T0.AddSeconds(3),
        CommandLine = "conformance --tags \"@L1\"",
    }, result, Catalog);
}
