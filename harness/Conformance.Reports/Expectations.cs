using System.Text.Json;
using System.Text.RegularExpressions;

namespace Conformance.Reports;

/// <summary>
/// Known failures of one implementation (like Autobahn's exclude-agent-cases and WPT's metadata files).
/// Format (spec/report-schema.md, "Expectations file"):
/// <code>{"implementation": "name", "expectedFailures": {"HS-004": "reason", "features/X.feature:12": "reason"}}</code>
/// A key is a requirement ID or a scenario key "features/...feature:LINE" (LINE of the scenario or of its Examples row,
/// optionally followed by " [client=NAME]" to limit it to one client under test and by "@v1"/"@v2" to limit it to one
/// protocol version; without a client it covers that row for every client). A requirement key excuses the failure of that
/// requirement only: a failing scenario that also checks another requirement able to fail the run still fails it
/// (<see cref="Evaluator.JudgeScenario"/>); a scenario key excuses the scenario.
/// </summary>
public sealed partial class Expectations
{
    public string? Implementation { get; }
    public string? SourcePath { get; }
    public IReadOnlyDictionary<string, string> ExpectedFailures { get; }

    public Expectations(string? implementation, IReadOnlyDictionary<string, string> expectedFailures, string? sourcePath = null)
    {
        Implementation = implementation;
        ExpectedFailures = expectedFailures;
        SourcePath = sourcePath;
    }

    public static Expectations None { get; } = new(null, new Dictionary<string, string>());

    [GeneratedRegex(@"^features/.+\.feature:\d+( \[client=[A-Za-z0-9_.-]+\])?(@v[12])?$")]
    private static partial Regex ScenarioKeyPattern();

    public static Expectations Load(string path)
    {
        string json;
        try { json = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ExpectationsException($"cannot read expectations file {path}: {e.Message}");
        }
        return Parse(json, path);
    }

    /// <summary>Parses and validates; every problem is an <see cref="ExpectationsException"/> with a one-line reason.</summary>
    public static Expectations Parse(string json, string? sourcePath = null)
    {
        var where = sourcePath ?? "expectations";
        JsonDocument document;
        try { document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }); }
        catch (JsonException e) { throw new ExpectationsException($"{where}: not valid JSON ({e.Message})"); }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new ExpectationsException($"{where}: the top level must be a JSON object");
            string? implementation = null;
            var failures = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "implementation":
                        if (property.Value.ValueKind != JsonValueKind.String) throw new ExpectationsException($"{where}: \"implementation\" must be a string");
                        implementation = property.Value.GetString();
                        break;
                    case "expectedFailures":
                        if (property.Value.ValueKind != JsonValueKind.Object) throw new ExpectationsException($"{where}: \"expectedFailures\" must be an object of key -> reason");
                        foreach (var entry in property.Value.EnumerateObject())
                        {
                            var key = entry.Name.Trim();
                            if (!RequirementCatalog.IsRequirementId(key) && !ScenarioKeyPattern().IsMatch(key))
                                throw new ExpectationsException($"{where}: key \"{entry.Name}\" is neither a requirement ID (HS-004) nor a scenario key (features/X.feature:12, features/X.feature:12 [client=csharp])");
                            if (entry.Value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(entry.Value.GetString()))
                                throw new ExpectationsException($"{where}: the reason for \"{key}\" must be a non-empty string");
                            failures[key] = entry.Value.GetString()!;
                        }
                        break;
                    case "$schema" or "comment":
                        break;
                    default:
                        throw new ExpectationsException($"{where}: unknown field \"{property.Name}\" (allowed: implementation, expectedFailures, comment)");
                }
            }
            return new Expectations(implementation, failures, sourcePath);
        }
    }

    /// <summary>The expectation keys that cover this scenario, most specific first.</summary>
    public IReadOnlyList<string> KeysFor(ScenarioRecord scenario)
    {
        var keys = new List<string>();
        if (ExpectedFailures.ContainsKey(scenario.Id)) keys.Add(scenario.Id);
        if (ExpectedFailures.ContainsKey(scenario.Key)) keys.Add(scenario.Key);
        if (scenario.Location != scenario.Key)
        {
            // A key without the client covers that row for every client under test.
            var anyClient = $"{scenario.Location}@v{scenario.ProtocolVersion}";
            if (ExpectedFailures.ContainsKey(anyClient)) keys.Add(anyClient);
            if (ExpectedFailures.ContainsKey(scenario.Location)) keys.Add(scenario.Location);
        }
        keys.AddRange(scenario.RequirementIds.Where(ExpectedFailures.ContainsKey));
        return keys;
    }
}

public sealed class ExpectationsException(string message) : Exception(message);
