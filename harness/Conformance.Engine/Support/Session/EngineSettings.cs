using System.Globalization;

namespace Conformance.Engine.Support;

/// <summary>
/// What a run is pointed at. Hosts build it from the environment (<see cref="FromEnvironment"/>) or from their own
/// options (the CLI's --endpoint / --target). Immutable once the session starts.
/// </summary>
public sealed record EngineSettings
{
    public const string EmbeddedTarget = "embedded";
    public const string EndpointTarget = "endpoint";

    /// <summary>A cluster the harness starts: a redis-server and <see cref="ClusterNodes"/> C# sample nodes on its Redis broker.</summary>
    public const string ClusterTarget = "cluster";

    /// <summary>SC_ENDPOINTS: the nodes of one external cluster, separated by commas or spaces (the first is the server under test).</summary>
    public const string EndpointsVariable = "SC_ENDPOINTS";

    /// <summary>SC_CLUSTER_NODES: how many nodes SC_TARGET=cluster starts (2 to 8, default 2).</summary>
    public const string ClusterNodesVariable = "SC_CLUSTER_NODES";

    /// <summary>The named targets: an official Node fixture server started by the harness.</summary>
    public static IReadOnlyDictionary<string, NodeFixtureSpec> NamedTargets { get; } = new Dictionary<string, NodeFixtureSpec>(StringComparer.OrdinalIgnoreCase)
    {
        ["official"] = new("fixture-server.js", 2, "official socketcluster-server 20.0.1 (Node fixture)"),
        ["official-v1"] = new("fixture-server.js", 1, "official socketcluster-server 20.0.1 in protocol v1 mode (Node fixture)"),
        ["official-v14"] = new("fixture-server-v14.js", 1, "official socketcluster-server 14.7.2 (Node fixture, protocol v1)", LegacyV14: true),
    };

    /// <summary>The repository root (features/, spec/, js-client-fixtures/).</summary>
    public required string RepoRoot { get; init; }

    /// <summary>The server under test: the embedded sample (default), an external endpoint, or an official Node fixture.</summary>
    public RunTarget Target { get; init; } = RunTarget.Embedded;

    /// <summary>The external server's WebSocket URL when <see cref="Target"/> is an endpoint.</summary>
    public Uri? Endpoint => (Target as RunTarget.External)?.Endpoint;

    /// <summary>
    /// Every node of an external cluster (--endpoint A --endpoint B, SC_ENDPOINTS), <see cref="Endpoint"/> first; empty
    /// when one endpoint is given. The suite cannot restart their processes: @cluster-control scenarios are out of scope.
    /// </summary>
    public IReadOnlyList<Uri> ClusterEndpoints { get; init; } = [];

    /// <summary>How many nodes the <see cref="RunTarget.Cluster"/> target starts (0 for other targets).</summary>
    public int ClusterNodes => (Target as RunTarget.Cluster)?.Nodes ?? 0;

    /// <summary>Whether @cluster scenarios apply: two or more nodes of one cluster.</summary>
    public bool IsCluster => ClusterEndpoints.Count >= 2 || ClusterNodes >= 2;

    /// <summary>Whether the suite controls the cluster's processes (nodes and broker): only for a cluster it starts.</summary>
    public bool ControlsCluster => ClusterNodes >= 2;

    /// <summary>1 or 2; scenarios not tagged with the run's version are skipped.</summary>
    public int ProtocolVersion { get; init; } = 2;

    /// <summary>
    /// The server under test is a v14-era server (socketcluster-server 14.x or one built to match it): scenarios tagged
    /// @not-v14 check details where those servers behave differently (spec/legacy-v14.md) and are skipped. Client
    /// scenarios then use the official 14.7.2 fixture as their known-good server.
    /// </summary>
    public bool LegacyV14 { get; init; }

    /// <summary>Multiplies every default wait (CONFORMANCE_WAIT_SCALE).</summary>
    public double WaitScale { get; init; } = 1.0;

    public string NodeExecutable { get; init; } = "node";

    /// <summary>The environment variable choosing <see cref="KnownGood"/> (dotnet test; the CLI: --known-good).</summary>
    public const string KnownGoodVariable = "SC_KNOWN_GOOD";

    /// <summary>
    /// The server client scenarios run against (STEPS.md §0.1): the embedded C# reference sample (default: the built-in
    /// clients get the same verdicts against both, and a client author needs neither Node nor Chromium), or the official
    /// Node fixture. v14 runs (<see cref="LegacyV14"/>) always use the 14.7.2 Node fixture, which the C# server does not emulate.
    /// </summary>
    public KnownGoodServerKind KnownGood { get; init; } = KnownGoodServerKind.Embedded;

    /// <summary>Whether known-good servers are the embedded C# sample in this run (never for v14 runs).</summary>
    public bool KnownGoodIsEmbedded => KnownGood == KnownGoodServerKind.Embedded && !LegacyV14;

    /// <summary>Parses "embedded" or "official"; <paramref name="source"/> names the setting in the error.</summary>
    public static KnownGoodServerKind ParseKnownGood(string text, string source) => text.Trim().ToLowerInvariant() switch
    {
        "embedded" => KnownGoodServerKind.Embedded,
        "official" => KnownGoodServerKind.Official,
        _ => throw new ArgumentException($"{source} must be 'embedded' (the C# reference sample) or 'official' (the Node fixture), got '{text}'"),
    };

    /// <summary>The environment variable that sets <see cref="ScenarioTimeout"/> in seconds (dotnet test; the CLI: --scenario-timeout).</summary>
    public const string ScenarioTimeoutVariable = "SC_SCENARIO_TIMEOUT";

    /// <summary>
    /// The default hard deadline of one scenario, before the wait scale. The slowest scenarios wait for a named timeout:
    /// against the fixture's timings (pingTimeout 3 s) none takes 6 s; with the official defaults (pingTimeout 30 s) the
    /// @slow "still open after the ping timeout" row takes ~40 s (1.25 × 30 s + 2 s, STEPS.md §0.4). A server whose
    /// pingTimeout is over ~40 s needs a longer deadline (--scenario-timeout, SC_SCENARIO_TIMEOUT).
    /// </summary>
    public static readonly TimeSpan DefaultScenarioTimeout = TimeSpan.FromSeconds(60);

    private readonly TimeSpan? _scenarioTimeout;

    /// <summary>
    /// The hard deadline of one scenario: past it the scenario fails as "timed out in step ..." (ScenarioRunner).
    /// Default <see cref="DefaultScenarioTimeout"/> × <see cref="WaitScale"/>; a value set here is used as is.
    /// </summary>
    public TimeSpan ScenarioTimeout
    {
        get => _scenarioTimeout ?? DefaultScenarioTimeout * WaitScale;
        init => _scenarioTimeout = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(ScenarioTimeout), "must be positive");
    }

    /// <summary>Parses a scenario deadline in seconds (1 to 3600, fractions allowed); <paramref name="source"/> names it in the error.</summary>
    public static TimeSpan ParseScenarioTimeout(string text, string source)
    {
        if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || !(seconds is >= 1 and <= 3600))
            throw new ArgumentException($"{source} must be a number of seconds from 1 to 3600, got '{text}'");
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>Client adapters (--client NAME=COMMAND, SC_CLIENT_ADAPTER): the clients under test instead of the built-in drivers (ClientDimension, spec/client-adapter.md §8).</summary>
    public IReadOnlyList<Drivers.Adapters.ClientAdapterSpec> ClientAdapters { get; init; } = [];

    public string FeaturesFolder => Path.Combine(RepoRoot, "features");

    public string JsFixturesFolder => Path.Combine(RepoRoot, "js-client-fixtures");

    /// <summary>The default wait of positive steps: 10 s × scale.</summary>
    public TimeSpan DefaultWait => TimeSpan.FromMilliseconds(10_000 * WaitScale);

    public string Describe() => Target switch
    {
        RunTarget.External e when ClusterEndpoints.Count >= 2 => $"cluster of {ClusterEndpoints.Count} endpoints {string.Join(", ", ClusterEndpoints)} (protocol v{ProtocolVersion})",
        RunTarget.Cluster c => $"cluster of {c.Nodes} C# reference sample nodes on a Redis broker the suite starts (protocol v{ProtocolVersion})",
        RunTarget.External e => $"endpoint {e.Endpoint} (protocol v{ProtocolVersion}{(LegacyV14 ? ", v14-era server" : "")})",
        RunTarget.NodeFixture f => $"{f.Spec.Description} (protocol v{ProtocolVersion})",
        _ => $"embedded C# reference sample (protocol v{ProtocolVersion})",
    };

    /// <summary>
    /// SC_ENDPOINT=ws://host:port/socketcluster/ points the run at any server; SC_TARGET=official|official-v1|official-v14
    /// starts an official Node fixture server; nothing set means the embedded C# sample. SC_PROTOCOL=1|2 chooses the
    /// protocol version for the embedded sample or an endpoint; SC_LEGACY=v14 marks an endpoint as a v14-era server
    /// (protocol v1, @not-v14 scenarios skipped); CONFORMANCE_WAIT_SCALE scales every wait; SC_SCENARIO_TIMEOUT (seconds)
    /// is each scenario's hard deadline (default 60 × the wait scale); SC_KNOWN_GOOD=embedded|official chooses the
    /// known-good server of client scenarios.
    /// </summary>
    public static EngineSettings FromEnvironment(string? repoRoot = null, Func<string, string?>? getEnv = null)
    {
        getEnv ??= Environment.GetEnvironmentVariable;
        var settings = new EngineSettings { RepoRoot = repoRoot ?? FindRepoRoot() };

        if (Nonempty(getEnv("CONFORMANCE_WAIT_SCALE")) is { } scaleText)
        {
            if (!double.TryParse(scaleText, NumberStyles.Float, CultureInfo.InvariantCulture, out var scale) || scale <= 0 || scale > 100)
                throw new ArgumentException($"CONFORMANCE_WAIT_SCALE must be a number in (0, 100], got '{scaleText}'");
            settings = settings with { WaitScale = scale };
        }

        if (Nonempty(getEnv(ScenarioTimeoutVariable)) is { } timeoutText)
            settings = settings with { ScenarioTimeout = ParseScenarioTimeout(timeoutText, ScenarioTimeoutVariable) };

        var endpoint = Nonempty(getEnv("SC_ENDPOINT"));
        var target = Nonempty(getEnv("SC_TARGET"));
        if (Nonempty(getEnv(EndpointsVariable)) is { } endpoints)
        {
            if (endpoint is not null || target is not null)
                throw new ArgumentException($"Set {EndpointsVariable} alone (it names every node of the cluster), not with SC_ENDPOINT or SC_TARGET");
            settings = settings.WithEndpoints(endpoints.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
        if (endpoint is not null && target is not null && !target.Equals(EndpointTarget, StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"Set either SC_ENDPOINT or SC_TARGET, not both (SC_ENDPOINT={endpoint}, SC_TARGET={target})");
        if (endpoint is not null) settings = settings.WithEndpoint(EndpointAddress.Parse(endpoint, "SC_ENDPOINT"));
        else if (target is not null) settings = settings.WithTarget(target);
        if (Nonempty(getEnv(ClusterNodesVariable)) is { } nodesText)
        {
            if (settings.Target is not RunTarget.Cluster) throw new ArgumentException($"{ClusterNodesVariable} needs SC_TARGET=cluster");
            settings = settings.WithCluster(ParseClusterNodes(nodesText, ClusterNodesVariable));
        }

        if (Nonempty(getEnv(KnownGoodVariable)) is { } knownGood)
            settings = settings with { KnownGood = ParseKnownGood(knownGood, KnownGoodVariable) };

        if (Nonempty(getEnv("SC_PROTOCOL")) is { } protocol) settings = settings.WithProtocol(protocol);
        if (Nonempty(getEnv("SC_LEGACY")) is { } legacy) settings = settings.WithLegacy(legacy);
        settings = settings with { ClientAdapters = Drivers.Adapters.ClientAdapterSpec.FromEnvironment(getEnv) };
        return settings;
    }

    /// <summary>An external server; the text is parsed by <see cref="EndpointAddress"/> (http(s) taken as ws(s), /socketcluster/ added).</summary>
    public EngineSettings WithEndpoint(string endpoint) => WithEndpoint(EndpointAddress.Parse(endpoint, "The endpoint"));

    public EngineSettings WithEndpoint(Uri endpoint) => this with { Target = new RunTarget.External(endpoint), ClusterEndpoints = [] };

    /// <summary>Several nodes of one external cluster: the first is the server under test of every other scenario.</summary>
    public EngineSettings WithEndpoints(IReadOnlyList<string> endpoints)
    {
        if (endpoints.Count == 0) throw new ArgumentException("Name at least one endpoint");
        var nodes = endpoints.Select(e => WithEndpoint(e).Endpoint!).ToList();
        if (nodes.Distinct().Count() != nodes.Count) throw new ArgumentException($"The same endpoint is given twice: {string.Join(", ", endpoints)}");
        return WithEndpoint(endpoints[0]) with { ClusterEndpoints = nodes.Count >= 2 ? nodes : [] };
    }

    /// <summary>The harness starts a redis-server and <paramref name="nodes"/> C# sample nodes on it (2 to 8).</summary>
    public EngineSettings WithCluster(int nodes)
    {
        if (nodes is < 2 or > 8) throw new ArgumentException($"A cluster has 2 to 8 nodes, got {nodes}");
        return this with { Target = new RunTarget.Cluster(nodes), ClusterEndpoints = [] };
    }

    public static int ParseClusterNodes(string text, string source) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 2 and <= 8
            ? n : throw new ArgumentException($"{source} must be a number of nodes from 2 to 8, got '{text}'");

    public EngineSettings WithTarget(string target)
    {
        if (target.Equals(EmbeddedTarget, StringComparison.OrdinalIgnoreCase)) return this with { Target = RunTarget.Embedded };
        if (target.Equals(ClusterTarget, StringComparison.OrdinalIgnoreCase)) return WithCluster(ClusterNodes >= 2 ? ClusterNodes : 2);
        if (!NamedTargets.TryGetValue(target, out var spec))
            throw new ArgumentException($"Unknown target '{target}'. Known targets: {EmbeddedTarget}, {ClusterTarget}, {string.Join(", ", NamedTargets.Keys)} (or set an endpoint URL)");
        return this with { Target = new RunTarget.NodeFixture(target.ToLowerInvariant(), spec), ProtocolVersion = spec.ProtocolVersion, LegacyV14 = spec.LegacyV14 };
    }

    /// <summary>SC_LEGACY=v14: the external server behaves like socketcluster-server 14.x (protocol v1).</summary>
    public EngineSettings WithLegacy(string legacy)
    {
        if (!legacy.Equals("v14", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"SC_LEGACY knows only 'v14' (a server that behaves like socketcluster-server 14.x), got '{legacy}'");
        if (Target is RunTarget.NodeFixture fixture)
            return fixture.Spec.LegacyV14 ? this : throw new ArgumentException($"Target '{fixture.Name}' is not a v14-era server; use SC_TARGET=official-v14 for the official 14.7.2 server");
        if (Target is not RunTarget.External)
            throw new ArgumentException("SC_LEGACY=v14 describes an external server: set SC_ENDPOINT too (the embedded C# sample behaves like current servers)");
        return this with { LegacyV14 = true, ProtocolVersion = 1 };
    }

    public EngineSettings WithProtocol(string protocol)
    {
        if (protocol is not ("1" or "2"))
            throw new ArgumentException($"The protocol version must be 1 or 2, got '{protocol}'");
        var version = int.Parse(protocol, CultureInfo.InvariantCulture);
        if (Target is RunTarget.NodeFixture fixture && fixture.Spec.ProtocolVersion != version)
            throw new ArgumentException($"Target '{fixture.Name}' speaks protocol v{fixture.Spec.ProtocolVersion}; choose a target for v{version} instead (official or official-v1)");
        return this with { ProtocolVersion = version };
    }

    /// <summary>The suite's folder: the repository root, or the installed tool's bundled copy (<see cref="JsHosts.SuiteRoot"/>).</summary>
    public static string FindRepoRoot() => JsHosts.SuiteRoot.Path;

    private static string? Nonempty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

/// <summary>Which known-good server client scenarios run against (--known-good, SC_KNOWN_GOOD).</summary>
public enum KnownGoodServerKind
{
    /// <summary>The C# reference sample in-process: a client author's run needs .NET only.</summary>
    Embedded,

    /// <summary>The official socketcluster-server 20.0.1 under Node (js-client-fixtures/fixture-server.js).</summary>
    Official,
}

/// <summary>What a run's server under test is (SC_TARGET, SC_ENDPOINT; the CLI's --endpoint).</summary>
public abstract record RunTarget
{
    private RunTarget() { }

    /// <summary>The embedded C# reference sample, started in-process (ConformanceSession.EmbeddedTargetFactory).</summary>
    public static RunTarget Embedded { get; } = new EmbeddedSample();

    /// <summary>The embedded C# reference sample.</summary>
    public sealed record EmbeddedSample : RunTarget;

    /// <summary>An external server at this WebSocket URL: nothing to start.</summary>
    public sealed record External(Uri Endpoint) : RunTarget;

    /// <summary>An official Node fixture server the harness starts (<see cref="EngineSettings.NamedTargets"/>).</summary>
    public sealed record NodeFixture(string Name, NodeFixtureSpec Spec) : RunTarget;

    /// <summary>A cluster the harness starts: a redis-server and this many C# sample nodes on its Redis broker (2 to 8).</summary>
    public sealed record Cluster(int Nodes) : RunTarget;
}

/// <summary>How to start one official Node fixture server (js-client-fixtures/).</summary>
public sealed record NodeFixtureSpec(string Script, int ProtocolVersion, string Description, bool LegacyV14 = false);
