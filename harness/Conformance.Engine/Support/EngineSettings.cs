using System.Globalization;
using System.Reflection;

namespace Conformance.Engine.Support;

/// <summary>
/// What a run is pointed at. Hosts build it from the environment (<see cref="FromEnvironment"/>) or from their own
/// options (the CLI's --endpoint / --target). Immutable once the session starts.
/// </summary>
public sealed record EngineSettings
{
    public const string EmbeddedTarget = "embedded";
    public const string EndpointTarget = "endpoint";

    /// <summary>The named targets: an official Node fixture server started by the harness.</summary>
    public static IReadOnlyDictionary<string, NodeFixtureSpec> NamedTargets { get; } = new Dictionary<string, NodeFixtureSpec>(StringComparer.OrdinalIgnoreCase)
    {
        ["official"] = new("fixture-server.js", 2, "official socketcluster-server 20.0.1 (Node fixture)"),
        ["official-v1"] = new("fixture-server.js", 1, "official socketcluster-server 20.0.1 in protocol v1 mode (Node fixture)"),
        ["official-v14"] = new("fixture-server-v14.js", 1, "official socketcluster-server 14.7.2 (Node fixture, protocol v1)", LegacyV14: true),
    };

    /// <summary>The repository root (features/, spec/, js-client-fixtures/).</summary>
    public required string RepoRoot { get; init; }

    /// <summary>"embedded" (default), "endpoint" (an external server), or a key of <see cref="NamedTargets"/>.</summary>
    public string Target { get; init; } = EmbeddedTarget;

    /// <summary>The external server's WebSocket URL when <see cref="Target"/> is "endpoint".</summary>
    public Uri? Endpoint { get; init; }

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
        EndpointTarget => $"endpoint {Endpoint} (protocol v{ProtocolVersion}{(LegacyV14 ? ", v14-era server" : "")})",
        EmbeddedTarget => $"embedded C# reference sample (protocol v{ProtocolVersion})",
        _ => $"{NamedTargets[Target].Description} (protocol v{ProtocolVersion})",
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
        if (endpoint is not null && target is not null && !target.Equals(EndpointTarget, StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"Set either SC_ENDPOINT or SC_TARGET, not both (SC_ENDPOINT={endpoint}, SC_TARGET={target})");
        if (endpoint is not null) settings = settings.WithEndpoint(endpoint);
        else if (target is not null) settings = settings.WithTarget(target);

        if (Nonempty(getEnv(KnownGoodVariable)) is { } knownGood)
            settings = settings with { KnownGood = ParseKnownGood(knownGood, KnownGoodVariable) };

        if (Nonempty(getEnv("SC_PROTOCOL")) is { } protocol) settings = settings.WithProtocol(protocol);
        if (Nonempty(getEnv("SC_LEGACY")) is { } legacy) settings = settings.WithLegacy(legacy);
        settings = settings with { ClientAdapters = Drivers.Adapters.ClientAdapterSpec.FromEnvironment(getEnv) };
        return settings;
    }

    public EngineSettings WithEndpoint(string endpoint)
    {
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("ws" or "wss"))
            throw new ArgumentException($"The endpoint must be an absolute ws:// or wss:// URL such as ws://127.0.0.1:8000/socketcluster/, got '{endpoint}'");
        return this with { Target = EndpointTarget, Endpoint = uri };
    }

    public EngineSettings WithTarget(string target)
    {
        if (target.Equals(EmbeddedTarget, StringComparison.OrdinalIgnoreCase)) return this with { Target = EmbeddedTarget };
        if (!NamedTargets.TryGetValue(target, out var spec))
            throw new ArgumentException($"Unknown target '{target}'. Known targets: {EmbeddedTarget}, {string.Join(", ", NamedTargets.Keys)} (or set an endpoint URL)");
        return this with { Target = target.ToLowerInvariant(), ProtocolVersion = spec.ProtocolVersion, LegacyV14 = spec.LegacyV14 };
    }

    /// <summary>SC_LEGACY=v14: the external server behaves like socketcluster-server 14.x (protocol v1).</summary>
    public EngineSettings WithLegacy(string legacy)
    {
        if (!legacy.Equals("v14", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"SC_LEGACY knows only 'v14' (a server that behaves like socketcluster-server 14.x), got '{legacy}'");
        if (NamedTargets.TryGetValue(Target, out var spec))
            return spec.LegacyV14 ? this : throw new ArgumentException($"Target '{Target}' is not a v14-era server; use SC_TARGET=official-v14 for the official 14.7.2 server");
        if (Target != EndpointTarget)
            throw new ArgumentException("SC_LEGACY=v14 describes an external server: set SC_ENDPOINT too (the embedded C# sample behaves like current servers)");
        return this with { LegacyV14 = true, ProtocolVersion = 1 };
    }

    public EngineSettings WithProtocol(string protocol)
    {
        if (protocol is not ("1" or "2"))
            throw new ArgumentException($"The protocol version must be 1 or 2, got '{protocol}'");
        var version = int.Parse(protocol, CultureInfo.InvariantCulture);
        if (NamedTargets.TryGetValue(Target, out var spec) && spec.ProtocolVersion != version)
            throw new ArgumentException($"Target '{Target}' speaks protocol v{spec.ProtocolVersion}; choose a target for v{version} instead (official or official-v1)");
        return this with { ProtocolVersion = version };
    }

    /// <summary>The ConformanceRepoRoot metadata stamped by Directory.Build.props, checked to hold features/ or spec/.</summary>
    public static string FindRepoRoot()
    {
        var stamped = typeof(EngineSettings).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "ConformanceRepoRoot")?.Value;
        foreach (var candidate in new[] { Environment.GetEnvironmentVariable("CONFORMANCE_REPO_ROOT"), stamped })
        {
            if (!string.IsNullOrEmpty(candidate) && Directory.Exists(Path.Combine(candidate, "spec")))
                return Path.GetFullPath(candidate);
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Conformance.sln"))) return dir.FullName;
        throw new InvalidOperationException(
            "Cannot find the repository root (features/, spec/): set CONFORMANCE_REPO_ROOT or build inside the repository.");
    }

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

/// <summary>How to start one official Node fixture server (js-client-fixtures/).</summary>
public sealed record NodeFixtureSpec(string Script, int ProtocolVersion, string Description, bool LegacyV14 = false);
