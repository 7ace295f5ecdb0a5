using System.Text.Json;
using System.Text.Json.Nodes;
using Conformance.JsHosts;

namespace Conformance.Engine.Drivers;

/// <summary>
/// The official JS client (in Node, Chromium or Jint) behind the client driver API: each call is forwarded as a
/// driver-core command (js-client-fixtures/driver/driver-core.mjs) to an <see cref="IJsDriverHost"/>.
/// </summary>
public sealed class JsClientDriver(IJsDriverHost host) : IClientDriver
{
    public string Name => host.Name;

    public static async Task<IClientDriver> StartAsync(string hostName, CancellationToken cancellation) =>
        new JsClientDriver(await JsDriverHosts.StartAsync(hostName, null, cancellation).ConfigureAwait(false));

    /// <remarks>
    /// The pseudo-options <c>storedToken</c> and <c>failingTokenStore</c> (STEPS.md phrase 11) are passed on:
    /// driver-core.mjs applies them to the socket's auth engine instead of handing them to create().
    /// </remarks>
    public async Task<IClientHandle> ConnectAsync(JsonObject options, CancellationToken cancellation)
    {
        var result = await JsCalls.CallAsync(host, "connect", cancellation, options).ConfigureAwait(false);
        return new JsClientHandle(host, result.GetProperty("handle").GetInt64());
    }

    public ValueTask DisposeAsync() => host.DisposeAsync();
}

internal static class JsCalls
{
    /// <summary>Runs a command whose failure is a driver error (not a client outcome): returns the ok result or throws.</summary>
    public static async Task<JsonElement> CallAsync(IJsDriverHost host, string command, CancellationToken cancellation, params object?[] args)
    {
        var result = await RawAsync(host, command, cancellation, args).ConfigureAwait(false);
        if (result.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True) return result;
        var error = result.TryGetProperty("error", out var e) ? e.GetRawText() : result.GetRawText();
        throw new InvalidOperationException($"{host.Name} driver command {command} failed: {error}");
    }

    /// <summary>Runs a command whose failure is the client's outcome (invoke, publish, authenticate...).</summary>
    public static async Task<CallOutcome> OutcomeAsync(IJsDriverHost host, string command, CancellationToken cancellation, params object?[] args)
    {
        var result = await RawAsync(host, command, cancellation, args).ConfigureAwait(false);
        if (result.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True)
        {
            var hasData = result.TryGetProperty("data", out var data)
                && !(result.TryGetProperty("hasData", out var hd) && hd.ValueKind == JsonValueKind.False);
            return hasData ? CallOutcome.Success(data.Clone()) : CallOutcome.Success();
        }
        if (!result.TryGetProperty("error", out var error)) return CallOutcome.Failure(result.Clone());
        // driver-core wraps a non-object rejection value as {name:'NonErrorValue', value}: compare the plain value.
        if (error.ValueKind == JsonValueKind.Object && error.TryGetProperty("name", out var n) && n.GetString() == "NonErrorValue"
            && error.TryGetProperty("value", out var plain))
            return CallOutcome.Failure(plain.Clone());
        return CallOutcome.Failure(error.Clone());
    }

    private static Task<JsonElement> RawAsync(IJsDriverHost host, string command, CancellationToken cancellation, object?[] args) =>
        host.CallAsync(command, args.Select(a => a is JsonElement e ? e : JsonSerializer.SerializeToElement(a)).ToList(), cancellation);
}

/// <summary>One JS client socket (a driver-core handle).</summary>
internal sealed class JsClientHandle(IJsDriverHost host, long handle) : IClientHandle
{
    public string DriverName => host.Name;

    private Task<JsonElement> Call(string command, CancellationToken cancellation, params object?[] args) =>
        JsCalls.CallAsync(host, command, cancellation, [handle, .. args]);

    private Task<CallOutcome> Outcome(string command, CancellationToken cancellation, params object?[] args) =>
        JsCalls.OutcomeAsync(host, command, cancellation, [handle, .. args]);

    public async Task<ClientState> StateAsync(CancellationToken cancellation)
    {
        var r = await Call("state", cancellation).ConfigureAwait(false);
        string? Str(string k) => r.TryGetProperty(k, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        JsonElement? token = r.TryGetProperty("authToken", out var t) && t.ValueKind != JsonValueKind.Null ? t.Clone() : null;
        return new ClientState(Str("state") ?? "closed", Str("authState") ?? "unauthenticated", Str("id"), Str("signedAuthToken"), token);
    }

    public async Task<IReadOnlyList<ClientEvent>> EventsAsync(long sinceSeq, CancellationToken cancellation)
    {
        var r = await Call("events", cancellation, sinceSeq).ConfigureAwait(false);
        var events = new List<ClientEvent>();
        foreach (var e in r.GetProperty("events").EnumerateArray())
        {
            var name = e.GetProperty("event").GetString()!;
            var data = e.TryGetProperty("data", out var d) ? d.Clone() : JsonSerializer.SerializeToElement(new { });
            // The 'error' listener yields {error}: STEPS.md §7.1 records the error itself.
            if (name == "error" && data.ValueKind == JsonValueKind.Object && data.TryGetProperty("error", out var inner)) data = inner.Clone();
            events.Add(new ClientEvent(e.GetProperty("seq").GetInt64(), name, data,
                DateTimeOffset.FromUnixTimeMilliseconds(e.GetProperty("at").GetInt64())));
        }
        return events;
    }

    public Task TransmitAsync(string eventName, JsonElement? data, CancellationToken cancellation) =>
        data is { } d ? Call("transmit", cancellation, eventName, d) : Call("transmit", cancellation, eventName);

    public Task<CallOutcome> InvokeAsync(string procedure, JsonElement? data, int? ackTimeout, CancellationToken cancellation)
    {
        if (ackTimeout is { } t)
            return data is { } dt
                ? Outcome("invoke", cancellation, procedure, dt, new { ackTimeout = t })
                : Outcome("invoke", cancellation, procedure, null, new { ackTimeout = t, noData = true });
        return data is { } d ? Outcome("invoke", cancellation, procedure, d) : Outcome("invoke", cancellation, procedure);
    }

    public Task ReceiverAsync(string name, CancellationToken cancellation) => Call("receiver", cancellation, name);

    public async Task<IReadOnlyList<ReceivedItem>> ReceivedAsync(string name, CancellationToken cancellation) =>
        Items(await Call("received", cancellation, name).ConfigureAwait(false));

    public Task ProcedureAsync(string name, ProcedureBehaviour behaviour, CancellationToken cancellation)
    {
        object body = behaviour.Mode switch
        {
            "echo" => new { mode = "echo" },
            "end" when behaviour.Data is { } d => new { mode = "end", data = d },
            "end" => new { mode = "end" },
            "error" => new { mode = "error", name = behaviour.ErrorName, message = behaviour.ErrorMessage },
            _ => new { mode = "silent" },
        };
        return Call("procedure", cancellation, name, body);
    }

    public async Task<string> SubscribeAsync(string channel, JsonObject? options, CancellationToken cancellation)
    {
        var r = await Call("subscribe", cancellation, channel, options).ConfigureAwait(false);
        return r.GetProperty("state").GetString()!;
    }

    public async Task<IReadOnlyList<ReceivedItem>> PublicationsAsync(string channel, CancellationToken cancellation) =>
        Items(await Call("publications", cancellation, channel).ConfigureAwait(false));

    public async Task<string> ChannelStateAsync(string channel, CancellationToken cancellation) =>
        (await Call("channelState", cancellation, channel).ConfigureAwait(false)).GetProperty("state").GetString()!;

    public Task UnsubscribeAsync(string channel, CancellationToken cancellation) => Call("unsubscribe", cancellation, channel);

    public async Task<IReadOnlyList<string>> SubscriptionsAsync(bool includePending, CancellationToken cancellation) =>
        (await Call("subscriptions", cancellation, includePending).ConfigureAwait(false)).GetProperty("channels")
            .EnumerateArray().Select(c => c.GetString()!).ToList();

    public Task<CallOutcome> PublishAsync(string method, string channel, JsonElement? data, CancellationToken cancellation)
    {
        var command = method switch
        {
            "transmitPublish" => "transmitPublish",
            "invokePublish" => "invokePublish",
            "channel.transmitPublish" => "channelTransmitPublish",
            "channel.invokePublish" => "channelInvokePublish",
            _ => throw new ArgumentException($"Unknown publish method {method}"),
        };
        return data is { } d ? Outcome(command, cancellation, channel, d) : Outcome(command, cancellation, channel);
    }

    public Task<CallOutcome> AuthenticateAsync(string signedToken, CancellationToken cancellation) =>
        Outcome("authenticate", cancellation, signedToken);

    public Task<CallOutcome> DeauthenticateAsync(CancellationToken cancellation) => Outcome("deauthenticate", cancellation);

    public Task DisconnectAsync(int? code, string? reason, CancellationToken cancellation) => Call("disconnect", cancellation, code, reason);

    public Task ConnectAgainAsync(JsonObject? options, CancellationToken cancellation) =>
        options is null ? Call("connectAgain", cancellation) : Call("connectAgain", cancellation, options);

    public Task ConnectAndDisconnectAsync(int code, string reason, CancellationToken cancellation) =>
        Call("connectAndDisconnect", cancellation, code, reason);

    public Task ReconnectAsync(int? code, string? reason, CancellationToken cancellation) => Call("reconnect", cancellation, code, reason);

    public async ValueTask DisposeAsync()
    {
        try { await Call("destroy", CancellationToken.None).ConfigureAwait(false); }
        catch (Exception e) when (e is InvalidOperationException or JsDriverHostException) { /* the host is gone: nothing to destroy */ }
    }

    private static List<ReceivedItem> Items(JsonElement result) =>
        result.GetProperty("items").EnumerateArray()
            .Select(i => i.TryGetProperty("data", out var d) ? new ReceivedItem(true, d.Clone()) : new ReceivedItem(false, null))
            .ToList();
}
