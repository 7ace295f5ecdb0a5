using Conformance.Engine.Catalog;
using Conformance.Engine.Running;
using Conformance.Engine.Support;

namespace Conformance.Specs.EngineTests;

/// <summary>Loads the bridge's self-test features (copied next to the test assembly) and runs them with a v2 session.</summary>
internal static class SelfTestFeatures
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "SelfTest");

    public static IReadOnlyList<ScenarioCase> Load() => FeatureCatalog.Load(Folder, AppContext.BaseDirectory);

    public static ScenarioCase Find(string name) =>
        Load().Single(c => c.Name == name);

    public static Task<ScenarioResult> RunAsync(string name, TimeSpan? scenarioTimeout = null)
    {
        var settings = EngineSettings.FromEnvironment(getEnv: _ => null) with { ProtocolVersion = 2 };
        if (scenarioTimeout is { } timeout) settings = settings with { ScenarioTimeout = timeout };
        return new ScenarioRunner(new ConformanceSession(settings)).RunAsync(Find(name));
    }
}
