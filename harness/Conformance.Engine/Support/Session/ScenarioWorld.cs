using System.Text.Json.Nodes;
using Conformance.Engine.Drivers;
using Conformance.Engine.Running;

namespace Conformance.Engine.Support;

/// <summary>
/// The scenario-scoped context shared by all step classes (Reqnroll context injection): which server the actors talk
/// to, the actors, the named tokens, and the waits derived from the endpoint.
/// </summary>
public sealed class ScenarioWorld(ScenarioRun run)
{
    private readonly Dictionary<string, Actor> _actors = new(StringComparer.Ordinal);
    private FixtureProbe? _targetFixture;

    public ScenarioRun Run { get; } = run;
    public ConformanceSession Session => Run.Session;
    public EngineSettings Settings => Run.Session.Settings;
    public WireTranscript Transcript => Run.Transcript;
    public CancellationToken Cancellation => Run.Cancellation;
    public int ProtocolVersion => Settings.ProtocolVersion;

    /// <summary>Minted (or literal) tokens by name.</summary>
    public Dictionary<string, string> Tokens { get; } = new(StringComparer.Ordinal);

    /// <summary>Tokens declared by "token X is issued by the server for P", minted when first used (STEPS.md phrase 13).</summary>
    public Dictionary<string, string> DeclaredTokens { get; } = new(StringComparer.Ordinal);

    public KnownGoodLease? KnownGood { get; set; }

    /// <summary>The scripted server of this scenario (STEPS.md §12), once "the scripted server is running" ran.</summary>
    public ScriptedServer? Scripted { get; set; }

    /// <summary>True when the scenario says "the scripted server is running": then every actor talks to it.</summary>
    public bool UsesScriptedServer => Run.Case.Steps.Any(s => s.Text.StartsWith("the scripted server is running", StringComparison.Ordinal));

    /// <summary>True when the scenario says "the known-good server is running": then every actor talks to it.</summary>
    public bool UsesKnownGoodServer => Run.Case.Steps.Any(s => s.Text.StartsWith("the known-good server is running", StringComparison.Ordinal));

    /// <summary>The server this scenario's actors connect to (STEPS.md §0.1).</summary>
    public async Task<ServerEndpoint> TargetAsync()
    {
        if (UsesScriptedServer)
            return Scripted?.Endpoint ?? throw new InvalidOperationException(
                "This scenario uses the scripted server, but no step has started it yet ('the scripted server is running' must come first).");
        if (!UsesKnownGoodServer) return await Session.ServerUnderTestAsync().ConfigureAwait(false);
        return KnownGood?.Endpoint ?? throw new InvalidOperationException(
            "This scenario uses the known-good server, but no step has started it yet ('the known-good server is running' must come first).");
    }

    /// <summary>conformance.hello of the target; skips the scenario when the target does not host the fixture app.</summary>
    /// <summary>Node N (from 1) of the cluster under test; @cluster scenarios run only when the run has one (ScenarioRunner).</summary>
    public async Task<ServerEndpoint> NodeAsync(int number) =>
        (await ClusterAsync().ConfigureAwait(false)).Node(number);

    public async Task<ServerCluster> ClusterAsync() =>
        await Session.ClusterAsync().ConfigureAwait(false)
        ?? throw new InvalidOperationException("This step needs a cluster (two or more nodes); tag the scenario @cluster so it runs only in cluster runs.");

    public async Task<FixtureInfo> TargetFixtureAsync()
    {
        if (_targetFixture is null)
        {
            var target = await TargetAsync().ConfigureAwait(false);
            _targetFixture = UsesKnownGoodServer
                ? await FixtureContract.ProbeAsync(target.WebSocketUrl, target.ProtocolVersion, Settings.WaitScale, Cancellation).ConfigureAwait(false)
                : await Session.ProbeFixtureAsync(target).ConfigureAwait(false);
        }
        return _targetFixture.Info ?? throw new ScenarioSkippedException(NotApplicableKind.FixtureContractNotOffered,
            $"needs the fixture app (spec/fixture-app.md), but {_targetFixture.Explanation}");
    }

    /// <summary>Forgets the cached conformance.hello (after the known-good server restarts).</summary>
    public void ResetFixture() => _targetFixture = null;

    public IReadOnlyCollection<Actor> Actors => _actors.Values;

    public bool HasActor(string name) => _actors.ContainsKey(name);

    public void Add(Actor actor)
    {
        if (_actors.ContainsKey(actor.Name))
            throw new InvalidOperationException($"Actor {actor.Name} already exists in this scenario (each actor is created by exactly one step).");
        _actors[actor.Name] = actor;
    }

    public Actor Get(string name) => _actors.TryGetValue(name, out var actor)
        ? actor
        : throw new InvalidOperationException($"No actor named {name} in this scenario (create it with 'raw connection {name} ...', 'a client {name} ...' or 'a node client {name} ...').");

    public RawActor Raw(string name, string step) => Get(name) as RawActor
        ?? throw new InvalidOperationException($"step '{step}' is not available for {Get(name).Kind} actor {name}");

    public ClientActor Client(string name, string step) => Get(name) as ClientActor
        ?? throw new InvalidOperationException($"step '{step}' is not available for {Get(name).Kind} actor {name}");

    public RawActor GetOrAddRaw(string name)
    {
        if (_actors.TryGetValue(name, out var existing))
            return existing as RawActor ?? throw new InvalidOperationException($"{name} is a {existing.Kind}, not a raw connection");
        var actor = new RawActor(name);
        _actors[name] = actor;
        return actor;
    }

    public string Token(string name) => Tokens.TryGetValue(name, out var token)
        ? token
        : DeclaredTokens.ContainsKey(name)
            ? throw new InvalidOperationException($"Token {name} is declared but was not minted before this step used it.")
            : throw new InvalidOperationException($"No token named {name} (declare it first: 'token {name} is issued by the server for ...').");

    public string SocketIdOf(string name) => Get(name) switch
    {
        RawActor raw => raw.Connection?.SocketId,
        ClientActor client => client.SocketId,
        _ => null,
    } ?? throw new InvalidOperationException($"Actor {name} has no socket id yet (no successful handshake / connect event).");

    /// <summary>Substitutes "$token.NAME", "$id.NAME" and "$now±N" in a frame, data, options or pattern text.</summary>
    public string Substitute(string text) => Placeholders.Substitute(text, Token, SocketIdOf);

    public JsonNode? ParseJson(string text, string what) =>
        JsonNode.Parse(JsonPattern.Parse(Substitute(text), what).GetRawText());

    // ---- waits (STEPS.md §0.4) ----

    /// <summary>The larger of 10 s and 1.5 × ping interval + 2 s (when conformance.hello is known), times the wait scale.</summary>
    public TimeSpan DefaultWait
    {
        get
        {
            var ms = 10_000.0;
            if (_targetFixture?.Info is { } info) ms = Math.Max(ms, 1.5 * info.PingInterval + 2000);
            return TimeSpan.FromMilliseconds(ms * Settings.WaitScale);
        }
    }

    /// <summary>"within the X timeout": 1.5 × X + 5 s.</summary>
    public TimeSpan Within(int timeoutMs) => TimeSpan.FromMilliseconds(1.5 * timeoutMs + 5000 * Settings.WaitScale);

    /// <summary>"after the X timeout": 1.25 × X + 2 s.</summary>
    public TimeSpan After(int timeoutMs) => TimeSpan.FromMilliseconds(1.25 * timeoutMs + 2000 * Settings.WaitScale);

    /// <summary>The value of a named timeout (ping, ping interval, ack, handshake) for an actor, in ms.</summary>
    public async Task<int> NamedTimeoutAsync(string name, Actor? actor)
    {
        switch (name)
        {
            case "ping":
                var ping = actor switch
                {
                    RawActor raw => raw.Connection?.PingTimeout,
                    ClientActor client => client.PingTimeout,
                    _ => null,
                };
                if (ping is { } p) return p;
                // Before a handshake, the advertised value is still known from the fixture.
                return (await TargetFixtureAsync().ConfigureAwait(false)).PingTimeout;
            case "handshake":
                return (await TargetFixtureAsync().ConfigureAwait(false)).HandshakeTimeoutOrDefault;
            case "ack":
                return (await TargetFixtureAsync().ConfigureAwait(false)).AckTimeout;
            case "interval" or "pingInterval":
                return (await TargetFixtureAsync().ConfigureAwait(false)).PingInterval;
            default:
                throw new ArgumentException($"Unknown timeout '{name}': use ping, handshake or ack.");
        }
    }

    public async Task DisposeActorsAsync()
    {
        var actors = _actors.Values.ToList();
        _actors.Clear();
        // Clients first (their relays forward the closes), then raw connections.
        foreach (var actor in actors.OfType<ClientActor>()) await SafeDispose(actor).ConfigureAwait(false);
        await Task.WhenAll(actors.OfType<RawActor>().Select(a => SafeDispose(a))).ConfigureAwait(false);
        if (KnownGood is not null)
        {
            await KnownGood.DisposeAsync().ConfigureAwait(false);
            KnownGood = null;
        }
        if (Scripted is not null)
        {
            await Scripted.DisposeAsync().ConfigureAwait(false);
            Scripted = null;
        }
    }

    /// <summary>
    /// Disposes one actor within a bound: a client or connection whose peer vanished must not hold the scenario's
    /// teardown (and the run) forever (issue 10 §9). 10 s × wait scale: a JS driver's destroy and a raw connection's
    /// close handshake take well under 2 s.
    /// </summary>
    private async Task SafeDispose(Actor actor)
    {
        var limit = TimeSpan.FromSeconds(10 * Settings.WaitScale);
        try { await actor.DisposeAsync().AsTask().WaitAsync(limit).ConfigureAwait(false); }
        catch (TimeoutException) { Transcript.Note(actor.Name, $"cleanup did not finish within {limit.TotalSeconds:0.#} s: abandoned"); }
        catch (Exception e) { Transcript.Note(actor.Name, $"cleanup failed: {e.GetType().Name}: {e.Message}"); }
    }
}
