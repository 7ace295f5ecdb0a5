using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Conformance.Engine.Drivers;
using Conformance.Engine.Drivers.Adapters;

namespace Conformance.CSharpAdapter;

/// <summary>
/// The adapter side of the client adapter protocol (spec/client-adapter.md) for any <see cref="IClientDriver"/>: reads
/// one request per line, runs each concurrently (an invoke may wait for its ack while the suite polls events), and
/// writes exactly one reply per request. Bad input gets an AdapterError reply; nothing here stops reading.
/// </summary>
public sealed class AdapterServer(IClientDriver driver, AdapterHello hello, TextReader input, TextWriter output) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<long, IClientHandle> _clients = new();
    private readonly ConcurrentDictionary<Task, bool> _running = new();
    private readonly Lock _writeLock = new();
    private long _nextClient;
    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly HashSet<string> ClientOps =
    [
        "close", "connect", "disconnect", "reconnect", "connectAndDisconnect", "state", "events", "transmit", "invoke", "receiver",
        "received", "procedure", "subscribe", "unsubscribe", "channelState", "subscriptions", "publications", "publish",
        "authenticate", "deauthenticate",
    ];

    /// <summary>Serves until stdin closes, then waits (at most 5 s) for requests in flight.</summary>
    public async Task RunAsync()
    {
        while (await input.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (line.Trim().Length == 0) continue;
            // Started in arrival order (the part before the first await runs here); replies go out as calls settle.
            var task = HandleAsync(line);
            _running[task] = true;
            _ = task.ContinueWith(t => _running.TryRemove(t, out _), TaskScheduler.Default);
        }
        try { await Task.WhenAll(_running.Keys).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false); }
        catch (TimeoutException) { /* calls still waiting for a server are cut short by closing their clients */ }
    }

    private async Task HandleAsync(string line)
    {
        JsonNode? id = null;
        JsonObject reply;
        try
        {
            var request = ParseRequest(line, out id);
            reply = await DispatchAsync(request).ConfigureAwait(false);
        }
        catch (NotSupportedException e)
        {
            reply = Error("Unsupported", e.Message);
        }
        catch (AdapterRequestException e)
        {
            reply = Error("AdapterError", e.Message);
        }
        catch (Exception e)
        {
            reply = Error("AdapterError", $"{e.GetType().Name}: {e.Message}");
        }
        var text = new JsonObject { ["id"] = id?.DeepClone() };
        foreach (var (key, value) in reply.ToList())
        {
            reply.Remove(key);
            text[key] = value;
        }
        var json = text.ToJsonString(Json);
        lock (_writeLock)
        {
            output.WriteLine(json);
            output.Flush();
        }
    }

    private static JsonObject ParseRequest(string line, out JsonNode? id)
    {
        id = null;
        JsonNode? node;
        try { node = JsonNode.Parse(line); }
        catch (JsonException e) { throw new AdapterRequestException($"invalid JSON: {e.Message}"); }
        if (node is not JsonObject request) throw new AdapterRequestException("a request is a JSON object {\"id\": number, \"op\": string, ...}");
        if (request["id"] is JsonValue v && v.GetValueKind() == JsonValueKind.Number) id = v;
        else throw new AdapterRequestException("a request needs a numeric \"id\"");
        return request;
    }

    private async Task<JsonObject> DispatchAsync(JsonObject r)
    {
        var op = r["op"] is JsonValue o && o.GetValueKind() == JsonValueKind.String ? o.GetValue<string>() : throw new AdapterRequestException("\"op\" must be a string");
        var ct = CancellationToken.None;
        switch (op)
        {
            case "hello":
                return new JsonObject
                {
                    ["ok"] = true,
                    ["adapterProtocol"] = hello.AdapterProtocol,
                    ["client"] = new JsonObject { ["name"] = hello.ClientName, ["version"] = hello.ClientVersion },
                    ["protocolVersions"] = new JsonArray(hello.ProtocolVersions.Select(v => (JsonNode)v).ToArray()),
                    ["capabilities"] = new JsonArray(hello.Capabilities.Select(c => (JsonNode)c).ToArray()),
                };
            case "create":
            {
                var options = r["options"] is null ? new JsonObject() : r["options"] as JsonObject ?? throw new AdapterRequestException("\"options\" must be an object");
                var handle = await driver.ConnectAsync((JsonObject)options.DeepClone(), ct).ConfigureAwait(false);
                var id = Interlocked.Increment(ref _nextClient);
                _clients[id] = handle;
                return Ok(("client", id));
            }
        }

        if (!ClientOps.Contains(op)) throw new AdapterRequestException($"unknown op \"{op}\"");
        var client = Client(r);
        switch (op)
        {
            case "close":
                if (_clients.TryRemove(ClientId(r), out var closing)) await closing.DisposeAsync().ConfigureAwait(false);
                return Ok();
            case "connect":
                await client.ConnectAgainAsync(OptObject(r, "options"), ct).ConfigureAwait(false);
                return Ok();
            case "disconnect":
                await client.DisconnectAsync(OptInt(r, "code"), OptString(r, "reason"), ct).ConfigureAwait(false);
                return Ok();
            case "reconnect":
                await client.ReconnectAsync(OptInt(r, "code"), OptString(r, "reason"), ct).ConfigureAwait(false);
                return Ok();
            case "connectAndDisconnect":
                await client.ConnectAndDisconnectAsync(OptInt(r, "code") ?? 1000, OptString(r, "reason") ?? "", ct).ConfigureAwait(false);
                return Ok();
            case "state":
            {
                var s = await client.StateAsync(ct).ConfigureAwait(false);
                return Ok(("state", s.State), ("authState", s.AuthState), ("socketId", s.Id), ("signedAuthToken", s.SignedAuthToken),
                    ("authToken", s.AuthToken is { } t ? JsonNode.Parse(t.GetRawText()) : null));
            }
            case "events":
            {
                var events = await client.EventsAsync(OptLong(r, "sinceSeq") ?? 0, ct).ConfigureAwait(false);
                return Ok(("events", new JsonArray(events.Select(e => (JsonNode)new JsonObject
                {
                    ["seq"] = e.Seq, ["event"] = e.Name, ["data"] = JsonNode.Parse(e.Data.GetRawText()), ["at"] = e.At.ToUnixTimeMilliseconds(),
                }).ToArray())));
            }
            case "transmit":
                await client.TransmitAsync(Str(r, "event"), Data(r), ct).ConfigureAwait(false);
                return Ok();
            case "invoke":
                return Outcome(await client.InvokeAsync(Str(r, "procedure"), Data(r), OptInt(r, "ackTimeout"), ct).ConfigureAwait(false));
            case "receiver":
                await client.ReceiverAsync(Str(r, "event"), ct).ConfigureAwait(false);
                return Ok();
            case "received":
                return Items(await client.ReceivedAsync(Str(r, "event"), ct).ConfigureAwait(false));
            case "procedure":
                await client.ProcedureAsync(Str(r, "procedure"), Behaviour(OptObject(r, "behaviour")), ct).ConfigureAwait(false);
                return Ok();
            case "subscribe":
                return Ok(("state", await client.SubscribeAsync(Str(r, "channel"), OptObject(r, "options"), ct).ConfigureAwait(false)));
            case "unsubscribe":
                await client.UnsubscribeAsync(Str(r, "channel"), ct).ConfigureAwait(false);
                return Ok();
            case "channelState":
                return Ok(("state", await client.ChannelStateAsync(Str(r, "channel"), ct).ConfigureAwait(false)));
            case "subscriptions":
            {
                var pending = r["includePending"] is JsonValue p && p.GetValueKind() == JsonValueKind.True;
                var channels = await client.SubscriptionsAsync(pending, ct).ConfigureAwait(false);
                return Ok(("channels", new JsonArray(channels.Select(c => (JsonNode)c).ToArray())));
            }
            case "publications":
                return Items(await client.PublicationsAsync(Str(r, "channel"), ct).ConfigureAwait(false));
            case "publish":
            {
                var method = Str(r, "method");
                if (method is not ("transmitPublish" or "invokePublish" or "channel.transmitPublish" or "channel.invokePublish"))
                    throw new AdapterRequestException("\"method\" must be transmitPublish, invokePublish, channel.transmitPublish or channel.invokePublish");
                return Outcome(await client.PublishAsync(method, Str(r, "channel"), Data(r), ct).ConfigureAwait(false));
            }
            case "authenticate":
                return Outcome(await client.AuthenticateAsync(Str(r, "signedToken"), ct).ConfigureAwait(false));
            case "deauthenticate":
                return Outcome(await client.DeauthenticateAsync(ct).ConfigureAwait(false));
            default:
                throw new AdapterRequestException($"unknown op \"{op}\"");
        }
    }

    private static long ClientId(JsonObject r) =>
        r["client"] is JsonValue v && v.TryGetValue<long>(out var id) ? id : throw new AdapterRequestException("\"client\" must be the integer id that create returned");

    private IClientHandle Client(JsonObject r)
    {
        var id = ClientId(r);
        return _clients.TryGetValue(id, out var handle) ? handle : throw new AdapterRequestException($"unknown client {id}");
    }

    private static string Str(JsonObject r, string key) =>
        r[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : throw new AdapterRequestException($"\"{key}\" must be a string");

    private static string? OptString(JsonObject r, string key) => r[key] is null ? null : Str(r, key);

    private static int? OptInt(JsonObject r, string key) =>
        r[key] is null ? null : r[key] is JsonValue v && v.TryGetValue<int>(out var n) ? n : throw new AdapterRequestException($"\"{key}\" must be an integer");

    private static long? OptLong(JsonObject r, string key) =>
        r[key] is null ? null : r[key] is JsonValue v && v.TryGetValue<long>(out var n) ? n : throw new AdapterRequestException($"\"{key}\" must be an integer");

    private static JsonObject? OptObject(JsonObject r, string key) =>
        r[key] is null ? null : r[key] as JsonObject is { } o ? (JsonObject)o.DeepClone() : throw new AdapterRequestException($"\"{key}\" must be an object");

    /// <summary>The data field: absent means no data (JS undefined); present, even null, is that value.</summary>
    private static JsonElement? Data(JsonObject r) =>
        r.TryGetPropertyValue("data", out var d) ? JsonSerializer.SerializeToElement(d) : null;

    private static ProcedureBehaviour Behaviour(JsonObject? b)
    {
        if (b is null) return ProcedureBehaviour.Echo;
        return Str(b, "mode") switch
        {
            "echo" => ProcedureBehaviour.Echo,
            "end" => b.TryGetPropertyValue("data", out var d) ? ProcedureBehaviour.EndWith(JsonSerializer.SerializeToElement(d)) : new ProcedureBehaviour("end"),
            "error" => ProcedureBehaviour.ErrorWith(OptString(b, "name") ?? "Error", OptString(b, "message") ?? ""),
            "silent" => new ProcedureBehaviour("silent"),
            var mode => throw new AdapterRequestException($"behaviour mode \"{mode}\" is not echo, end, error or silent"),
        };
    }

    private static JsonObject Ok(params (string Key, object? Value)[] fields)
    {
        var o = new JsonObject { ["ok"] = true };
        foreach (var (key, value) in fields)
            o[key] = value switch
            {
                null => null,
                JsonNode node => node,
                string s => s,
                long n => n,
                _ => throw new ArgumentException($"no JSON form for {value.GetType().Name}"),
            };
        return o;
    }

    private static JsonObject Error(string name, string message) =>
        new() { ["ok"] = false, ["error"] = new JsonObject { ["name"] = name, ["message"] = message } };

    private static JsonObject Outcome(CallOutcome outcome)
    {
        if (outcome.Ok)
            return outcome.HasData ? Ok(("data", JsonNode.Parse(outcome.Data!.Value.GetRawText()))) : Ok(); // data null stays a present null
        var error = outcome.Error is { } e ? JsonNode.Parse(e.GetRawText()) : null;
        return error is JsonObject ? new JsonObject { ["ok"] = false, ["error"] = error } : new JsonObject { ["ok"] = false, ["errorValue"] = error };
    }

    private static JsonObject Items(IReadOnlyList<ReceivedItem> items) =>
        Ok(("items", new JsonArray(items.Select(i => (JsonNode)(i.HasData ? new JsonObject { ["data"] = JsonNode.Parse(i.Data!.Value.GetRawText()) } : new JsonObject())).ToArray())));

    /// <summary>Closes every client (the suite closed stdin: the run is over).</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var id in _clients.Keys.ToList())
            if (_clients.TryRemove(id, out var handle))
            {
                try { await handle.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(3)).ConfigureAwait(false); }
                catch (Exception) { /* exiting anyway */ }
            }
        await driver.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>A request the adapter cannot carry out as written: answered with an AdapterError.</summary>
public sealed class AdapterRequestException(string message) : Exception(message);
