using Conformance.Engine.Support;
using Reqnroll;

namespace Conformance.Engine.StepDefinitions;

[Binding]
public sealed class Hooks(ScenarioWorld world, ScenarioContext scenario)
{
    /// <summary>Declared tokens are minted lazily, right before the first step that refers to them.</summary>
    [BeforeStep]
    public Task MintTokens()
    {
        var step = scenario.StepContext.StepInfo;
        return world.DeclaredTokens.Count == 0 ? Task.CompletedTask : TokenMinter.MintReferencedAsync(world, step.Text, step.MultilineText);
    }

    /// <summary>@fixture scenarios on the server under test are skipped (with the reason) when conformance.hello is not answered.</summary>
    [BeforeScenario("fixture", Order = 100)]
    public async Task RequireFixtureApp()
    {
        if (!world.UsesKnownGoodServer) await world.TargetFixtureAsync();
    }

    /// <summary>
    /// @capability-NAME scenarios on the server under test are skipped (with the reason) when conformance.hello does
    /// not list NAME in its capabilities (spec/fixture-app.md §2.1).
    /// </summary>
    [BeforeScenario(Order = 110)]
    public async Task RequireFixtureCapabilities()
    {
        var tags = world.Run.Case.Tags;
        if (world.UsesKnownGoodServer || !tags.Any(t => t.StartsWith(FixtureContract.CapabilityTagPrefix, StringComparison.Ordinal))) return;
        var info = await world.TargetFixtureAsync();
        if (FixtureContract.MissingCapability(info, tags) is { } reason) throw new Running.ScenarioSkippedException(Running.NotApplicableKind.CapabilityAbsent, reason);
    }

    /// <summary>Closes every connection and client of the scenario (their closes end up in the transcript).</summary>
    [AfterScenario(Order = 10_000)]
    public Task DisposeActors() => world.DisposeActorsAsync();
}
