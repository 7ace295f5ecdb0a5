using Conformance.Engine.Running;
using Conformance.Engine.Support;
using Conformance.Specs.Bridge;
using Xunit;

[assembly: AssemblyFixture(typeof(EngineRunFixture))]

namespace Conformance.Specs.Bridge;

/// <summary>Once per test run: Reqnroll's [BeforeTestRun]/[AfterTestRun] hooks, and stopping every server and driver.</summary>
public sealed class EngineRunFixture : IAsyncLifetime
{
    public async ValueTask InitializeAsync() => await ScenarioRunner.StartRunAsync();

    public async ValueTask DisposeAsync()
    {
        try { await ScenarioRunner.EndRunAsync(); }
        finally { await ConformanceSession.Current.DisposeAsync(); }
    }
}
