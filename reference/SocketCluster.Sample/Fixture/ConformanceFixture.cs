using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SocketCluster.Protocol;
using SocketCluster.Server;
using SocketCluster.Server.Middleware;
using SocketCluster.Server.Options;

namespace SocketCluster.Sample.Fixture;

/// <summary>
/// The fixture-app contract, version 1 (spec/fixture-app.md), on the C# reference server: the conformance.*
/// procedures, the transmit recorder and the blocked/silent/handshake-rejection middleware.
/// </summary>
public sealed class ConformanceFixture(SocketClusterServer server)
{
    public const int ContractVersion = 1;
    public const string BlockedPrefix = "conformance.blocked.";
    public const string SilentPrefix = "conformance.silent.";
    public const string RejectHandshakeQuery = "conformanceRejectHandshake";
    public const string HandshakeErrorQuery = "conformanceHandshakeError";

    public const string DefaultAuthKey = "socketcluster-conformance-fixture-auth-key-v1";
    public static readonly TimeSpan FixturePingInterval = TimeSpan.FromMilliseconds(1000);
    public static readonly TimeSpan FixturePingTimeout = TimeSpan.FromMilliseconds(3000);
    public static readonly TimeSpan FixtureAckTimeout = TimeSpan.FromMilliseconds(2000);
    /// <summary>Below pingTimeout, so a socket that never sends #handshake gets 4005, not 4001.</summary>
    public static readonly TimeSpan FixtureHandshakeTimeout = TimeSpan.FromMilliseconds(2000);

    /// <summary>
    /// The contract's short timings (spec/fixture-app.md §3), so liveness checks take seconds, and its auth key
    /// (CONFORMANCE_AUTH_KEY, else <see cref="DefaultAuthKey"/>).
    /// </summary>
    public static void ApplyDefaults(SocketClusterServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PingInterval = FixturePingInterval;
        options.PingTimeout = FixturePingTimeout;
        options.AckTimeout = FixtureAckTimeout;
        options.HandshakeTimeout = FixtureHandshakeTimeout;
        options.AuthKey = Environment.GetEnvironmentVariable("CONFORMANCE_AUTH_KEY") is { Length: > 0 } key ? key : DefaultAuthKey;
        // The hostile-input catalogue's origin check (RB-050): loopback pages and clients without Origin pass, any
        // other Origin gets 403; the Node fixture (js-client-fixtures/fixture-server.js) uses the same list.
        options.Origins = ConformanceOrigins;
    }

    /// <summary>The origins the fixture allows, advertised in conformance.hello (spec/fixture-app.md §2.1).</summary>
    public const string ConformanceOrigins = "127.0.0.1:* localhost:* null:*";

    /// <summary>The official server's timing defaults (pingInterval 8000, pingTimeout 30000, ackTimeout 10000, handshakeTimeout 10000).</summary>
    public static void ApplyOfficialTimings(SocketClusterServerOptions options)
    {
        var official = new SocketClusterServerOptions();
        options.PingInterval = official.PingInterval;
        options.PingTimeout = official.PingTimeout;
        options.AckTimeout = official.AckTimeout;
        options.HandshakeTimeout = official.HandshakeTimeout;
    }

    private readonly ConditionalWeakTable<ServerSocket, TransmitRecorder> _recorders = new();
    private readonly ConditionalWeakTable<ServerSocket, JsonObject> _handshakeAuthOutcomes = new();

    public static string Implementation => $"SocketCluster.Server@{SampleServer.Version} (C# reference sample)";

    private static readonly Dictionary<string, string> Usage = new()
    {
        ["conformance.received"] = "conformance.received expects {event: string}",
        ["conformance.transmit"] = "conformance.transmit expects {event: string, data?: any}",
        ["conformance.invoke"] = "conformance.invoke expects {procedure: string, data?: any, ackTimeout?: number}",
        ["conformance.publish"] = "conformance.publish expects {channel: string, data?: any, ack?: boolean}",
        ["conformance.setAuthToken"] = "conformance.setAuthToken expects a JSON object payload",
        ["conformance.login"] = "conformance.login expects {username: string}",
        ["conformance.kickOut"] = "conformance.kickOut expects {channel: string, message?: any}",
        ["conformance.disconnect"] = "conformance.disconnect expects {code?: number, reason?: string}",
    };

    /// <summary>The procedures of the contract (customProc is served by the seed, Program.cs).</summary>
    public static IReadOnlyList<string> ProcedureNames { get; } =
    [
        "conformance.hello", "conformance.echo", "conformance.received", "conformance.transmit", "conformance.invoke",
        "conformance.publish", "conformance.setAuthToken", "conformance.login", "conformance.deauthenticate",
        "conformance.authState", "conformance.kickOut", "conformance.subscriptions", "conformance.disconnect",
        "conformance.handshakeSetAuthTokenOutcome",
    ];

    public TransmitRecorder RecorderOf(ServerSocket socket) => _recorders.GetValue(socket, _ => new TransmitRecorder());

    /// <summary>'blocked', 'silent' or null for a channel name.</summary>
    public static string? ChannelPolicy(string? channel) =>
        channel is null ? null : channel.StartsWith(BlockedPrefix, StringComparison.Ordinal) ? "blocked"
        : channel.StartsWith(SilentPrefix, StringComparison.Ordinal) ? "silent" : null;

    public static ScError BlockedError(string channel) =>
        new("BlockedByConformanceError", $"Channel {channel} is blocked by the conformance fixture");

    public void InstallMiddleware()
    {
        server.SetMiddleware(MiddlewareTypes.Handshake, async stream =>
        {
            // One stream per upgrade request (HANDSHAKE_WS, then HANDSHAKE_SC): waiting here delays only that client.
            await foreach (var action in stream)
            {
                var phase = action.Type == ActionTypes.HandshakeWS ? "ws" : "sc";
                if (FixtureCapabilities.DelayPhase(action.Request) == phase) await Task.Delay(FixtureCapabilities.HandshakeDelay);
                if (action.Type == ActionTypes.HandshakeSC && IsRejectRequested(action.Request))
                {
                    action.Block(); // silent: SilentMiddlewareBlockedError, statusCode 4008, close 4008
                    continue;
                }
                if (action.Type == ActionTypes.HandshakeSC && ChosenHandshakeError(action.Request) is { } chosen)
                {
                    action.Block(chosen);
                    continue;
                }
                if (action.Type == ActionTypes.HandshakeSC && FixtureCapabilities.SetAuthTokenRequested(action.Request))
                    await SetAuthTokenInHandshakeAsync(action.Socket!);
                action.Allow();
            }
        });

        server.SetMiddleware(MiddlewareTypes.Inbound, async stream =>
        {
            await foreach (var action in stream)
            {
                if (action.Type == ActionTypes.Transmit)
                {
                    RecorderOf(action.Socket!).Record(action.Receiver!, action.Data);
                    action.Allow();
                    continue;
                }
                if (action.Type is ActionTypes.Subscribe or ActionTypes.PublishIn)
                {
                    switch (ChannelPolicy(action.Channel))
                    {
                        case "blocked":
                            action.Block(BlockedError(action.Channel!));
                            continue;
                        case "silent":
                            action.Block();
                            continue;
                    }
                    if (action.Type == ActionTypes.PublishIn && FixtureCapabilities.IsIntercepted(action.Channel))
                    {
                        action.Allow(FixtureCapabilities.InterceptedData(action.Data));
                        continue;
                    }
                }
                action.Allow();
            }
        });
    }

    /// <summary>The reference server refuses this while the socket is connecting; the outcome is kept for the client.</summary>
    private async Task SetAuthTokenInHandshakeAsync(ServerSocket socket)
    {
        JsonObject outcome;
        try
        {
            await socket.SetAuthTokenAsync(FixtureCapabilities.HandshakeAuthPayload()).ConfigureAwait(false);
            outcome = new JsonObject { ["token"] = socket.SignedAuthToken };
        }
        catch (Exception error)
        {
            outcome = new JsonObject { ["error"] = ErrorToJson(error) };
        }
        _handshakeAuthOutcomes.AddOrUpdate(socket, outcome);
    }

    /// <summary>
    /// Known-good server only (client scenarios for HS-010, as js-client-fixtures/fixture-server.js): a handshake whose
    /// query has conformanceHandshakeError=&lt;statusCode 4000-4999&gt; is refused with a ConformanceHandshakeError
    /// carrying that statusCode, and conformanceHandshakeError=none with one carrying none on the wire. Either way the
    /// socket closes with 4008, so a client passes only when it takes its close code from the error (or 4003 without one).
    /// </summary>
    private static HandshakeRejection? ChosenHandshakeError(UpgradeRequest? request)
    {
        if (request is null || !request.Query.TryGetValue(HandshakeErrorQuery, out var values) || values.Count == 0) return null;
        var value = values[0];
        var error = new ScError("ConformanceHandshakeError", $"Handshake refused by the fixture ({HandshakeErrorQuery}={value})");
        if (value == "none") return new HandshakeRejection(error, CloseCodes.HandshakeRejected);
        if (!int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var statusCode)
            || statusCode is < 4000 or > 4999) return null;
        return new HandshakeRejection(error.With("statusCode", statusCode), CloseCodes.HandshakeRejected);
    }

    /// <summary>The query string has conformanceRejectHandshake=1 (its first value, as URLSearchParams.get).</summary>
    private static bool IsRejectRequested(UpgradeRequest? request) =>
        request is not null && request.Query.TryGetValue(RejectHandshakeQuery, out var values) && values.Count > 0 && values[0] == "1";

    /// <summary>Serves every contract procedure on the socket (called from the connection loop).</summary>
    public void Attach(ServerSocket socket)
    {
        foreach (var name in ProcedureNames) _ = ServeAsync(socket, name);
    }

    private async Task ServeAsync(ServerSocket socket, string name)
    {
        await foreach (var request in socket.Procedure(name).ConfigureAwait(false))
        {
            // Not awaited: a slow call (conformance.invoke) must not hold back later calls of the same procedure.
            _ = RunAsync(socket, request);
        }
    }

    private async Task RunAsync(ServerSocket socket, ScRequest request)
    {
        Outcome outcome;
        try
        {
            outcome = await HandleAsync(socket, request.Procedure, request.Data).ConfigureAwait(false);
        }
        catch (Exception error)
        {
            TryRespond(() => request.Error(error));
            return;
        }
        TryRespond(() => request.Respond(outcome.Data));
        if (outcome.After is { } after)
        {
            try
            {
                await after().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                server.EmitWarning(e);
            }
        }
    }

    private void TryRespond(Action respond)
    {
        try
        {
            respond();
        }
        catch (ScError e)
        {
            server.EmitWarning(e);
        }
    }

    /// <summary>Data null = respond without data; After runs once the response has been sent.</summary>
    private sealed record Outcome(JsonElement? Data, Func<Task>? After = null);

    private static Outcome With(object? value) => new(ScCodec.ToData(value));

    private static readonly Outcome NoData = new(null);

    private static ScError ArgumentsError(string procedure, string? suffix = null) =>
        ScErrors.InvalidArguments(Usage[procedure] + (suffix is null ? "" : $" ({suffix})"));

    private async Task<Outcome> HandleAsync(ServerSocket socket, string name, JsonElement? data)
    {
        switch (name)
        {
            case "conformance.hello":
                return With(new JsonObject
                {
                    ["contract"] = ContractVersion,
                    ["implementation"] = Implementation,
                    ["protocolVersion"] = server.Options.ProtocolVersion,
                    // Milliseconds on the wire, as the official options.
                    ["pingInterval"] = (long)server.Options.PingInterval.TotalMilliseconds,
                    ["pingTimeout"] = (long)server.Options.PingTimeout.TotalMilliseconds,
                    ["ackTimeout"] = (long)server.Options.AckTimeout.TotalMilliseconds,
                    ["handshakeTimeout"] = (long)server.Options.HandshakeTimeout.TotalMilliseconds,
                    ["pingTimeoutDisabled"] = server.Options.PingTimeoutDisabled,
                    ["strictHandshake"] = server.Options.StrictHandshake,
                    ["batchOnHandshake"] = server.Options.BatchOnHandshake,
                    ["capabilities"] = new JsonArray([.. FixtureCapabilities.All.Select(c => (JsonNode)JsonValue.Create(c))]),
                    ["socketId"] = socket.Id,
                    // The limits in force, for the hostile-input catalogue (spec/fixture-app.md §5.1).
                    ["maxPayload"] = server.Options.EffectiveMaxPayload,
                    ["socketChannelLimit"] = server.Options.SocketChannelLimit,
                    ["origins"] = server.Options.Origins == "*:*" ? null : server.Options.Origins,
                }.WithoutNulls());

            case "conformance.echo":
                return new Outcome(data);

            case "conformance.received":
            {
                if (Json.String(data, "event") is not { } eventName) throw ArgumentsError(name);
                var withPresence = Json.Member(data, "withPresence") is { ValueKind: JsonValueKind.True };
                return With(RecorderOf(socket).List(eventName, withPresence));
            }

            case "conformance.transmit":
            {
                if (Json.String(data, "event") is not { } eventName) throw ArgumentsError(name);
                if (eventName.StartsWith('#')) throw ArgumentsError(name, "event must not start with #");
                var payload = Json.Member(data, "data");
                return NoData with { After = () => { socket.TransmitData(eventName, payload); return Task.CompletedTask; } };
            }

            case "conformance.invoke":
                return await InvokeAsync(socket, data).ConfigureAwait(false);

            case "conformance.publish":
            {
                var ack = Json.Member(data, "ack");
                if (Json.String(data, "channel") is not { } channel
                    || (ack is { } a && a.ValueKind is not (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null)))
                    throw ArgumentsError(name);
                var payload = Json.Member(data, "data");
                if (ack is { ValueKind: JsonValueKind.True }) await server.Exchange.InvokePublishDataAsync(channel, payload).ConfigureAwait(false);
                else server.Exchange.TransmitPublishData(channel, payload);
                return NoData;
            }

            case "conformance.setAuthToken":
                if (!Json.IsPlainObject(data)) throw ArgumentsError(name);
                await socket.SetAuthTokenAsync(data!.Value).ConfigureAwait(false);
                return With(socket.SignedAuthToken);

            case "conformance.login":
            {
                if (Json.String(data, "username") is not { } username) throw ArgumentsError(name);
                await socket.SetAuthTokenAsync(new JsonObject { ["username"] = username }).ConfigureAwait(false);
                return With(socket.SignedAuthToken);
            }

            case "conformance.deauthenticate":
                socket.Deauthenticate();
                return NoData;

            case "conformance.authState":
                return With(new JsonObject
                {
                    ["authState"] = socket.AuthState.ToWire(),
                    ["authToken"] = socket.AuthToken is { } token ? JsonNode.Parse(token.GetRawText()) : null,
                });

            case "conformance.kickOut":
            {
                if (Json.String(data, "channel") is not { } channel) throw ArgumentsError(name);
                await socket.KickOutDataAsync(channel, Json.Member(data, "message")).ConfigureAwait(false);
                return NoData;
            }

            case "conformance.subscriptions":
                return With(new JsonArray([.. socket.Subscriptions().Select(c => (JsonNode)JsonValue.Create(c))]));

            case "conformance.disconnect":
                return Disconnect(socket, data);

            case "conformance.handshakeSetAuthTokenOutcome":
                return _handshakeAuthOutcomes.TryGetValue(socket, out var handshakeOutcome)
                    ? With(handshakeOutcome.DeepClone())
                    : new Outcome(ScCodec.NullElement);

            default:
                throw new InvalidOperationException($"No handler for {name}.");
        }
    }

    private async Task<Outcome> InvokeAsync(ServerSocket socket, JsonElement? data)
    {
        const string name = "conformance.invoke";
        if (Json.String(data, "procedure") is not { } procedure || procedure.StartsWith('#')) throw ArgumentsError(name);
        TimeSpan? ackTimeout = null;
        if (Json.Member(data, "ackTimeout") is { } t && t.ValueKind != JsonValueKind.Null)
        {
            if (t.ValueKind != JsonValueKind.Number || !double.IsFinite(t.GetDouble()) || t.GetDouble() <= 0) throw ArgumentsError(name);
            ackTimeout = TimeSpan.FromMilliseconds(Math.Min(int.MaxValue, Math.Ceiling(t.GetDouble())));
        }
        try
        {
            var result = await socket.InvokeDataAsync(procedure, Json.Member(data, "data"), ackTimeout).ConfigureAwait(false);
            return With(result is { } r ? new JsonObject { ["data"] = JsonNode.Parse(r.GetRawText()) } : new JsonObject());
        }
        catch (Exception error)
        {
            return With(new JsonObject { ["error"] = ErrorToJson(error) });
        }
    }

    /// <summary>JSON form of an invoke failure: {name, message, ...own properties}, or the plain value.</summary>
    public static JsonNode? ErrorToJson(Exception error)
    {
        if (error is ScError { PlainValue: { } plain }) return JsonNode.Parse(plain.GetRawText());
        var result = new JsonObject
        {
            ["name"] = error is ScError sc ? sc.Name ?? "Error" : error.GetType().Name,
            ["message"] = error.Message,
        };
        if (error is ScError withExtra)
            foreach (var (key, value) in withExtra.Extra)
                if (key is not ("stack" or "name" or "message")) result[key] = value?.DeepClone();
        return result;
    }

    private static Outcome Disconnect(ServerSocket socket, JsonElement? data)
    {
        const string name = "conformance.disconnect";
        var code = CloseCodes.Normal;
        string? reason = null;
        if (data is { } d && d.ValueKind != JsonValueKind.Null)
        {
            if (d.ValueKind != JsonValueKind.Object) throw ArgumentsError(name);
            if (Json.Member(d, "code") is { } c && c.ValueKind != JsonValueKind.Null)
            {
                if (c.ValueKind != JsonValueKind.Number || !c.TryGetInt32(out var value) || !(value == 1000 || value is >= 3000 and <= 4999))
                    throw ArgumentsError(name);
                code = value;
            }
            if (Json.Member(d, "reason") is { } r && r.ValueKind != JsonValueKind.Null)
            {
                if (r.ValueKind != JsonValueKind.String || Encoding.UTF8.GetByteCount(r.GetString()!) > 123) throw ArgumentsError(name);
                reason = r.GetString();
            }
        }
        return NoData with { After = () => { socket.Disconnect(code, reason); return Task.CompletedTask; } };
    }
}

internal static class JsonObjectExtensions
{
    /// <summary>Drops members whose value is null: hello reports a limit only when one is in force.</summary>
    public static JsonObject WithoutNulls(this JsonObject json)
    {
        foreach (var key in json.Where(p => p.Value is null).Select(p => p.Key).ToList()) json.Remove(key);
        return json;
    }
}
