using Conformance.Engine.Catalog;
using Conformance.Engine.Running;
using Conformance.Specs.Bridge;
using Xunit;

namespace Conformance.Specs.EngineTests;

public sealed class BridgeTests
{
    /// <summary>Runs a self-test scenario and asserts its status; the result is returned for the details.</summary>
    private static async Task<ScenarioResult> RunAsync(string scenario, ScenarioStatus expected)
    {
        var result = await SelfTestFeatures.RunAsync(scenario);
        Assert.Equal(expected, result.Status);
        return result;
    }

    [Fact]
    public void Catalog_expands_outlines_and_inherits_tags()
    {
        var cases = SelfTestFeatures.Load();
        var outline = cases.Where(c => c.Name.StartsWith("Adding", StringComparison.Ordinal)).ToList();
        Assert.Equal(["Adding 1 gives 2", "Adding 2 gives 3", "Adding 10 gives 11"], outline.Select(c => c.Name));
        Assert.Equal("Bridge self-test: Adding 1 gives 2 [small: add=1, sum=2]", outline[0].DisplayName);
        Assert.Equal("Bridge self-test: Adding 10 gives 11 [add=10, sum=11]", outline[2].DisplayName);
        Assert.Contains("fast", outline[0].Tags);
        Assert.DoesNotContain("fast", outline[2].Tags);
        Assert.All(outline, c => Assert.Contains("engine-selftest", c.Tags));
        Assert.EndsWith("SelfTest/bridge.feature:38", outline[0].Id);

        var passing = cases.Single(c => c.Name == "A passing scenario");
        Assert.Equal("Given the self-test value is 1", $"{passing.Steps[0].Keyword} {passing.Steps[0].Text}");
        Assert.Equal(3, passing.Steps.Count);
        Assert.Contains("smoke", passing.Tags);

        var ruled = cases.Single(c => c.Name == "A scenario inside a rule");
        Assert.Contains("ruled", ruled.Tags);
        Assert.Equal(2, ruled.Steps.Count); // the feature Background applies inside the rule
    }

    [Fact]
    public void Rows_carry_display_names_and_traits()
    {
        var scenario = SelfTestFeatures.Find("A passing scenario");
        var row = ScenarioRows.ToRow(scenario);
        Assert.Equal("Bridge self-test: A passing scenario", row.TestDisplayName);
        Assert.Contains("smoke", row.Traits!["Category"]);
        Assert.Contains("v2", row.Traits["Category"]);
        Assert.Equal(["Bridge self-test"], row.Traits["Feature"]);
        Assert.Equal(["(top)"], row.Traits["Area"]);
    }

    [Fact]
    public async Task Passing_scenario_passes()
    {
        var result = await RunAsync("A passing scenario", ScenarioStatus.Passed);
        Assert.Contains("the self-test value is increased by 2", result.StepTrace);
    }

    [Fact]
    public async Task Failing_step_is_named_with_feature_and_line()
    {
        var result = await RunAsync("A failing step is named with its line", ScenarioStatus.Failed);
        Assert.Equal("Then the self-test value should be 4", result.FailingStep);
        Assert.EndsWith("SelfTest/bridge.feature:15", result.FailingLocation);
        Assert.Equal("expected the self-test value 4, got 3", result.Message);
    }

    [Fact]
    public async Task Undefined_step_is_pending_with_a_snippet()
    {
        var result = await RunAsync("An undefined step is pending", ScenarioStatus.Pending);
        Assert.Equal("When a step nobody has written yet", result.FailingStep);
        Assert.Contains("a step nobody has written yet", result.Message);
    }

    [Fact]
    public async Task A_step_can_skip_the_scenario()
    {
        var result = await RunAsync("A step can skip the scenario", ScenarioStatus.Skipped);
        Assert.Equal("no fixture here", result.Message);
    }

    [Fact]
    public async Task Doc_strings_and_outline_rows_run()
    {
        await RunAsync("A doc string reaches the step", ScenarioStatus.Passed);
        await RunAsync("Adding 10 gives 11", ScenarioStatus.Passed);
        await RunAsync("A scenario inside a rule", ScenarioStatus.Passed);
    }

    [Fact]
    public async Task Scenarios_without_the_run_version_tag_are_skipped()
    {
        var result = await RunAsync("Only for protocol version 1", ScenarioStatus.Skipped);
        Assert.Contains("not tagged @v2", result.Message);
    }

    [Fact]
    public void Syntax_errors_become_one_failing_case()
    {
        var folder = Directory.CreateTempSubdirectory();
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "broken.feature"), "Feature: Broken\n  Scenario: x\n    Given a\n  Examples oops\n");
            var cases = FeatureCatalog.Load(folder.FullName, folder.FullName);
            var broken = Assert.Single(cases);
            Assert.NotNull(broken.LoadError);
            Assert.Equal("broken.feature", broken.Id);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
