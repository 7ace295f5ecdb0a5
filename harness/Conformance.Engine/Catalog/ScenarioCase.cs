using Io.Cucumber.Messages.Types;
using Reqnroll;

namespace Conformance.Engine.Catalog;

/// <summary>One step of a pickle, with the keyword and line of the Gherkin step it came from.</summary>
public sealed record ScenarioStep(string Keyword, StepKeywordType KeywordType, string Text, int Line, string? DocString, Table? Table);

/// <summary>
/// One executable scenario: a Scenario, or one Examples row of a Scenario Outline, with Background steps and
/// inherited tags already applied by Gherkin's pickle compiler.
/// </summary>
public sealed class ScenarioCase
{
    internal ScenarioCase(string id, string featurePath, string featureTitle, string area, string name,
        string? exampleDescription, int line, IReadOnlyList<string> tags, IReadOnlyList<ScenarioStep> steps,
        FeatureInfo featureInfo, RuleInfo? ruleInfo, string? description, IReadOnlyList<string> directTags,
        IReadOnlyDictionary<string, string> exampleArguments, string? loadError = null, int? scenarioLine = null, string? client = null)
    {
        ScenarioLine = scenarioLine ?? line;
        Location = id;
        Client = client;
        Id = client is null ? id : ClientDimension.KeyFor(id, client);
        FeaturePath = featurePath; FeatureTitle = featureTitle; Area = area; Name = name;
        ExampleDescription = exampleDescription; Line = line; Tags = tags; Steps = steps; FeatureInfo = featureInfo;
        RuleInfo = ruleInfo; Description = description; DirectTags = directTags; ExampleArguments = exampleArguments;
        LoadError = loadError;
    }

    /// <summary>
    /// Stable, unique key: "features/handshake/strict.feature:12" (the Examples row's line for outline rows); a @client
    /// case adds the client under test: "features/Client/Connect.feature:12 [client=csharp]" (ClientDimension).
    /// </summary>
    public string Id { get; }

    /// <summary>"features/X.feature:LINE" of <see cref="Id"/>, without the client: shared by every client's case of a row.</summary>
    public string Location { get; }

    /// <summary>
    /// The client under test of a @client case (a built-in driver or an adapter's name): the run dimension that
    /// "a client C is connected" uses (ClientDimension.Expand); null for server scenarios and unexpanded cases.
    /// </summary>
    public string? Client { get; }

    /// <summary>Path relative to the repository root with forward slashes, e.g. "features/handshake/strict.feature".</summary>
    public string FeaturePath { get; }

    public string FeatureTitle { get; }

    /// <summary>The folder under features/ ("handshake"), or "" for a feature at the top level.</summary>
    public string Area { get; }

    /// <summary>The pickle name (outline placeholders substituted).</summary>
    public string Name { get; }

    /// <summary>For outline rows and @client cases: "client=csharp, a=2"; null for plain server scenarios.</summary>
    public string? ExampleDescription { get; }

    public IReadOnlyDictionary<string, string> ExampleArguments { get; }

    /// <summary>The line of the Scenario / Scenario Outline keyword (shared by all rows of an outline).</summary>
    public int ScenarioLine { get; }

    /// <summary>The line of the scenario, or of the Examples row for outline rows.</summary>
    public int Line { get; }

    /// <summary>Effective tags without '@' (feature, rule, scenario and examples tags).</summary>
    public IReadOnlyList<string> Tags { get; }

    /// <summary>Tags of the scenario and its Examples block only (Reqnroll's ScenarioInfo.Tags).</summary>
    public IReadOnlyList<string> DirectTags { get; }

    public IReadOnlyList<ScenarioStep> Steps { get; }

    public string? Description { get; }

    internal FeatureInfo FeatureInfo { get; }

    internal RuleInfo? RuleInfo { get; }

    /// <summary>Set when the feature file could not be parsed: the case then stands for the whole file and fails.</summary>
    public string? LoadError { get; }

    /// <summary>"Feature title: Scenario name [client=csharp]".</summary>
    public string DisplayName => ExampleDescription is null
        ? $"{FeatureTitle}: {Name}"
        : $"{FeatureTitle}: {Name} [{ExampleDescription}]";

    /// <summary>This case once more, with <paramref name="client"/> under test (first in the Examples arguments and the display name).</summary>
    internal ScenarioCase ForClient(string client)
    {
        var arguments = new Dictionary<string, string> { ["client"] = client };
        foreach (var (key, value) in ExampleArguments) arguments.TryAdd(key, value);
        var description = string.Join(", ", arguments.Select(kv => $"{kv.Key}={kv.Value}"));
        if (ExamplesName is { } examples) description = $"{examples}: {description}";
        return new ScenarioCase(Location, FeaturePath, FeatureTitle, Area, Name, description, Line, Tags, Steps, FeatureInfo, RuleInfo,
            Description, DirectTags, arguments, LoadError, ScenarioLine, client) { ExamplesName = ExamplesName };
    }

    /// <summary>The name of the Examples block of an outline row, when it has one.</summary>
    internal string? ExamplesName { get; init; }

    public bool HasTag(string tag) => Tags.Contains(tag, StringComparer.OrdinalIgnoreCase);

    public override string ToString() => $"{DisplayName} ({Id})";
}
