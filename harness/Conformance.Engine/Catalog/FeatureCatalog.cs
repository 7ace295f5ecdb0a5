using System.Globalization;
using Gherkin;
using Gherkin.CucumberMessages;
using Gherkin.CucumberMessages.Pickles;
using Io.Cucumber.Messages.Types;
using Reqnroll;

namespace Conformance.Engine.Catalog;

/// <summary>
/// Reads every .feature file under a folder and compiles it into pickles with Gherkin's own pickle compiler
/// (Background, Scenario Outline expansion, Rule and tag inheritance are Gherkin's). A file that does not parse
/// becomes one failing case so the other features still run.
/// </summary>
public static class FeatureCatalog
{
    /// <summary>Loads the features below <paramref name="featuresFolder"/>; paths are reported relative to <paramref name="repoRoot"/>.</summary>
    public static IReadOnlyList<ScenarioCase> Load(string featuresFolder, string repoRoot)
    {
        if (!Directory.Exists(featuresFolder)) return [];
        var cases = new List<ScenarioCase>();
        foreach (var file in Directory.EnumerateFiles(featuresFolder, "*.feature", SearchOption.AllDirectories)
                     .Order(StringComparer.Ordinal))
        {
            cases.AddRange(LoadFile(file, featuresFolder, repoRoot));
        }
        return cases;
    }

    public static IReadOnlyList<ScenarioCase> LoadFile(string file, string featuresFolder, string repoRoot)
    {
        var relative = Path.GetRelativePath(repoRoot, file).Replace('\\', '/');
        var areaPath = Path.GetDirectoryName(Path.GetRelativePath(featuresFolder, file))?.Replace('\\', '/') ?? "";
        try
        {
            return Compile(File.ReadAllText(file), relative, areaPath);
        }
        catch (System.Exception e) when (e is ParserException or IOException)
        {
            var info = new FeatureInfo(new CultureInfo("en-US"), areaPath, Path.GetFileNameWithoutExtension(file), null);
            return [new ScenarioCase(relative, relative, Path.GetFileName(file), areaPath, "Gherkin syntax error", null, 1,
                [], [], info, null, null, [], new Dictionary<string, string>(), e.Message)];
        }
    }

    /// <summary>Compiles the text of one feature file (exposed for the engine's own tests).</summary>
    public static IReadOnlyList<ScenarioCase> Compile(string text, string relativePath, string area)
    {
        var ids = new IncrementingIdGenerator();
        var ast = new Parser().Parse(new StringReader(text));
        var document = new AstMessagesConverter(ids).ConvertGherkinDocumentToEventArgs(ast, relativePath);
        var feature = document.Feature;
        if (feature is null) return [];
        var pickles = new PickleCompiler(ids).Compile(document);

        var nodes = AstIndex.Build(feature);
        var featureTags = feature.Tags.Select(t => Strip(t.Name)).ToArray();
        var featureInfo = new FeatureInfo(new CultureInfo("en-US"), area, feature.Name, feature.Description?.Trim(),
            ProgrammingLanguage.CSharp, featureTags);
        var ruleInfos = new Dictionary<string, RuleInfo>();

        var result = new List<ScenarioCase>(pickles.Count);
        foreach (var pickle in pickles)
        {
            var scenario = nodes.Scenarios[pickle.AstNodeIds[0]];
            var rule = nodes.RuleOfScenario.GetValueOrDefault(scenario.Id);
            RuleInfo? ruleInfo = null;
            if (rule is not null && !ruleInfos.TryGetValue(rule.Id, out ruleInfo))
            {
                ruleInfo = new RuleInfo(rule.Name, rule.Description?.Trim(), rule.Tags.Select(t => Strip(t.Name)).ToArray());
                ruleInfos[rule.Id] = ruleInfo;
            }

            var line = (int)scenario.Location.Line;
            string? exampleDescription = null;
            string? examplesName = null;
            var arguments = new Dictionary<string, string>();
            var directTags = scenario.Tags.Select(t => Strip(t.Name)).ToList();
            if (pickle.AstNodeIds.Count > 1 && nodes.Rows.TryGetValue(pickle.AstNodeIds[1], out var row))
            {
                var examples = nodes.ExamplesOfRow[row.Id];
                line = (int)row.Location.Line;
                var headers = examples.TableHeader?.Cells.Select(c => c.Value).ToList() ?? [];
                for (var i = 0; i < headers.Count && i < row.Cells.Count; i++) arguments[headers[i]] = row.Cells[i].Value;
                exampleDescription = string.Join(", ", arguments.Select(kv => $"{kv.Key}={kv.Value}"));
                if (!string.IsNullOrWhiteSpace(examples.Name)) examplesName = examples.Name.Trim();
                if (examplesName is not null) exampleDescription = $"{examplesName}: {exampleDescription}";
                directTags.AddRange(examples.Tags.Select(t => Strip(t.Name)));
            }

            var steps = pickle.Steps.Select(ps => ToStep(ps, nodes)).ToList();
            var tags = pickle.Tags.Select(t => Strip(t.Name)).Distinct(StringComparer.Ordinal).ToList();
            result.Add(new ScenarioCase($"{relativePath}:{line}", relativePath, feature.Name, area, pickle.Name,
                exampleDescription, line, tags, steps, featureInfo, ruleInfo, scenario.Description?.Trim(),
                directTags, arguments, scenarioLine: (int)scenario.Location.Line) { ExamplesName = examplesName });
        }
        return result;
    }

    private static ScenarioStep ToStep(PickleStep pickleStep, AstIndex nodes)
    {
        var step = nodes.Steps[pickleStep.AstNodeIds[0]];
        Table? table = null;
        if (pickleStep.Argument?.DataTable is { } dataTable && dataTable.Rows.Count > 0)
        {
            table = new Table(dataTable.Rows[0].Cells.Select(c => c.Value).ToArray());
            foreach (var row in dataTable.Rows.Skip(1)) table.AddRow(row.Cells.Select(c => c.Value).ToArray());
        }
        return new ScenarioStep(step.Keyword.Trim(), step.KeywordType, pickleStep.Text, (int)step.Location.Line,
            pickleStep.Argument?.DocString?.Content, table);
    }

    private static string Strip(string tag) => tag.StartsWith('@') ? tag[1..] : tag;

    /// <summary>Lookup from AST node ids (as referenced by pickles) to the Gherkin nodes.</summary>
    private sealed class AstIndex
    {
        public Dictionary<string, Scenario> Scenarios { get; } = new();
        public Dictionary<string, Step> Steps { get; } = new();
        public Dictionary<string, TableRow> Rows { get; } = new();
        public Dictionary<string, Examples> ExamplesOfRow { get; } = new();
        public Dictionary<string, Rule> RuleOfScenario { get; } = new();

        public static AstIndex Build(Feature feature)
        {
            var index = new AstIndex();
            foreach (var child in feature.Children)
            {
                if (child.Background is { } background) index.AddSteps(background.Steps);
                if (child.Scenario is { } scenario) index.AddScenario(scenario, null);
                if (child.Rule is { } rule)
                {
                    foreach (var ruleChild in rule.Children)
                    {
                        if (ruleChild.Background is { } ruleBackground) index.AddSteps(ruleBackground.Steps);
                        if (ruleChild.Scenario is { } ruleScenario) index.AddScenario(ruleScenario, rule);
                    }
                }
            }
            return index;
        }

        private void AddScenario(Scenario scenario, Rule? rule)
        {
            Scenarios[scenario.Id] = scenario;
            if (rule is not null) RuleOfScenario[scenario.Id] = rule;
            AddSteps(scenario.Steps);
            foreach (var examples in scenario.Examples)
            foreach (var row in examples.TableBody)
            {
                Rows[row.Id] = row;
                ExamplesOfRow[row.Id] = examples;
            }
        }

        private void AddSteps(IEnumerable<Step> steps)
        {
            foreach (var step in steps) Steps[step.Id] = step;
        }
    }
}
