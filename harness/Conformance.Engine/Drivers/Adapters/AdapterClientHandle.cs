using System.Text.Json;
using System.Text.Json.Nodes;

namespace Conformance.Engine.Drivers.Adapters;

/// <summary>One client instance of an adapter: every call is one request naming the instance ("client": id).</summary>
internal sealed class AdapterClientHandle(AdapterClientDriver driver, long client) : IClientHandle
{
    public string DriverName => driver.Name;

    /// <summary>Stands for a field present with the JSON value null (a C# null means: leave the key out).</summary>
    private static readonly object JsonNull = new();

    private JsonObject Fields((string Key, object? Value)[] fields)
    {
        var o = new JsonObject { ["client"] = client };
        foreach (var (key, value) in fields)
        {
            if (ReferenceEquals(value, JsonNull)) o[key] = null;
            else if (value is JsonNode node) o[key] = node;
            else if (value is not null)
                o[key] = value switch
                {
                    string text => JsonValue.Create(text),
                    int number => JsonValue.Create(number),
                    long number => JsonValue.Create(number),
                    bool flag => JsonValue.Create(flag),
                    _ => throw new ArgumentException($"no JSON form for {value.GetType().Name}"),
                };
        }
        return o;
    }

    /// <summary>Data as a field value: absent when the caller passed none (JS undefined), present (maybe null) otherwise.</summary>
    private static object? Node(JsonElement? data) => data is { } d ? (object?)JsonNode.Parse(d.GetRawText()) ?? JsonNull : null;

    /// <summary>An adapter-side operation (answered at once): the result, or an exception for ok:false.</summary>
    private async Task<JsonElement> Call(string op, CancellationToken cancellation, params (string, object?)[] fields) =>
        driver.Expect(await driver.RequestAsync(op, Fields(fields), driver.QuickDeadline, cancellation).ConfigureAwait(false), op);

    /// <summary>A client call settled by the client (resolves or fails).</summary>
    private async Task<CallOutcome> Settle(string op, int? ackTimeout, CancellationToken cancellation, params (string, object?)[] fields) =>
        driver.Outcome(await driver.RequestAsync(op, Fields(fields), driver.SettleDeadline(ackTimeout), cancellation).ConfigureAwait(false), op);

    private string? Str(JsonElement r, string key) => r.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private string RequireString(JsonElement r, string key, string op) => Str(r, key) ?? throw driver.Malformed(op, r, $"a string \"{key}\"");

    public async Task<ClientState> StateAsync(CancellationToken cancellation)
    {
        var r = await Call("state", cancellation).ConfigureAwait(false);
        JsonElement? token = r.TryGetProperty("authToken", out var t) && t.ValueKind != JsonValueKind.Null ? t.Clone() : null;
        return new ClientState(RequireString(r, "state", "state"), RequireString(r, "authState", "state"), Str(r, "socketId"), Str(r, "signedAuthToken"), token);
    }

    public async Task<IReadOnlyList<ClientEvent>> EventsAsync(long sinceSeq, CancellationToken cancellation)
    {
        var r = await Call("events", cancellation, ("sinceSeq", sinceSeq)).ConfigureAwait(false);
        if (!r.TryGetProperty("events", out var list) || list.ValueKind != JsonValueKind.Array) throw driver.Malformed("events", r, "an \"events\" array");
        var events = new List<ClientEvent>();
        foreach (var e in list.EnumerateArray())
        {
            if (!e.TryGetProperty("seq", out var seq) || !seq.TryGetInt64(out var n) || !e.TryGetProperty("event", out var name)
                || name.ValueKind != JsonValueKind.String || !e.TryGetProperty("at", out var at) || !at.TryGetInt64(out var ms))
                throw driver.Malformed("events", r, "events shaped {seq: number, event: string, data?, at: ms since epoch}");
            var data = e.TryGetProperty("data", out var d) ? d.Clone() : JsonSerializer.SerializeToElement(new { });
            events.Add(new ClientEvent(n, name.GetString()!, data, DateTimeOffset.FromUnixTimeMilliseconds(ms)));
        }
        return events;
    }

    public Task TransmitAsync(string eventName, JsonElement? data, CancellationToken cancellation) =>
        Call("transmit", cancellation, ("event", eventName), ("data", Node(data)));

    public Task<CallOutcome> InvokeAsync(string procedure, JsonElement? data, int? ackTimeout, CancellationToken cancellation) =>
        Settle("invoke", ackTimeout, cancellation, ("procedure", procedure), ("data", Node(data)), ("ackTimeout", ackTimeout));

    public Task ReceiverAsync(string name, CancellationToken cancellation) => Call("receiver", cancellation, ("event", name));

    public async Task<IReadOnlyList<ReceivedItem>> ReceivedAsync(string name, CancellationToken cancellation) =>
        Items(await Call("received", cancellation, ("event", name)).ConfigureAwait(false), "received");

    public Task ProcedureAsync(string name, ProcedureBehaviour behaviour, CancellationToken cancellation)
    {
        var b = new JsonObject { ["mode"] = behaviour.Mode };
        if (behaviour.Mode == "end" && behaviour.Data is { } d) b["data"] = JsonNode.Parse(d.GetRawText());
        if (behaviour.Mode == "error")
        {
            b["name"] = behaviour.ErrorName;
            b["message"] = behaviour.ErrorMessage;
        }
        return Call("procedure", cancellation, ("procedure", name), ("behaviour", b));
    }

    public async Task<string> SubscribeAsync(string channel, JsonObject? options, CancellationToken cancellation) =>
        RequireString(await Call("subscribe", cancellation, ("channel", channel), ("options", options?.DeepClone())).ConfigureAwait(false), "state", "subscribe");

    public async Task<IReadOnlyList<ReceivedItem>> PublicationsAsync(string channel, CancellationToken cancellation) =>
        Items(await Call("publications", cancellation, ("channel", channel)).ConfigureAwait(false), "publications");

    public async Task<string> ChannelStateAsync(string channel, CancellationToken cancellation) =>
        RequireString(await Call("channelState", cancellation, ("channel", channel)).ConfigureAwait(false), "state", "channelState");

    public Task UnsubscribeAsync(string channel, CancellationToken cancellation) => Call("unsubscribe", cancellation, ("channel", channel));

    public async Task<IReadOnlyList<string>> SubscriptionsAsync(bool includePending, CancellationToken cancellation)
    {
        var r = await Call("subscriptions", cancellation, ("includePending", includePending)).ConfigureAwait(false);
        if (!r.TryGetProperty("channels", out var channels) || channels.ValueKind != JsonValueKind.Array)
            throw driver.Malformed("subscriptions", r, "a \"channels\" array");
        return channels.EnumerateArray().Select(c => c.GetString() ?? throw driver.Malformed("subscriptions", r, "channel names as strings")).ToList();
    }

    public Task<CallOutcome> PublishAsync(string method, string channel, JsonElement? data, CancellationToken cancellation) =>
        method is "transmitPublish" or "invokePublish" or "channel.transmitPublish" or "channel.invokePublish"
            ? Settle("publish", null, cancellation, ("method", method), ("channel", channel), ("data", Node(data)))
            : throw new ArgumentException($"Unknown publish method {method}");

    public Task<CallOutcome> AuthenticateAsync(string signedToken, CancellationToken cancellation) =>
        Settle("authenticate", null, cancellation, ("signedToken", signedToken));

    public Task<CallOutcome> DeauthenticateAsync(CancellationToken cancellation) => Settle("deauthenticate", null, cancellation);

    public Task DisconnectAsync(int? code, string? reason, CancellationToken cancellation) =>
        Call("disconnect", cancellation, ("code", code), ("reason", reason));

    public Task ConnectAgainAsync(JsonObject? options, CancellationToken cancellation) =>
        Call("connect", cancellation, ("options", options?.DeepClone()));

    public Task ReconnectAsync(int? code, string? reason, CancellationToken cancellation) =>
        Call("reconnect", cancellation, ("code", code), ("reason", reason));

    public Task ConnectAndDisconnectAsync(int code, string reason, CancellationToken cancellation) =>
        Call("connectAndDisconnect", cancellation, ("code", code), ("reason", reason));

    public async ValueTask DisposeAsync()
    {
        try { await Call("close", CancellationToken.None).ConfigureAwait(false); }
        catch (InvalidOperationException) { /* the adapter is gone or forgot the client: nothing left to close */ }
        catch (TimeoutException) { /* reported by the scenario's own steps if it mattered; cleanup must end */ }
    }

    private List<ReceivedItem> Items(JsonElement result, string op)
    {
        if (!result.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array)
            throw driver.Malformed(op, result, "an \"items\" array");
        return items.EnumerateArray()
            .Select(i => i.ValueKind == JsonValueKind.Object && i.TryGetProperty("data", out var d) ? new ReceivedItem(true, d.Clone()) : new ReceivedItem(false, null))
            .ToList();
    }
}
