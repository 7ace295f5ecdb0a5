using System.Collections.Concurrent;

namespace Conformance.Engine.Support;

/// <summary>
/// Everything shared by the scenarios of one run: the settings, the server under test (started once, lazily), the
/// fixture-contract probe per endpoint, the pool of known-good servers and the client driver hosts. Hosts create it
/// (or let <see cref="Current"/> build one from the environment) and dispose it when the run ends.
/// </summary>
public sealed class ConformanceSession : IAsyncDisposable
{
    private static readonly object Gate = new();
    private static ConformanceSession? _current;
    private readonly ConcurrentDictionary<Uri, Lazy<Task<FixtureProbe>>> _probes = new();
    private readonly Lazy<Task<ServerEndpoint>> _serverUnderTest;
    private IServerTarget? _target;

    public ConformanceSession(EngineSettings settings)
    {
        Settings = settings;
        _serverUnderTest = new Lazy<Task<ServerEndpoint>>(StartServerUnderTestAsync);
        KnownGood = new KnownGoodServers(settings);
        Clients = new ClientDrivers(this);
    }

    /// <summary>The session scenarios run in. Defaults to one built from the environment on first use.</summary>
    public static ConformanceSession Current
    {
        get
        {
            lock (Gate) return _current ??= new ConformanceSession(EngineSettings.FromEnvironment());
        }
        set
        {
            lock (Gate) _current = value;
        }
    }

    public EngineSettings Settings { get; }

    public KnownGoodServers KnownGood { get; }

    public ClientDrivers Clients { get; }

    /// <summary>The gate that lets @exclusive and @cluster-control scenarios run alone against this session's server.</summary>
    public Running.ScenarioExclusivity Exclusivity { get; } = new();

    /// <summary>Creates the server under test target; replaceable so hosts can plug in the embedded sample.</summary>
    public Func<EngineSettings, IServerTarget>? EmbeddedTargetFactory { get; set; } = DefaultEmbeddedTargetFactory;

    /// <summary>The embedded C# reference sample (replaceable by hosts that embed another server).</summary>
    public static Func<EngineSettings, IServerTarget>? DefaultEmbeddedTargetFactory { get; set; } = s => new EmbeddedSampleTarget(s);

    /// <summary>The server under test, started on first use and kept for the whole run.</summary>
    public Task<ServerEndpoint> ServerUnderTestAsync() => _serverUnderTest.Value;

    /// <summary>
    /// The cluster under test (@cluster scenarios): the harness's own cluster target, or the external endpoints of
    /// --endpoint A --endpoint B (no process control); null when the run has fewer than two nodes.
    /// </summary>
    public async Task<ServerCluster?> ClusterAsync()
    {
        if (!Settings.IsCluster) return null;
        var first = await ServerUnderTestAsync().ConfigureAwait(false);
        if (_target is RedisClusterTarget own) return own.Cluster;
        return new ServerCluster(Settings.ClusterEndpoints
            .Select((uri, i) => i == 0 ? first : new ServerEndpoint(uri, $"external endpoint {uri} (node {i + 1})", Settings.ProtocolVersion)).ToList(), null);
    }

    /// <summary>Whether the endpoint answers conformance.hello (cached per URL).</summary>
    public Task<FixtureProbe> ProbeFixtureAsync(ServerEndpoint endpoint) =>
        _probes.GetOrAdd(endpoint.WebSocketUrl, _ => new Lazy<Task<FixtureProbe>>(() =>
            FixtureContract.ProbeAsync(endpoint.WebSocketUrl, endpoint.ProtocolVersion, Settings.WaitScale, CancellationToken.None))).Value;

    private async Task<ServerEndpoint> StartServerUnderTestAsync()
    {
        var s = Settings;
        IServerTarget target = s.Target switch
        {
            RunTarget.External external => new ExternalServerTarget(external.Endpoint, s.ProtocolVersion),
            RunTarget.NodeFixture fixture => new NodeServerTarget(s, fixture.Spec),
            RunTarget.Cluster => new RedisClusterTarget(s),
            _ => (EmbeddedTargetFactory ?? throw new InvalidOperationException(
                "The embedded C# reference sample is not available in this build; set SC_TARGET=official or SC_ENDPOINT.")).Invoke(s),
        };
        _target = target;
        return await target.StartAsync(CancellationToken.None).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await Clients.DisposeAsync().ConfigureAwait(false);
        await KnownGood.DisposeAsync().ConfigureAwait(false);
        if (_target is not null) await _target.DisposeAsync().ConfigureAwait(false);
        lock (Gate)
        {
            if (ReferenceEquals(_current, this)) _current = null;
        }
    }
}
