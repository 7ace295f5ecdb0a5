using Conformance.Engine.Support;
using Reqnroll;

namespace Conformance.Engine.StepDefinitions;

[Binding]
public sealed class Hooks(ScenarioWorld world)
{
    /// <summary>@fixture scenarios on the server under test are skipped (with the reason) when conformance.hello is not answered.</summary>
    [BeforeScenario("fixture", Order = 100)]
    public async Task RequireFixtureApp()
    {
        if (!world.UsesKnownGoodServer) await world.TargetFixtureAsync();
    }

    /// <summary>Closes every connection and client of the scenario (their closes end up in the transcript).</summary>
    [AfterScenario(Order = 10_000)]
    public Task DisposeActors() => world.DisposeActorsAsync();
}
