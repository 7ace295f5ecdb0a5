using System.Text.Json;
using SocketCluster.Client;
using SocketCluster.Client.Tests.Infrastructure;
using SocketCluster.Protocol;

namespace SocketCluster.Client.Tests.Interop;

/// <summary>
/// Outbound batching against real servers (BA-002..BA-004), seen on the wire through a
/// recording relay. Batches are made deterministic by the client's lock (everything sent right after the handshake
/// lands in one batch) or by a BatchInterval far longer than the test, never by timing.
/// </summary>
public sealed class BatchingTests : InteropTest
{
    private static readonly TimeSpan Never = TimeSpan.FromHours(1);

    private static readonly ServerOptions BatchingServer = new()
    {
        BatchOnHandshake = true,
        BatchOnHandshakeDurationMs = 5000, // long enough for a loaded machine; the window only has to cover the test
        BatchIntervalMs = 50,
    };

    private static string NewName(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    /// <summary>Client options through the relay batching on the handshake as in the official server tests of BA-003 and BA-004 (100 ms, interval 50 ms).</summary>
    private static ClientOptions BatchOnHandshakeOptions(RecordingRelay relay, ServerUnderTest server) => relay.ClientOptions(server) with
    {
        BatchOnHandshake = true,
        BatchOnHandshakeDuration = TimeSpan.FromMilliseconds(100),
        BatchInterval = TimeSpan.FromMilliseconds(50),
    };

    private static string Event(JsonElement packet) => packet.GetProperty("event").GetString()!;

    [Theory, MemberData(nameof(Targets))]
    public async Task S54_batchOnHandshake_sends_the_handshake_alone_and_the_pending_subscribes_as_one_array(string target)
    {
        var server = await SharedServerAsync(target);
        await using var relay = await RecordingRelay.StartAsync(server);
        await using var client = SocketClusterClient.Create(BatchOnHandshakeOptions(relay, server));
        var prefix = NewName("s54");
        var names = Enumerable.Range(0, 20).Select(i => i == 12 ? $"conformance.blocked.{prefix}-{i}" : $"{prefix}-{i}").ToArray();
        await using var events = client.AllEvents().CreateConsumer();
        foreach (var (name, i) in names.Select((n, i) => (n, i)))
            client.Subscribe(name, i == 10 ? new SubscribeOptions { Data = TestClients.Data(new { foo = 123 }) } : null);

        client.Connect(); // the subscribes made while closed go out right after the handshake
        var subscribed = new HashSet<string>();
        SubscribeFailEvent? failed = null;
        while (subscribed.Count < 19 || failed is null)
        {
            var e = await events.NextAsync();
            if (e.Channel is not null) continue;
            if (e.Event is SubscribeEvent s) subscribed.Add(s.Channel);
            if (e.Event is SubscribeFailEvent f) failed = f;
        }
        Assert.Equal(names.Where((_, i) => i != 12).Order(), subscribed.Order());
        Assert.Equal(names[12], failed.Channel);
        Assert.Equal("BlockedByConformanceError", Assert.IsAssignableFrom<ScError>(failed.Error).Name);

        var sent = relay.SentByClient;
        Assert.False(sent[0].IsArray);
        Assert.Equal("#handshake", Event(sent[0].Json!.Value));
        var batch = sent[1].Json!.Value;
        Assert.Equal(JsonValueKind.Array, batch.ValueKind);
        Assert.Equal(names, batch.EnumerateArray().Select(p =>
        {
            Assert.Equal("#subscribe", Event(p));
            Assert.Equal(JsonValueKind.Number, p.GetProperty("cid").ValueKind);
            return p.GetProperty("data").GetProperty("channel").GetString();
        }));
        Assert.Equal("""{"foo":123}""", batch[10].GetProperty("data").GetProperty("data").GetRawText());

        // Each element was handled by itself: the server holds exactly the 19 allowed subscriptions.
        var serverSubscriptions = await client.InvokeAsync<string[]>("conformance.subscriptions");
        Assert.Equal(names.Where((_, i) => i != 12).Order(), serverSubscriptions!.Order());
        await using var messages = client.Channel(names[19]).CreateConsumer();
        await client.InvokePublishAsync(names[19], "Hello!");
        Assert.Equal("\"Hello!\"", TestClients.Json(await messages.NextAsync()));
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task S55_batched_subscribe_and_transmitPublish_made_while_closed_still_deliver(string target)
    {
        var server = await SharedServerAsync(target, BatchingServer);
        await using var relay = await RecordingRelay.StartAsync(server);
        await using var client = SocketClusterClient.Create(BatchOnHandshakeOptions(relay, server));
        var name = NewName("s55");
        var channel = client.Subscribe(name);
        await using var messages = channel.CreateConsumer();
        client.TransmitPublish(name, "bar"); // connects the closed socket

        Assert.Equal("\"bar\"", TestClients.Json(await messages.NextAsync()));
        Assert.Equal(ConnectionState.Open, client.State);
        var sent = relay.SentByClient;
        Assert.Equal("#handshake", Event(sent[0].Json!.Value));
        Assert.Equal(["#subscribe", "#publish"], sent[1].Json!.Value.EnumerateArray().Select(Event));
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task StartBatching_sends_mixed_calls_as_one_array_in_call_order_and_each_is_answered(string target)
    {
        var server = await SharedServerAsync(target);
        await using var relay = await RecordingRelay.StartAsync(server);
        await using var client = await TestClients.ConnectAsync(server, o => relay.ClientOptions(server) with { BatchInterval = Never });
        var name = NewName("manual");
        await using var messages = client.Channel(name).CreateConsumer();
        await using var subscribed = client.Channel(name).Listener(ClientEvents.Subscribe).CreateConsumer();

        client.StartBatching();
        Assert.True(client.IsBatching);
        Assert.True(client.IsBufferingBatch);
        var first = client.InvokeAsync<int>("conformance.echo", 1);
        client.Transmit("batchedEvent", "a");
        client.Subscribe(name);
        var second = client.InvokeAsync<int>("conformance.echo", 2);
        client.Transmit("batchedEvent", "b");
        client.TransmitPublish(name, "published in the batch");
        client.StopBatching();
        Assert.False(client.IsBatching);
        Assert.False(client.IsBufferingBatch);

        Assert.Equal(1, await first.Within());
        Assert.Equal(2, await second.Within());
        await subscribed.NextAsync();
        Assert.Equal("\"published in the batch\"", TestClients.Json(await messages.NextAsync()));
        var received = await client.InvokeAsync("conformance.received", new { @event = "batchedEvent" });
        Assert.Equal("""["a","b"]""", TestClients.Json(received));

        var batch = Assert.Single(relay.SentByClient, f => f.IsArray).Json!.Value;
        Assert.Equal(["conformance.echo", "batchedEvent", "#subscribe", "conformance.echo", "batchedEvent", "#publish"],
            batch.EnumerateArray().Select(Event));
        var cids = batch.EnumerateArray().Where(p => p.TryGetProperty("cid", out _)).Select(p => p.GetProperty("cid").GetInt64()).ToList();
        Assert.Equal(cids.Order(), cids);
        Assert.Equal(3, cids.Distinct().Count());
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task Manual_batching_resumes_after_a_reconnect_with_the_handshake_alone(string target)
    {
        var server = await SharedServerAsync(target);
        await using var relay = await RecordingRelay.StartAsync(server);
        await using var client = await TestClients.ConnectAsync(server, o => relay.ClientOptions(server) with
        {
            BatchInterval = TimeSpan.FromMilliseconds(100),
        });
        client.StartBatching();
        await using var connects = client.Listener(ClientEvents.Connect).CreateConsumer();
        client.Reconnect();
        await connects.NextAsync();
        Assert.True(client.IsBatching);

        client.Transmit("afterReconnect", 1);
        client.Transmit("afterReconnect", 2);
        await TestClients.UntilAsync(() => relay.SentByClient.Where(f => f.Connection == 2 && f.IsArray)
            .Sum(f => f.Json!.Value.GetArrayLength()) == 2, "both transmits batched on the second connection");
        var second = relay.SentByClient.Where(f => f.Connection == 2).ToList();
        Assert.Equal("#handshake", Event(second[0].Json!.Value));
        Assert.False(second[0].IsArray);
        Assert.All(second.Skip(1), f => Assert.True(f.IsArray, $"not batched: {f}"));
        Assert.Equal([1, 2], second.Skip(1).SelectMany(f => f.Json!.Value.EnumerateArray()).Select(p => p.GetProperty("data").GetInt32()));

        client.StopBatching();
        var received = await client.InvokeAsync("conformance.received", new { @event = "afterReconnect" });
        Assert.Equal("[1,2]", TestClients.Json(received));
        Assert.False(relay.SentByClient[^1].IsArray); // after StopBatching, the invoke went out alone
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task BA002_the_client_handles_the_batched_responses_of_a_batching_server(string target)
    {
        var server = await SharedServerAsync(target, BatchingServer);
        await using var relay = await RecordingRelay.StartAsync(server);
        await using var client = SocketClusterClient.Create(relay.ClientOptions(server));
        var prefix = NewName("ba002");
        var names = Enumerable.Range(0, 20).Select(i => $"{prefix}-{i}").ToArray();
        await using var events = client.Listener<SubscribeEvent>(ClientEvents.Subscribe).CreateConsumer();
        foreach (var name in names) client.Subscribe(name);
        var echo = client.InvokeAsync<string>("conformance.echo", "batched answer");

        client.Connect();
        var subscribed = new HashSet<string>();
        while (subscribed.Count < names.Length) subscribed.Add((await events.NextAsync()).Channel);
        Assert.Equal("batched answer", await echo.Within());

        var fromServer = relay.SentByServer;
        Assert.False(fromServer[0].IsArray); // the handshake response is never batched
        Assert.True(fromServer[0].Json!.Value.TryGetProperty("rid", out _));
        var responses = fromServer.Skip(1).Where(f => f.IsArray).SelectMany(f => f.Json!.Value.EnumerateArray()).ToList();
        Assert.Equal(21, responses.Count(p => p.TryGetProperty("rid", out _)));
    }
}
