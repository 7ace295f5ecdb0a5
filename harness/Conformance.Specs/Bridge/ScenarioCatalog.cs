using Conformance.Engine.Catalog;
using Conformance.Engine.Support;

namespace Conformance.Specs.Bridge;

/// <summary>The scenarios of features/ as loaded once per test process (discovery and execution share it).</summary>
internal static class ScenarioCatalog
{
    private static readonly Lazy<IReadOnlyList<ScenarioCase>> Cases = new(() =>
    {
        var settings = ConformanceSession.Current.Settings;
        // Each @client case once per client under test: the built-in drivers, or SC_CLIENT_ADAPTER's adapter instead.
        return Engine.Drivers.Adapters.ClientAdapters.Retarget(FeatureCatalog.Load(settings.FeaturesFolder, settings.RepoRoot), settings.ClientAdapters);
    });

    private static readonly Lazy<Dictionary<string, ScenarioCase>> ById = new(() =>
        Cases.Value.GroupBy(c => c.Id).ToDictionary(g => g.Key, g => g.First()));

    public static IReadOnlyList<ScenarioCase> All => Cases.Value;

    public static ScenarioCase Get(string id) => ById.Value.TryGetValue(id, out var c)
        ? c
        : throw new InvalidOperationException($"Scenario {id} is no longer in features/ (re-run discovery).");
}
