using Conformance.Reports;

namespace Conformance.Cli;

/// <summary>A scenario the runner can execute (one pickle: an Outline row is its own scenario).</summary>
public sealed record PlannedScenario(string Key, string Feature, string Name, IReadOnlyList<string> Tags, string Subject)
{
    public int? Level => Tags.Select(ConformanceLevel.Parse).FirstOrDefault(l => l is not null);

    /// <summary>"features/X.feature:LINE" of <see cref="Key"/>, without the client under test.</summary>
    public string Location => Engine.Catalog.ClientDimension.SplitKey(Key).Location;
}

/// <summary>The endpoint could not be reached or the embedded server could not start: exit code 2.</summary>
public sealed class EndpointUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// What the gate needs from the conformance engine. The production implementation (<see cref="EngineScenarioRunner"/>)
/// runs the same Gherkin scenarios as `dotnet test`; tests substitute synthetic runners.
/// </summary>
public interface IScenarioRunner : IAsyncDisposable
{
    /// <summary>
    /// Makes the target ready for one protocol version: with <paramref name="endpoint"/> null, starts the embedded
    /// C# reference sample. Returns the URL that scenarios will target. Throws <see cref="EndpointUnavailableException"/>.
    /// </summary>
    Task<Uri> PrepareAsync(Uri? endpoint, int protocolVersion, CancellationToken cancellationToken);

    /// <summary>Every scenario valid for this protocol version, in feature order.</summary>
    IReadOnlyList<PlannedScenario> Discover(int protocolVersion);

    /// <summary>
    /// After <see cref="PrepareAsync"/>: null when the target meets the fixture-app contract or does not host the fixture
    /// app at all; else one line naming what its conformance.hello lacks (spec/fixture-app.md §5.1).
    /// </summary>
    Task<string?> FixtureContractErrorAsync(int protocolVersion, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    /// <summary>Runs one scenario against the prepared target; never throws for a scenario failure.</summary>
    Task<ScenarioRecord> RunAsync(PlannedScenario scenario, int protocolVersion, CancellationToken cancellationToken);
}
