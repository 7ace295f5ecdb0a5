using Conformance.Engine.Catalog;
using Conformance.Engine.Support;
using Conformance.Engine.Traceability;
using Xunit;

namespace Conformance.Specs.EngineTests;

/// <summary>
/// Every MUST in spec/requirements.md has a scenario, every requirement tag is known and consistent (role, versions,
/// level), and spec/traceability.md is regenerated (commit the file when it changes).
/// </summary>
[Trait("Category", "traceability")]
public sealed class TraceabilityTests
{
    [Fact]
    public void Requirements_and_scenarios_are_traceable_and_the_matrix_is_regenerated()
    {
        var root = EngineSettings.FindRepoRoot();
        var (requirements, requirementProblems) = RequirementsParser.Load(root);
        var scenarios = FeatureCatalog.Load(Path.Combine(root, "features"), root);
        var report = TraceabilityMatrix.Build(requirements, requirementProblems, scenarios);

        var path = Path.Combine(root, "spec", "traceability.md");
        var current = File.Exists(path) ? File.ReadAllText(path) : null;
        if (current != report.Markdown) File.WriteAllText(path, report.Markdown);

        Assert.NotEmpty(requirements);
        Assert.True(report.Problems.Count == 0,
            $"{report.Problems.Count} traceability problem(s):\n  " + string.Join("\n  ", report.Problems));
    }
}
