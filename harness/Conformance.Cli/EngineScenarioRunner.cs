using Conformance.Engine.Catalog;
using Conformance.Engine.Drivers.Adapters;
using Conformance.Engine.Running;
using Conformance.Engine.Support;
using Conformance.Reports;

namespace Conformance.Cli;

/// <summary>
/// Runs scenarios with the conformance engine (Conformance.Engine): the same features/, step definitions and
/// Reqnroll runtime as `dotnet test harness/Conformance.Specs`. One engine session per protocol version.
/// </summary>
public sealed class EngineScenarioRunner : IScenarioRunner
{
    private readonly string _repoRoot;
    private readonly Dictionary<int, ConformanceSession> _sessions = [];
    private readonly Lazy<IReadOnlyList<ScenarioCase>> _cases;
    private Dictionary<string, ScenarioCase>? _byId;
    private bool _runStarted;

    private readonly bool _legacyV14;
    private readonly TimeSpan? _scenarioTimeout;
    private readonly IReadOnlyList<ClientAdapterSpec> _adapters;
    private readonly KnownGoodServerKind? _knownGood;
    private readonly IReadOnlyList<Uri> _clusterEndpoints;
    private readonly int _clusterNodes;

    /// <param name="legacyV14">The endpoint is a v14-era server (--legacy v14): @not-v14 scenarios are skipped.</param>
    /// <param name="scenarioTimeout">--scenario-timeout; null: SC_SCENARIO_TIMEOUT or the engine's default.</param>
    /// <param name="knownGood">--known-good; null keeps the engine's default.</param>
    /// <param name="clientAdapters">--client: the clients under test instead of the built-in drivers (ClientDimension.Expand).</param>
    public EngineScenarioRunner(string? repoRoot = null, bool legacyV14 = false, TimeSpan? scenarioTimeout = null,
        IReadOnlyList<ClientAdapterSpec>? clientAdapters = null, KnownGoodServerKind? knownGood = null,
        IReadOnlyList<Uri>? clusterEndpoints = null, int clusterNodes = 0)
    {
        _clusterEndpoints = clusterEndpoints ?? [];
        _clusterNodes = clusterNodes;
        Conformance.EmbeddedSample.SampleEmbeddedServer.Register();
        _knownGood = knownGood;
        _legacyV14 = legacyV14;
        _scenarioTimeout = scenarioTimeout;
        _adapters = clientAdapters ?? [];
        _repoRoot = repoRoot ?? EngineSettings.FindRepoRoot();
        _cases = new(() => ClientAdapters.Retarget(FeatureCatalog.Load(Path.Combine(_repoRoot, "features"), _repoRoot), _adapters));
    }

    public async Task<Uri> PrepareAsync(Uri? endpoint, int protocolVersion, CancellationToken cancellationToken)
    {
        // Only the wait scale and the scenario deadline come from the environment: the command line decides the target
        // and the version (and --scenario-timeout wins over SC_SCENARIO_TIMEOUT).
        EngineSettings settings;
        try
        {
            settings = EngineSettings.FromEnvironment(_repoRoot,
                name => name is "CONFORMANCE_WAIT_SCALE" or EngineSettings.ScenarioTimeoutVariable ? Environment.GetEnvironmentVariable(name) : null);
            settings = _clusterNodes >= 2 ? settings.WithCluster(_clusterNodes)
                : _clusterEndpoints.Count >= 2 ? settings.WithEndpoints(_clusterEndpoints.Select(u => u.ToString()).ToList())
                : endpoint is null ? settings.WithTarget(EngineSettings.EmbeddedTarget) : settings.WithEndpoint(endpoint);
            settings = settings with { ProtocolVersion = protocolVersion };
            if (_scenarioTimeout is { } timeout) settings = settings with { ScenarioTimeout = timeout };
            if (_legacyV14) settings = settings.WithLegacy("v14");
            settings = settings with { ClientAdapters = _adapters };
            if (_knownGood is { } knownGood) settings = settings with { KnownGood = knownGood };
        }
        catch (ArgumentException e)
        {
            throw new EndpointUnavailableException(e.Message, e);
        }

        var session = new ConformanceSession(settings);
        _sessions[protocolVersion] = session;
        ConformanceSession.Current = session;
        try
        {
            var server = await session.ServerUnderTestAsync().WaitAsync(cancellationToken);
            if (!_runStarted)
            {
                // Reqnroll's start-up trace ("-> Loading plugin ...") goes to Console.Out: keep it out of the gate's output.
                var stdout = Console.Out;
                Console.SetOut(TextWriter.Null);
                try { await ScenarioRunner.StartRunAsync(); }
                finally { Console.SetOut(stdout); }
                _runStarted = true;
            }
            return server.WebSocketUrl;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new EndpointUnavailableException(endpoint is null
                ? $"the embedded C# reference sample could not be started: {e.Message}"
                : $"endpoint {endpoint} could not be prepared: {e.Message}", e);
        }
    }

    public async Task<string?> FixtureContractErrorAsync(int protocolVersion, CancellationToken cancellationToken)
    {
        var session = _sessions.TryGetValue(protocolVersion, out var s) ? s
            : throw new InvalidOperationException($"protocol v{protocolVersion} was not prepared");
        var server = await session.ServerUnderTestAsync().WaitAsync(cancellationToken);
        // The same cached probe the @fixture scenarios use: asking first costs nothing later.
        var probe = await session.ProbeFixtureAsync(server).WaitAsync(cancellationToken);
        return probe.ContractError;
    }

    public IReadOnlyList<PlannedScenario> Discover(int protocolVersion) =>
        _cases.Value
            .Where(c => c.LoadError is not null || c.HasTag($"v{protocolVersion}"))
            .Select(c => new PlannedScenario(c.Id, c.FeatureTitle, c.ExampleDescription is null ? c.Name : $"{c.Name} [{c.ExampleDescription}]",
                c.Tags, EngineResultMapper.SubjectOf(c)))
            .ToList();

    public async Task<ScenarioRecord> RunAsync(PlannedScenario scenario, int protocolVersion, CancellationToken cancellationToken)
    {
        // A key names one case: a client case's key names its client under test.
        _byId ??= _cases.Value.GroupBy(c => c.Id).ToDictionary(g => g.Key, g => g.First());
        var scenarioCase = _byId[scenario.Key];
        var session = _sessions.TryGetValue(protocolVersion, out var s) ? s
            : throw new InvalidOperationException($"protocol v{protocolVersion} was not prepared");
        var started = DateTimeOffset.UtcNow;
        // A protocol version or capability the adapter did not declare: UNIMPLEMENTED for it, like an unclaimed level.
        if (await ClientAdapters.NotApplicableReasonAsync(session, scenarioCase) is { } notDeclared)
            return EngineResultMapper.ToRecord(scenarioCase, new ScenarioResult { Id = scenarioCase.Id, DisplayName = scenarioCase.DisplayName, Status = ScenarioStatus.Skipped, Message = notDeclared, Tags = scenarioCase.Tags }, protocolVersion, started)
                with { Outcome = Outcome.NotRun };
        var result = await new ScenarioRunner(session).RunAsync(scenarioCase, cancellationToken);
        return EngineResultMapper.ToRecord(scenarioCase, result, protocolVersion, started);
    }

    public async ValueTask DisposeAsync()
    {
        if (_runStarted)
        {
            try { await ScenarioRunner.EndRunAsync(); }
            catch (Exception) { /* [AfterTestRun] hook failures must not hide the verdicts already computed */ }
        }
        foreach (var session in _sessions.Values) await session.DisposeAsync();
        _sessions.Clear();
    }
}
