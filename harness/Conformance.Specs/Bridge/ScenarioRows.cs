using Conformance.Engine.Catalog;
using Xunit;

namespace Conformance.Specs.Bridge;

/// <summary>
/// Turns scenarios into xunit theory rows: display name "Feature: Scenario [example row]", traits Category=&lt;tag&gt; for
/// every tag, Feature=&lt;title&gt;, Area=&lt;folder&gt;, Scenario=&lt;key&gt;, Location=&lt;file:line&gt; (shared by every
/// client's case of a row), Client=&lt;client under test&gt; for a @client case, and Skip for @ignore.
/// </summary>
internal static class ScenarioRows
{
    /// <summary>
    /// Scenarios are spread over this many test classes so xunit runs them in parallel (xunit.runner.json allows as many
    /// threads). Most of a scenario is waiting on timers (an official-target run uses about half a core at 8 partitions),
    /// so 12 partitions shorten each run without starving the timing checks of CPU.
    /// </summary>
    public const int Partitions = 12;

    public static IEnumerable<ITheoryDataRow> For(int partition) =>
        ScenarioCatalog.All
            .Select((scenario, index) => (scenario, index))
            .Where(p => p.index % Partitions == partition)
            .Select(p => ToRow(p.scenario));

    public static ITheoryDataRow ToRow(ScenarioCase scenario)
    {
        var row = new TheoryDataRow<string>(scenario.Id)
        {
            TestDisplayName = scenario.DisplayName,
            Skip = scenario.HasTag("ignore") ? "tagged @ignore" : null,
        };
        foreach (var tag in scenario.Tags) row.WithTrait("Category", tag);
        row.WithTrait("Feature", scenario.FeatureTitle);
        row.WithTrait("Area", scenario.Area.Length == 0 ? "(top)" : scenario.Area);
        row.WithTrait("Scenario", scenario.Id);
        row.WithTrait("Location", scenario.Location);
        if (scenario.Client is { } client) row.WithTrait("Client", client);
        return row;
    }
}
