using System.Text.Json;
using Conformance.JsHosts;

namespace Conformance.JsHosts.Tests;

/// <summary>Test helper over a host: typed arguments, ok-checks with readable failures, connect-and-wait.</summary>
public sealed class DriverSession(IJsDriverHost host)
{
    public const int WaitMs = 15_000; // generous: the machine is small and shared

    public IJsDriverHost Host => host;

    /// <summary>Starts a host for the current test, its console lines going to the test output.</summary>
    public static async Task<DriverSession> StartAsync(string hostName)
    {
        var output = TestContext.Current.TestOutputHelper;
        var host = await JsDriverHosts.StartAsync(hostName, line => output?.WriteLine($"[{hostName} console] {line}"),
            TestContext.Current.CancellationToken);
        return new DriverSession(host);
    }

    public async Task<JsonElement> Call(string command, params object?[] args)
    {
        var elements = args.Select(a => a is JsonElement e ? e : JsonSerializer.SerializeToElement(a)).ToArray();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await host.CallAsync(command, elements, timeout.Token);
    }

    /// <summary>Calls and asserts <c>ok:true</c>.</summary>
    public async Task<JsonElement> Ok(string command, params object?[] args)
    {
        var result = await Call(command, args);
        Assert.True(result.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True,
            $"{host.Name}: {command} failed: {result.GetRawText()}");
        return result;
    }

    /// <summary>Calls and asserts <c>ok:false</c>; returns the error object.</summary>
    public async Task<JsonElement> Fails(string command, params object?[] args)
    {
        var result = await Call(command, args);
        Assert.True(result.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.False,
            $"{host.Name}: {command} should have failed: {result.GetRawText()}");
        return result.GetProperty("error");
    }

    /// <summary>Creates a client socket to 127.0.0.1:port and waits for its connect event; returns the handle.</summary>
    public async Task<int> ConnectAsync(int port, Dictionary<string, object?>? extraOptions = null)
    {
        var options = new Dictionary<string, object?> { ["hostname"] = "127.0.0.1", ["port"] = port };
        foreach (var (key, value) in extraOptions ?? []) options[key] = value;
        var connected = await Ok("connect", options);
        int handle = connected.GetProperty("handle").GetInt32();
        await WaitForEvent(handle, "connect");
        return handle;
    }

    public async Task<JsonElement> WaitForEvent(int handle, string name, int sinceSeq = 0) =>
        (await Ok("waitForEvent", handle, name, WaitMs, sinceSeq)).GetProperty("event");

    /// <summary>invoke → the response data (asserts success).</summary>
    public async Task<JsonElement> Invoke(int handle, string procedure, object? data)
    {
        var result = await Ok("invoke", handle, procedure, data);
        return result.TryGetProperty("data", out var value) ? value : default;
    }

    /// <summary>Polls a driver list command until it has at least <paramref name="count"/> items.</summary>
    public async Task<JsonElement> WaitForItems(string command, int handle, string name, int count)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(WaitMs);
        while (true)
        {
            var items = (await Ok(command, handle, name)).GetProperty("items");
            if (items.GetArrayLength() >= count || DateTime.UtcNow > deadline) return items;
            await Task.Delay(25, TestContext.Current.CancellationToken);
        }
    }
}
