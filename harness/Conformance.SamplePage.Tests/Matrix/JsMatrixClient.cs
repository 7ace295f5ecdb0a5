using System.Text.Json;
using Conformance.JsHosts;

namespace Conformance.SamplePage.Tests.Matrix;

/// <summary>The official JS client in a host (node, node-v14, chromium, jint), through driver-core commands.</summary>
/// <param name="v14">The host runs socketcluster-client 14.x: it speaks v1 only, and its protocolVersion option would
/// reach the ws library as the WebSocket protocol version (RangeError "Unsupported protocol version: 1").</param>
public sealed class JsMatrixClient(IJsDriverHost host, bool v14) : IMatrixClient
{
    const int WaitMs = 15_000; // generous: the machine is small and shared
    int _handle;

    public string Name => host.Name;

    async Task<JsonElement> Call(string command, params object?[] args)
    {
        var elements = args.Select(a => a is JsonElement e ? e : JsonSerializer.SerializeToElement(a)).ToArray();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await host.CallAsync(command, elements, timeout.Token);
    }

    async Task<JsonElement> Ok(string command, params object?[] args)
    {
        var result = await Call(command, args);
        if (!(result.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True))
            throw new InvalidOperationException($"{host.Name}: {command} failed: {result.GetRawText()}");
        return result;
    }

    public async Task ConnectAsync(int port, int protocolVersion)
    {
        // A distinct token name: in a browser the token store is shared per host:port. The 20.x client speaks v1
        // with protocolVersion: 1; the 14.x client has no such option.
        var options = new Dictionary<string, object>
        {
            ["hostname"] = "127.0.0.1", ["port"] = port, ["authTokenName"] = $"matrix.{Guid.NewGuid():N}",
        };
        if (!v14) options["protocolVersion"] = protocolVersion;
        var connected = await Ok("connect", options);
        _handle = connected.GetProperty("handle").GetInt32();
        await Ok("waitForEvent", _handle, "connect", WaitMs, 0);
    }

    public async Task<InvokeOutcome> InvokeAsync(string procedure, object? data)
    {
        var result = await Call("invoke", _handle, procedure, data);
        if (result.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True)
            return new InvokeOutcome(true, result.TryGetProperty("data", out var d) ? d.Clone() : null, null, null);
        var error = result.GetProperty("error");
        return new InvokeOutcome(false, null, error.TryGetProperty("name", out var n) ? n.GetString() : null,
            error.TryGetProperty("message", out var m) ? m.GetString() : error.GetRawText());
    }

    public Task TransmitAsync(string eventName, object? data) => Ok("transmit", _handle, eventName, data);

    public async Task SubscribeAsync(string channel)
    {
        await Ok("subscribe", _handle, channel);
        var deadline = DateTime.UtcNow.AddMilliseconds(WaitMs);
        while ((await Ok("channelState", _handle, channel)).GetProperty("state").GetString() != "subscribed")
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{channel} was not subscribed within {WaitMs} ms");
            await Task.Delay(25);
        }
    }

    public async Task<IReadOnlyList<JsonElement?>> WaitForPublicationsAsync(string channel, int count)
    {
        var result = await Call("waitForPublications", _handle, channel, count, WaitMs);
        return Items(result);
    }

    public Task TransmitPublishAsync(string channel, object? data) => Ok("transmitPublish", _handle, channel, data);

    public Task InvokePublishAsync(string channel, object? data) => Ok("invokePublish", _handle, channel, data);

    public Task ReceiverAsync(string eventName) => Ok("receiver", _handle, eventName);

    public async Task<IReadOnlyList<JsonElement?>> WaitForReceivedAsync(string eventName, int count)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(WaitMs);
        while (true)
        {
            var items = Items(await Ok("received", _handle, eventName));
            if (items.Count >= count || DateTime.UtcNow > deadline) return items;
            await Task.Delay(25);
        }
    }

    static List<JsonElement?> Items(JsonElement result) =>
        result.TryGetProperty("items", out var items)
            ? items.EnumerateArray().Select(i => i.TryGetProperty("data", out var d) ? d.Clone() : (JsonElement?)null).ToList()
            : [];

    public Task EchoProcedureAsync(string procedure) => Ok("procedure", _handle, procedure, new { mode = "echo" });

    public async Task<Func<Task<string>>> ArmEventAsync(string name)
    {
        int since = (await Ok("events", _handle, 0)).GetProperty("lastSeq").GetInt32();
        return async () => (await Ok("waitForEvent", _handle, name, WaitMs, since)).GetProperty("event").GetProperty("data").GetRawText();
    }

    public async Task<(string State, string? Id)> ConnectionAsync()
    {
        var state = await Ok("state", _handle);
        return (state.GetProperty("state").GetString() ?? "", state.GetProperty("id").GetString());
    }

    public async Task<string> AuthStateAsync() => (await Ok("state", _handle)).GetProperty("authState").GetString() ?? "";

    public ValueTask DisposeAsync() => host.DisposeAsync();
}
