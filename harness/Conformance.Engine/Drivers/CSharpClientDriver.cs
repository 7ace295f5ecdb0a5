using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using SocketCluster.Client;
using SocketCluster.Protocol;

namespace Conformance.Engine.Drivers;

/// <summary>The C# reference client (reference/SocketCluster.Client) behind the client driver API.</summary>
public sealed class CSharpClientDriver : IClientDriver
{
    public string Name => "csharp";

    public async Task<IClientHandle> ConnectAsync(JsonObject options, CancellationToken cancellation)
    {
        var clientOptions = ClientOptionMapper.Apply(new ClientOptions(), options, out var storedToken);
        var socket = SocketClusterClient.Create(clientOptions);
        if (storedToken is not null)
        {
            var store = socket.AuthEngine is FailingSaveTokenStore failing ? failing.Inner : socket.AuthEngine;
            await store.SaveTokenAsync(socket.AuthTokenName, storedToken).ConfigureAwait(false);
        }
        return new CSharpClientHandle(socket);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>
/// Pseudo-option <c>failingTokenStore</c> (AU-017, AU-023): the official client test's auth engine whose saveToken
/// rejects with FailedToSaveTokenError; loading and removing work (in memory). storedToken goes to <see cref="Inner"/>.
/// </summary>
internal sealed class FailingSaveTokenStore : IAuthTokenStore
{
    public InMemoryAuthTokenStore Inner { get; } = new();

    public Task<string?> LoadTokenAsync(string name) => Inner.LoadTokenAsync(name);

    public Task SaveTokenAsync(string name, string token) =>
        Task.FromException(new ScError("FailedToSaveTokenError", "Failed to save token"));

    public Task<string?> RemoveTokenAsync(string name) => Inner.RemoveTokenAsync(name);
}

/// <summary>Maps JS client option names (STEPS.md phrase 11) onto <see cref="ClientOptions"/>.</summary>
internal static class ClientOptionMapper
{
    public static ClientOptions Apply(ClientOptions o, JsonObject json, out string? storedToken)
    {
        storedToken = null;
        foreach (var (key, node) in json)
        {
            var value = node is null ? default : JsonSerializer.SerializeToElement(node);
            o = key switch
            {
                "hostname" => o with { Hostname = Str(key, value) },
                "host" => o with { Host = Str(key, value) },
                "port" => o with { Port = Int(key, value) },
                "path" => o with { Path = Str(key, value) },
                "secure" => o with { Secure = Bool(key, value) },
                "protocolScheme" => o with { ProtocolScheme = Str(key, value) },
                "protocolVersion" => o with { ProtocolVersion = Int(key, value) },
                "autoConnect" => o with { AutoConnect = Bool(key, value) },
                "autoReconnect" => o with { AutoReconnect = Bool(key, value) },
                "autoReconnectOptions" => o with { AutoReconnectOptions = Reconnect(o.AutoReconnectOptions, value) },
                "autoSubscribeOnConnect" => o with { AutoSubscribeOnConnect = Bool(key, value) },
                "ackTimeout" => o with { AckTimeout = Ms(key, value) },
                "connectTimeout" => o with { ConnectTimeout = Ms(key, value) },
                "pingTimeoutDisabled" => o with { PingTimeoutDisabled = Bool(key, value) },
                "timestampRequests" => o with { TimestampRequests = Bool(key, value) },
                "timestampParam" => o with { TimestampParam = Str(key, value) },
                "authTokenName" => o with { AuthTokenName = Str(key, value) },
                "channelPrefix" => o with { ChannelPrefix = Str(key, value) },
                "batchOnHandshake" => o with { BatchOnHandshake = Bool(key, value) },
                "batchOnHandshakeDuration" => o with { BatchOnHandshakeDuration = Ms(key, value) },
                "batchInterval" => o with { BatchInterval = Ms(key, value) },
                "query" => o with { Query = Query(value) },
                "storedToken" => o,
                "failingTokenStore" => Bool(key, value) ? o with { AuthEngine = new FailingSaveTokenStore() } : o,
                _ => throw new ArgumentException($"The C# reference client has no option '{key}': client options are those of STEPS.md phrase 11 (a feature naming another one is a suite error, not a skip)."),
            };
            if (key == "storedToken") storedToken = Str(key, value);
        }
        return o;
    }

    private static AutoReconnectOptions Reconnect(AutoReconnectOptions o, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object) throw new ArgumentException("autoReconnectOptions must be an object");
        foreach (var p in value.EnumerateObject())
        {
            o = p.Name switch
            {
                "initialDelay" => o with { InitialDelay = Ms(p.Name, p.Value) },
                "randomness" => o with { Randomness = Ms(p.Name, p.Value) },
                "multiplier" => o with { Multiplier = p.Value.GetDouble() },
                "maxDelay" => o with { MaxDelay = Ms(p.Name, p.Value) },
                _ => throw new ArgumentException($"The C# reference client has no autoReconnectOptions.{p.Name}: initialDelay, randomness, multiplier and maxDelay are the options (as in socketcluster-client 20.0.2)."),
            };
        }
        return o;
    }

    private static QueryParameters Query(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String) return QueryParameters.Parse(value.GetString()!);
        if (value.ValueKind != JsonValueKind.Object) throw new ArgumentException("query must be an object or a string");
        var query = new QueryParameters();
        foreach (var p in value.EnumerateObject())
        {
            if (p.Value.ValueKind == JsonValueKind.Array)
                foreach (var item in p.Value.EnumerateArray()) query.Add(p.Name, Text(item));
            else query.Add(p.Name, Text(p.Value));
        }
        return query;
    }

    private static string Text(JsonElement e) => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText();

    private static string Str(string key, JsonElement v) =>
        v.ValueKind == JsonValueKind.String ? v.GetString()! : throw new ArgumentException($"Client option {key} must be a string");

    private static int Int(string key, JsonElement v) =>
        v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : throw new ArgumentException($"Client option {key} must be an integer");

    private static bool Bool(string key, JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new ArgumentException($"Client option {key} must be a boolean"),
    };

    private static TimeSpan Ms(string key, JsonElement v) =>
        v.ValueKind == JsonValueKind.Number ? TimeSpan.FromMilliseconds(v.GetDouble()) : throw new ArgumentException($"Client option {key} must be a number (ms)");
}

/// <summary>One C# client socket with its event recorder, receivers, procedures and channel consumers.</summary>
internal sealed class CSharpClientHandle : IClientHandle
{
    private readonly ClientSocket _socket;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<ClientEvent> _events = [];
    private readonly ConcurrentDictionary<string, List<ReceivedItem>> _received = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, List<ReceivedItem>> _publications = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ProcedureBehaviour> _procedures = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _consumedChannels = new(StringComparer.Ordinal);
    private long _seq;

    public CSharpClientHandle(ClientSocket socket)
    {
        _socket = socket;
        _ = ConsumeAsync(socket.AllEvents(), e =>
        {
            if (e.Channel is not null) return; // channel listener events: the socket-level event is recorded too
            if (EventPayload(e.Name, e.Event) is { } payload) Record(e.Name, payload);
        });
    }

    public string DriverName => "csharp";

    private void Record(string name, JsonElement payload)
    {
        lock (_events) _events.Add(new ClientEvent(++_seq, name, payload, DateTimeOffset.UtcNow));
    }

    private async Task ConsumeAsync<T>(IAsyncEnumerable<T> stream, Action<T> onItem)
    {
        try
        {
            await foreach (var item in stream.WithCancellation(_stop.Token).ConfigureAwait(false)) onItem(item);
        }
        catch (OperationCanceledException) { }
        catch (Exception e)
        {
            Record("driverConsumerError", Json(new JsonObject { ["error"] = e.Message }));
        }
    }

    public Task<ClientState> StateAsync(CancellationToken cancellation)
    {
        var state = _socket.State switch { ConnectionState.Open => "open", ConnectionState.Connecting => "connecting", _ => "closed" };
        var auth = _socket.AuthState == AuthState.Authenticated ? "authenticated" : "unauthenticated";
        return Task.FromResult(new ClientState(state, auth, _socket.Id, _socket.SignedAuthToken, _socket.AuthToken));
    }

    public Task<IReadOnlyList<ClientEvent>> EventsAsync(long sinceSeq, CancellationToken cancellation)
    {
        lock (_events) return Task.FromResult<IReadOnlyList<ClientEvent>>(_events.Where(e => e.Seq > sinceSeq).ToList());
    }

    public Task TransmitAsync(string eventName, JsonElement? data, CancellationToken cancellation)
    {
        _socket.Transmit(eventName, data);
        return Task.CompletedTask;
    }

    public async Task<CallOutcome> InvokeAsync(string procedure, JsonElement? data, int? ackTimeout, CancellationToken cancellation)
    {
        var options = ackTimeout is { } t ? new CallOptions { AckTimeout = TimeSpan.FromMilliseconds(t) } : null;
        return await Outcome(async () => await _socket.InvokeAsync(procedure, data, options, cancellation).ConfigureAwait(false)).ConfigureAwait(false);
    }

    public Task ReceiverAsync(string name, CancellationToken cancellation)
    {
        var list = _received.GetOrAdd(name, _ => []);
        _ = ConsumeAsync(_socket.Receiver(name), data => { lock (list) list.Add(new ReceivedItem(data is not null, data)); });
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ReceivedItem>> ReceivedAsync(string name, CancellationToken cancellation)
    {
        var list = _received.GetOrAdd(name, _ => []);
        lock (list) return Task.FromResult<IReadOnlyList<ReceivedItem>>(list.ToList());
    }

    public Task ProcedureAsync(string name, ProcedureBehaviour behaviour, CancellationToken cancellation)
    {
        var isNew = !_procedures.ContainsKey(name);
        _procedures[name] = behaviour;
        if (!isNew) return Task.CompletedTask;
        var list = _received.GetOrAdd(name, _ => []);
        _ = ConsumeAsync(_socket.Procedure(name), request =>
        {
            lock (list) list.Add(new ReceivedItem(request.Data is not null, request.Data));
            var b = _procedures[name];
            try
            {
                switch (b.Mode)
                {
                    case "echo": request.End(request.Data); break;
                    case "end": request.End(b.Data); break;
                    case "error": request.Error(new ScError(b.ErrorName, b.ErrorMessage ?? "")); break;
                }
            }
            catch (Exception) { /* a response on a closed socket is dropped, as the client itself would */ }
        });
        return Task.CompletedTask;
    }

    public Task<string> SubscribeAsync(string channel, JsonObject? options, CancellationToken cancellation)
    {
        SubscribeOptions? subscribeOptions = null;
        if (options is not null)
        {
            subscribeOptions = new SubscribeOptions();
            foreach (var (key, node) in options)
            {
                var v = node is null ? ScCodec.NullElement : JsonSerializer.SerializeToElement(node);
                subscribeOptions = key switch
                {
                    "waitForAuth" => subscribeOptions with { WaitForAuth = v.ValueKind == JsonValueKind.True },
                    "data" => subscribeOptions with { Data = v },
                    "priority" => subscribeOptions with { Priority = v.GetInt32() },
                    _ => throw new ArgumentException($"The C# reference client has no subscribe option '{key}': waitForAuth, data and priority are the options (STEPS.md phrase 25)."),
                };
            }
        }
        var clientChannel = _socket.Subscribe(channel, subscribeOptions);
        if (_consumedChannels.TryAdd(channel, true))
        {
            var list = _publications.GetOrAdd(channel, _ => []);
            _ = ConsumeAsync(clientChannel, data => { lock (list) list.Add(new ReceivedItem(data is not null, data)); });
        }
        return Task.FromResult(ChannelStateName(_socket.GetChannelState(channel)));
    }

    public Task<IReadOnlyList<ReceivedItem>> PublicationsAsync(string channel, CancellationToken cancellation)
    {
        var list = _publications.GetOrAdd(channel, _ => []);
        lock (list) return Task.FromResult<IReadOnlyList<ReceivedItem>>(list.ToList());
    }

    public Task<string> ChannelStateAsync(string channel, CancellationToken cancellation) =>
        Task.FromResult(ChannelStateName(_socket.GetChannelState(channel)));

    public Task UnsubscribeAsync(string channel, CancellationToken cancellation)
    {
        _socket.Unsubscribe(channel);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> SubscriptionsAsync(bool includePending, CancellationToken cancellation) =>
        Task.FromResult(_socket.Subscriptions(includePending));

    public Task<CallOutcome> PublishAsync(string method, string channel, JsonElement? data, CancellationToken cancellation) =>
        Outcome(async () =>
        {
            switch (method)
            {
                case "transmitPublish": _socket.TransmitPublish(channel, data); break;
                case "invokePublish": await _socket.InvokePublishAsync(channel, data, null, cancellation).ConfigureAwait(false); break;
                case "channel.transmitPublish": _socket.Channel(channel).TransmitPublish(data); break;
                case "channel.invokePublish": await _socket.Channel(channel).InvokePublishAsync(data, null, cancellation).ConfigureAwait(false); break;
                default: throw new ArgumentException($"Unknown publish method {method}");
            }
            return null;
        });

    public Task<CallOutcome> AuthenticateAsync(string signedToken, CancellationToken cancellation) =>
        Outcome(async () =>
        {
            var status = await _socket.AuthenticateAsync(signedToken, cancellation).ConfigureAwait(false);
            // The official client resolves with {isAuthenticated, authError} where authError is null on success.
            var json = new JsonObject
            {
                ["isAuthenticated"] = status.IsAuthenticated,
                ["authError"] = status.AuthError is { } error ? JsonNode.Parse(ErrorJson(error).GetRawText()) : null,
            };
            return Json(json);
        });

    public Task<CallOutcome> DeauthenticateAsync(CancellationToken cancellation) =>
        Outcome(async () =>
        {
            await _socket.DeauthenticateAsync().ConfigureAwait(false);
            return null;
        });

    public Task DisconnectAsync(int? code, string? reason, CancellationToken cancellation)
    {
        _socket.Disconnect(code ?? CloseCodes.Normal, reason);
        return Task.CompletedTask;
    }

    public Task ConnectAgainAsync(JsonObject? options, CancellationToken cancellation)
    {
        if (options is null) _socket.Connect();
        else _socket.Connect(ClientOptionMapper.Apply(_socket.Options, options, out _));
        return Task.CompletedTask;
    }

    public Task ConnectAndDisconnectAsync(int code, string reason, CancellationToken cancellation)
    {
        _socket.Connect();
        _socket.Disconnect(code, reason);
        return Task.CompletedTask;
    }

    public Task ReconnectAsync(int? code, string? reason, CancellationToken cancellation)
    {
        _socket.Reconnect(code ?? CloseCodes.Normal, reason);
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _socket.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private static async Task<CallOutcome> Outcome(Func<Task<JsonElement?>> call)
    {
        try
        {
            var data = await call().ConfigureAwait(false);
            return data is { } d ? CallOutcome.Success(d) : CallOutcome.Success();
        }
        catch (OperationCanceledException) { throw; }
        catch (Exception e)
        {
            return CallOutcome.Failure(ErrorJson(e));
        }
    }

    /// <summary>An error as JSON of its own properties: {name, message, ...extra}, or the plain value a peer sent.</summary>
    internal static JsonElement ErrorJson(Exception e)
    {
        if (e is ScError { PlainValue: { } plain }) return plain;
        if (e is ScError sc)
        {
            var obj = new JsonObject { ["name"] = sc.Name ?? "Error", ["message"] = sc.Message };
            foreach (var (key, value) in sc.Extra) obj[key] = value?.DeepClone();
            return Json(obj);
        }
        return Json(new JsonObject { ["name"] = e.GetType().Name, ["message"] = e.Message });
    }

    private static JsonElement Json(JsonNode node) => JsonSerializer.SerializeToElement(node);

    private static string ChannelStateName(ChannelState state) => state switch
    {
        ChannelState.Subscribed => "subscribed",
        ChannelState.Pending => "pending",
        _ => "unsubscribed",
    };

    private static string AuthStateName(AuthState state) => state == AuthState.Authenticated ? "authenticated" : "unauthenticated";

    private static JsonNode? Node(JsonElement? e) => e is { } v ? JsonNode.Parse(v.GetRawText()) : null;

    /// <summary>The JSON payload of a recorded event (STEPS.md §7.1); null for events the drivers do not record.</summary>
    internal static JsonElement? EventPayload(string name, SocketEvent e)
    {
        JsonObject? o = e switch
        {
            ConnectingEvent => new JsonObject(),
            ConnectEvent c => ConnectPayload(c),
            ConnectAbortEvent c => Close(c.Code, c.Reason),
            DisconnectEvent c => Close(c.Code, c.Reason),
            CloseEvent c => Close(c.Code, c.Reason),
            ErrorEvent err => JsonNode.Parse(ErrorJson(err.Error).GetRawText()) as JsonObject
                ?? new JsonObject { ["name"] = "NonErrorValue", ["value"] = JsonNode.Parse(ErrorJson(err.Error).GetRawText()) },
            AuthenticateEvent a => new JsonObject { ["signedAuthToken"] = a.SignedAuthToken, ["authToken"] = Node(a.AuthToken) },
            DeauthenticateEvent d => new JsonObject { ["oldSignedAuthToken"] = d.OldSignedAuthToken, ["oldAuthToken"] = Node(d.OldAuthToken) },
            AuthStateChangeEvent s => AuthStateChange(s),
            SubscribeEvent s => new JsonObject { ["channel"] = s.Channel, ["subscriptionOptions"] = Node(s.SubscriptionOptions) },
            SubscribeFailEvent f => new JsonObject
            {
                ["channel"] = f.Channel, ["error"] = JsonNode.Parse(ErrorJson(f.Error).GetRawText()), ["subscriptionOptions"] = Node(f.SubscriptionOptions),
            },
            UnsubscribeEvent u => new JsonObject { ["channel"] = u.Channel },
            SubscribeStateChangeEvent s => StateChange(s),
            KickOutEvent k => KickOut(k),
            RemoveAuthTokenEvent r => new JsonObject { ["oldAuthToken"] = r.OldAuthToken },
            RawEvent r => new JsonObject { ["message"] = r.Message },
            _ => null,
        };
        return o is null ? null : Json(o);
    }

    private static JsonObject ConnectPayload(ConnectEvent c)
    {
        var o = new JsonObject
        {
            ["id"] = c.Id,
            ["pingTimeout"] = (long)c.PingTimeout.TotalMilliseconds,
            ["isAuthenticated"] = c.IsAuthenticated,
        };
        if (c.AuthError is { } error) o["authError"] = JsonNode.Parse(ErrorJson(error).GetRawText());
        o["authToken"] = c.AuthToken;
        return o;
    }

    private static JsonObject Close(int code, string? reason)
    {
        var o = new JsonObject { ["code"] = code };
        if (reason is not null) o["reason"] = reason;
        return o;
    }

    private static JsonObject AuthStateChange(AuthStateChangeEvent s)
    {
        var o = new JsonObject { ["oldAuthState"] = AuthStateName(s.OldAuthState), ["newAuthState"] = AuthStateName(s.NewAuthState) };
        if (s.SignedAuthToken is not null) o["signedAuthToken"] = s.SignedAuthToken;
        if (s.AuthToken is not null) o["authToken"] = Node(s.AuthToken);
        return o;
    }

    private static JsonObject StateChange(SubscribeStateChangeEvent s)
    {
        var o = new JsonObject
        {
            ["channel"] = s.Channel,
            ["oldChannelState"] = ChannelStateName(s.OldChannelState),
            ["newChannelState"] = ChannelStateName(s.NewChannelState),
        };
        if (s.SubscriptionOptions is not null) o["subscriptionOptions"] = Node(s.SubscriptionOptions);
        return o;
    }

    private static JsonObject KickOut(KickOutEvent k)
    {
        var o = new JsonObject { ["channel"] = k.Channel };
        if (k.Message is not null) o["message"] = Node(k.Message);
        return o;
    }
}
