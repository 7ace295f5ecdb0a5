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
        IReadOnlyDictionary<string, string> exampleArguments, string? loadError = null, int? scenarioLine = null)
    {
        ScenarioLine = scenarioLine ?? line;
        Id = id; FeaturePath = featurePath; FeatureTitle = featureTitle; Area = area; Name = name;
        ExampleDescription = exampleDescription; Line = line; Tags = tags; Steps = steps; FeatureInfo = featureInfo;
        RuleInfo = ruleInfo; Description = description; DirectTags = directTags; ExampleArguments = exampleArguments;
        LoadError = loadError;
    }

    /// <summary>Stable key: "features/handshake/strict.feature:12" (the Examples row's line for outline rows).</summary>
    public string Id { get; }

    /// <summary>Path relative to the repository root with forward slashes, e.g. "features/handshake/strict.feature".</summary>
    public string FeaturePath { get; }

    public string FeatureTitle { get; }

    /// <summary>The folder under features/ ("handshake"), or "" for a feature at the top level.</summary>
    public string Area { get; }

    /// <summary>The pickle name (outline placeholders substituted).</summary>
    public string Name { get; }

    /// <summary>For outline rows: "client=csharp, a=2"; null for plain scenarios.</summary>
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

    public bool HasTag(string tag) => Tags.Contains(tag, StringComparer.OrdinalIgnoreCase);

    public override string ToString() => $"{DisplayName} ({Id})";
}
