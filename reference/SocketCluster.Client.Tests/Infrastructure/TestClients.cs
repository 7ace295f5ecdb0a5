using System.Text.Json;
using SocketCluster.Client;
using SocketCluster.Protocol;
using SocketCluster.Protocol.Streams;

namespace SocketCluster.Client.Tests.Infrastructure;

/// <summary>Helpers shared by the interop tests. Waits are generous (a loaded 2-core machine); nothing asserts tight timing.</summary>
public static class TestClients
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    /// <summary>Creates a client for the server and waits for its first 'connect'.</summary>
    public static async Task<ClientSocket> ConnectAsync(ServerUnderTest server, Func<ClientOptions, ClientOptions>? configure = null)
    {
        var options = server.ClientOptions();
        if (configure is not null) options = configure(options);
        var client = SocketClusterClient.Create(options with { AutoConnect = false });
        await using var connects = client.Listener(ClientEvents.Connect).CreateConsumer();
        client.Connect();
        await connects.NextAsync(Timeout);
        return client;
    }

    /// <summary>Subscribes to the channel and waits for its 'subscribe' event (the server acknowledged it).</summary>
    public static async Task<ClientChannel> SubscribedAsync(ClientSocket client, string name, SubscribeOptions? options = null)
    {
        await using var subscribed = client.Channel(name).Listener(ClientEvents.Subscribe).CreateConsumer();
        var channel = client.Subscribe(name, options);
        await subscribed.NextAsync();
        return channel;
    }

    public static Task<T> NextAsync<T>(this StreamConsumer<T> consumer) => consumer.NextAsync(Timeout);

    /// <summary>Polls a condition until it holds.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Timeout);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out waiting for: {what}");
            await Task.Delay(20);
        }
    }

    /// <summary>Completes within the timeout or fails the test.</summary>
    public static async Task<T> Within<T>(this Task<T> task, TimeSpan? timeout = null)
    {
        await task.WaitAsync(timeout ?? Timeout);
        return await task;
    }

    public static async Task Within(this Task task, TimeSpan? timeout = null) => await task.WaitAsync(timeout ?? Timeout);

    /// <summary>JSON text of a value, for compact assertions (absent is "&lt;absent&gt;").</summary>
    public static string Json(JsonElement? value) => value is { } v ? v.GetRawText() : "<absent>";

    public static JsonElement Data(object? value) => ScCodec.ToData(value);

    /// <summary>Waits until the consumer yields an event of type T matching the predicate, skipping others.</summary>
    public static async Task<T> NextOfAsync<T>(this StreamConsumer<NamedSocketEvent> all, string name, Func<T, bool>? match = null)
        where T : SocketEvent
    {
        while (true)
        {
            var e = await all.NextAsync(Timeout);
            if (e.Name == name && e.Event is T t && (match is null || match(t))) return t;
        }
    }
}
