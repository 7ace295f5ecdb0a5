using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Conformance.Engine.Support;

/// <summary>
/// The known-good servers used by client scenarios and by scenarios that say "the known-good server is running", at the
/// run's protocol version: the embedded C# reference sample or the official Node fixture (<see cref="EngineSettings.KnownGood"/>);
/// the 14.7.2 Node fixture whenever the run targets a v14-era server. A scenario leases one exclusively (parallel
/// scenarios must not see each other's publications); an idle one with the same options is reused.
/// </summary>
public sealed class KnownGoodServers(EngineSettings settings) : IAsyncDisposable
{
    private readonly Dictionary<string, Stack<IKnownGoodServer>> _idle = new(StringComparer.Ordinal);
    private readonly List<IKnownGoodServer> _all = [];

    /// <summary>
    /// Server options the Node fixture understands (js-client-fixtures/lib/cli.js), with the flag each becomes; the
    /// embedded sample honours the same ones (<see cref="ToEmbeddedOptions"/>).
    /// </summary>
    private static readonly Dictionary<string, (string Flag, bool IsSwitch, bool SwitchValue)> Flags = new(StringComparer.Ordinal)
    {
        ["pingInterval"] = ("--ping-interval", false, false),
        ["pingTimeout"] = ("--ping-timeout", false, false),
        ["ackTimeout"] = ("--ack-timeout", false, false),
        ["handshakeTimeout"] = ("--handshake-timeout", false, false),
        ["batchOnHandshakeDuration"] = ("--batch-on-handshake-duration", false, false),
        ["batchInterval"] = ("--batch-interval", false, false),
        ["pingTimeoutDisabled"] = ("--ping-timeout-disabled", true, true),
        ["batchOnHandshake"] = ("--batch-on-handshake", true, true),
        ["strictHandshake"] = ("--no-strict-handshake", true, false),
    };

    public async Task<KnownGoodLease> AcquireAsync(JsonObject? options, CancellationToken cancellation)
    {
        var arguments = ToArguments(options);
        var key = string.Join(' ', arguments);
        IKnownGoodServer? server = null;
        lock (_idle)
        {
            if (_idle.TryGetValue(key, out var stack))
                while (stack.Count > 0 && server is null)
                {
                    var candidate = stack.Pop();
                    if (candidate.IsRunning) server = candidate;
                }
        }
        if (server is null)
        {
            server = settings.KnownGoodIsEmbedded
                ? await EmbeddedKnownGoodServer.StartAsync(ToEmbeddedOptions(options), cancellation).ConfigureAwait(false)
                : await NodeFixtureServer.StartAsync(settings, Script, arguments, cancellation).ConfigureAwait(false);
            lock (_idle) _all.Add(server);
        }
        return new KnownGoodLease(this, server, key, settings.ProtocolVersion);
    }

    internal async Task ReleaseAsync(KnownGoodLease lease)
    {
        if (lease.Reusable && lease.Server.IsRunning)
        {
            lock (_idle)
            {
                if (!_idle.TryGetValue(lease.Key, out var stack)) _idle[lease.Key] = stack = new Stack<IKnownGoodServer>();
                stack.Push(lease.Server);
            }
            return;
        }
        lock (_idle) _all.Remove(lease.Server);
        await lease.Server.DisposeAsync().ConfigureAwait(false);
    }

    private string Script => settings.LegacyV14 ? "fixture-server-v14.js" : "fixture-server.js";

    /// <summary>Options the 14.7.2 fixture honours (fixture-server-v14.js): all but socket-wide batching, which 14.x lacks.</summary>
    private static readonly HashSet<string> V14Options = ["pingInterval", "pingTimeout", "ackTimeout", "handshakeTimeout", "pingTimeoutDisabled", "strictHandshake"];

    internal List<string> ToArguments(JsonObject? options)
    {
        if (settings.LegacyV14 && options?.Select(p => p.Key).FirstOrDefault(k => !V14Options.Contains(k)) is { } unsupported)
            throw new Running.ScenarioSkippedException(Running.NotApplicableKind.CapabilityAbsent,
                $"the known-good v14 server (socketcluster-server 14.7.2) has no option '{unsupported}'; it supports {string.Join(", ", V14Options)}");
        var arguments = new List<string> { "--protocol", settings.ProtocolVersion.ToString(CultureInfo.InvariantCulture) };
        if (options is null) return arguments;
        foreach (var (name, value) in options.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!Flags.TryGetValue(name, out var flag))
                throw new ArgumentException(
                    $"The known-good server has no option '{name}'. Supported: {string.Join(", ", Flags.Keys)}.");
            var kind = value?.GetValueKind();
            if (flag.IsSwitch)
            {
                if (kind is not (JsonValueKind.True or JsonValueKind.False))
                    throw new ArgumentException($"Known-good server option '{name}' must be true or false, got {value?.ToJsonString() ?? "null"}.");
                // The flag turns the non-default value on; the default needs no flag.
                if ((kind == JsonValueKind.True) == flag.SwitchValue) arguments.Add(flag.Flag);
            }
            else
            {
                if (kind != JsonValueKind.Number || !value!.AsValue().TryGetValue<int>(out var number) || number <= 0)
                    throw new ArgumentException($"Known-good server option '{name}' must be a positive integer (ms), got {value?.ToJsonString() ?? "null"}.");
                arguments.Add(flag.Flag);
                arguments.Add(number.ToString(CultureInfo.InvariantCulture));
            }
        }
        return arguments;
    }

    /// <summary>The embedded server's options for validated server options (<see cref="ToArguments"/> checked names and values).</summary>
    internal EmbeddedServerOptions ToEmbeddedOptions(JsonObject? options)
    {
        var embedded = new EmbeddedServerOptions { Port = 0, ProtocolVersion = settings.ProtocolVersion };
        foreach (var (name, value) in options ?? [])
        {
            embedded = name switch
            {
                "pingInterval" => embedded with { PingInterval = Ms(value) },
                "pingTimeout" => embedded with { PingTimeout = Ms(value) },
                "ackTimeout" => embedded with { AckTimeout = Ms(value) },
                "handshakeTimeout" => embedded with { HandshakeTimeout = Ms(value) },
                "batchOnHandshakeDuration" => embedded with { BatchOnHandshakeDuration = Ms(value) },
                "batchInterval" => embedded with { BatchInterval = Ms(value) },
                "pingTimeoutDisabled" => embedded with { PingTimeoutDisabled = value!.GetValue<bool>() },
                "batchOnHandshake" => embedded with { BatchOnHandshake = value!.GetValue<bool>() },
                "strictHandshake" => embedded with { StrictHandshake = value!.GetValue<bool>() },
                _ => throw new ArgumentException($"The known-good server has no option '{name}'. Supported: {string.Join(", ", Flags.Keys)}."),
            };
        }
        return embedded;

        static TimeSpan Ms(JsonNode? value) => TimeSpan.FromMilliseconds(value!.GetValue<int>());
    }

    public async ValueTask DisposeAsync()
    {
        List<IKnownGoodServer> all;
        lock (_idle)
        {
            all = _all.ToList();
            _all.Clear();
            _idle.Clear();
        }
        await Task.WhenAll(all.Select(s => s.DisposeAsync().AsTask())).ConfigureAwait(false);
    }
}

/// <summary>A known-good server held by one scenario; released (returned to the pool, or stopped) at its end.</summary>
public sealed class KnownGoodLease(KnownGoodServers pool, IKnownGoodServer server, string key, int protocolVersion) : IAsyncDisposable
{
    internal IKnownGoodServer Server { get; } = server;
    internal string Key { get; } = key;

    /// <summary>False once the scenario stopped or restarted the server: it then is not handed to another scenario.</summary>
    public bool Reusable { get; private set; } = true;

    public ServerEndpoint Endpoint => new(Server.WebSocketUrl, $"known-good server ({Server.Description})", protocolVersion);

    public Task StopAsync()
    {
        Reusable = false;
        return Server.KillAsync();
    }

    public Task StartAgainAsync(CancellationToken cancellation)
    {
        Reusable = false;
        return Server.RestartAsync(cancellation);
    }

    public ValueTask DisposeAsync() => new(pool.ReleaseAsync(this));
}
