using System.Text.Json;
using SocketCluster.Server.Tests.Infrastructure;

namespace SocketCluster.Server.Tests;

public sealed class PubSubTests
{
    [Fact]
    public async Task Subscribe_then_publish_the_subscribed_publisher_receives_its_own_publication()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = await host.ConnectOpenAsync();
        Assert.Equal("""{"rid":2}""", (await client.InvokeAsync("#subscribe", new { channel = "foo" })).GetRawText());
        var skipped = new List<string>();
        var ack = await client.InvokeAsync("#publish", new { channel = "foo", data = 123 }, skipped: skipped);
        Assert.Equal("""{"rid":3}""", ack.GetRawText());
        // The own delivery went out just before the acknowledgement.
        Assert.Equal(["""{"event":"#publish","data":{"channel":"foo","data":123}}"""], skipped);
    }

    [Fact]
    public async Task A_publish_without_cid_is_delivered_and_never_acknowledged()
    {
        await using var host = await TestHost.StartAsync();
        await using var subscriber = await host.ConnectOpenAsync();
        await using var publisher = await host.ConnectOpenAsync();
        await subscriber.InvokeAsync("#subscribe", new { channel = "news" });
        await publisher.TransmitAsync("#publish", new { channel = "news", data = "hi" });
        await publisher.TransmitAsync("#publish", new { channel = "news" });
        Assert.Equal("""{"event":"#publish","data":{"channel":"news","data":"hi"}}""", await subscriber.ReceiveAsync());
        Assert.Equal("""{"event":"#publish","data":{"channel":"news"}}""", await subscriber.ReceiveAsync());
        await publisher.AssertNoFrameAsync();
    }

    [Fact]
    public async Task Unsubscribe_stops_deliveries_and_unsubscribing_twice_is_a_BrokerError()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = await host.ConnectOpenAsync();
        await client.InvokeAsync("#subscribe", new { channel = "a" });
        Assert.Equal("""{"rid":3}""", (await client.InvokeAsync("#unsubscribe", "a")).GetRawText());
        var again = await client.InvokeAsync("#unsubscribe", "a");
        var error = again.GetProperty("error");
        Assert.Equal("BrokerError", error.GetProperty("name").GetString());
        Assert.Matches("^Failed to unsubscribe socket from the a channel - InvalidActionError: Socket [A-Za-z0-9_-]{20} tried to unsubscribe from a channel which it is not subscribed to$",
            error.GetProperty("message").GetString());
        host.Server.Exchange.TransmitPublish("a", 1);
        await client.AssertNoFrameAsync();
    }

    [Fact]
    public async Task Unsubscribe_without_cid_is_silent()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = await host.ConnectOpenAsync();
        await client.InvokeAsync("#subscribe", new { channel = "a" });
        await client.TransmitAsync("#unsubscribe", "a");
        await client.TransmitAsync("#unsubscribe", "a");
        await client.AssertNoFrameAsync();
        Assert.Empty(host.Server.Clients.Values.Single().Subscriptions());
    }

    [Fact]
    public async Task A_subscribe_without_cid_subscribes_nothing()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = await host.ConnectOpenAsync();
        await client.TransmitAsync("#subscribe", new { channel = "nocid" });
        await client.InvokeAsync("#subscribe", new { channel = "marker" }); // processed after the transmit
        host.Server.Exchange.TransmitPublish("nocid", 1);
        await client.AssertNoFrameAsync();
    }

    [Fact]
    public async Task Malformed_pubsub_requests_get_the_official_errors_and_the_socket_keeps_working()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = await host.ConnectOpenAsync();
        (string Event, string Data, string Message)[] cases =
        [
            ("#subscribe", "[null]", "Subscribe channel name was malformatted"),
            ("#subscribe", """{"channel":{}}""", "Subscribe channel name was malformatted"),
            ("#subscribe", "null", "Subscribe channel name was malformatted"),
            ("#unsubscribe", "[null]", "Unsubscribe channel name was malformatted"),
            ("#publish", "null", "Publish channel name was malformatted"),
            ("#publish", """{"channel":{}}""", "Publish channel name was malformatted"),
            ("#publish", """{"channel":null}""", "Publish channel name was malformatted"),
        ];
        foreach (var (name, data, message) in cases)
        {
            var cid = client.NextCid();
            await client.SendAsync($$"""{"event":"{{name}}","data":{{data}},"cid":{{cid}}}""");
            var response = await client.ReceiveResponseAsync(cid);
            Assert.Equal("{\"rid\":" + cid + ",\"error\":{\"message\":\"" + message + "\",\"name\":\"InvalidActionError\"}}", response.GetRawText());
        }
        Assert.Equal("""{"rid":9}""", (await client.InvokeAsync("#subscribe", new { channel = "fine" })).GetRawText());
    }

    [Fact]
    public async Task KickOut_sends_one_frame_per_channel_and_unsubscribes()
    {
        await using var host = await TestHost.StartAsync();
        var connection = host.NextConnectionAsync();
        await using var client = await host.ConnectOpenAsync();
        var socket = await connection;
        await client.InvokeAsync("#subscribe", new { channel = "a" });
        await client.InvokeAsync("#subscribe", new { channel = "b" });

        await socket.KickOutAsync("a", "bye").WithTimeout();
        Assert.Equal("""{"event":"#kickOut","data":{"channel":"a","message":"bye"}}""", await client.ReceiveAsync());
        Assert.Equal(["b"], socket.Subscriptions());

        await socket.KickOutAsync().WithTimeout();
        Assert.Equal("""{"event":"#kickOut","data":{"channel":"b"}}""", await client.ReceiveAsync());
        Assert.Empty(socket.Subscriptions());

        // Kicking out of a channel not held still sends the frame, then fails.
        var error = await Assert.ThrowsAsync<SocketCluster.Protocol.ScError>(() => socket.KickOutAsync("zzz").WithTimeout());
        Assert.Equal("InvalidActionError", error.Name);
        Assert.Equal("""{"event":"#kickOut","data":{"channel":"zzz"}}""", await client.ReceiveAsync());
    }

    [Fact]
    public async Task SocketChannelLimit_refuses_subscriptions_beyond_the_limit_even_for_a_held_channel()
    {
        await using var host = await TestHost.StartAsync(o => o.SocketChannelLimit = 2);
        await using var client = await host.ConnectOpenAsync();
        await client.InvokeAsync("#subscribe", new { channel = "a" });
        await client.InvokeAsync("#subscribe", new { channel = "b" });
        foreach (var channel in new[] { "c", "a" })
        {
            var error = (await client.InvokeAsync("#subscribe", new { channel })).GetProperty("error");
            Assert.Equal("BrokerError", error.GetProperty("name").GetString());
            Assert.Matches($"^Failed to subscribe socket to the {channel} channel - InvalidActionError: Socket [A-Za-z0-9_-]{{20}} tried to exceed the channel subscription limit of 2$",
                error.GetProperty("message").GetString());
        }
    }

    [Fact]
    public async Task With_allowClientPublish_off_client_publishes_are_refused()
    {
        await using var host = await TestHost.StartAsync(o => o.AllowClientPublish = false);
        await using var client = await host.ConnectOpenAsync();
        await client.InvokeAsync("#subscribe", new { channel = "a" });
        var response = await client.InvokeAsync("#publish", new { channel = "a", data = 1 });
        Assert.Equal("""{"rid":3,"error":{"message":"Client publish feature is disabled","name":"InvalidActionError"}}""", response.GetRawText());
        await client.TransmitAsync("#publish", new { channel = "a", data = 2 });
        await client.AssertNoFrameAsync();
        // The server may still publish.
        host.Server.Exchange.TransmitPublish("a", 3);
        Assert.Equal("""{"event":"#publish","data":{"channel":"a","data":3}}""", await client.ReceiveAsync());
    }

    [Fact]
    public async Task Exchange_publishes_with_and_without_acknowledgement_reach_every_subscriber()
    {
        await using var host = await TestHost.StartAsync();
        await using var one = await host.ConnectOpenAsync();
        await using var two = await host.ConnectOpenAsync();
        await one.InvokeAsync("#subscribe", new { channel = "bar" });
        await two.InvokeAsync("#subscribe", new { channel = "bar" });
        host.Server.Exchange.TransmitPublish("bar", "hello1");
        await host.Server.Exchange.InvokePublishAsync("bar", new { n = 2 }).WithTimeout();
        host.Server.Exchange.TransmitPublish("bar");
        foreach (var client in new[] { one, two })
        {
            Assert.Equal("""{"event":"#publish","data":{"channel":"bar","data":"hello1"}}""", await client.ReceiveAsync());
            Assert.Equal("""{"event":"#publish","data":{"channel":"bar","data":{"n":2}}}""", await client.ReceiveAsync());
            Assert.Equal("""{"event":"#publish","data":{"channel":"bar"}}""", await client.ReceiveAsync());
        }
    }

    [Fact]
    public async Task Exchange_subscriptions_receive_client_publications_in_order()
    {
        await using var host = await TestHost.StartAsync();
        await using var channel = await host.Server.Exchange.SubscribeAsync("foo");
        Assert.True(host.Server.Exchange.IsSubscribed("foo"));
        Assert.Equal(["foo"], host.Server.Exchange.Subscriptions());
        await using var client = await host.ConnectOpenAsync();
        await client.TransmitAsync("#publish", new { channel = "foo", data = "hi1" });
        await client.TransmitAsync("#publish", new { channel = "foo", data = "hi2" });
        var received = new List<string>();
        await foreach (var data in channel)
        {
            received.Add(data!.Value.GetString()!);
            if (received.Count == 2) break;
        }
        Assert.Equal(["hi1", "hi2"], received);
    }

    [Fact]
    public async Task Subscribe_events_carry_the_subscription_options_and_unsubscriptions_follow_a_disconnect()
    {
        await using var host = await TestHost.StartAsync();
        var subscriptions = host.Server.Listener(ServerEvents.Subscription).CreateConsumer();
        var unsubscriptions = host.Server.Listener(ServerEvents.Unsubscription).CreateConsumer();
        var client = await host.ConnectOpenAsync();
        await client.InvokeAsync("#subscribe", new { channel = "opt", data = new { k = 1 }, waitForAuth = true });
        var e = await subscriptions.NextAsync(Waits.Long);
        Assert.Equal("opt", e.Channel);
        Assert.Equal("""{"data":{"k":1},"waitForAuth":true}""", e.SubscriptionOptions!.ToJsonString());
        await client.DisposeAsync();
        Assert.Equal("opt", (await unsubscriptions.NextAsync(Waits.Long)).Channel);
    }

    [Fact]
    public async Task Many_sockets_each_get_a_publication_once()
    {
        await using var host = await TestHost.StartAsync();
        var clients = new List<RawClient>();
        for (var i = 0; i < 20; i++)
        {
            var c = await host.ConnectOpenAsync();
            await c.InvokeAsync("#subscribe", new { channel = "all" });
            clients.Add(c);
        }
        await host.Server.Exchange.InvokePublishAsync("all", "x");
        foreach (var c in clients)
        {
            var frame = JsonDocument.Parse(await c.ReceiveAsync()).RootElement;
            Assert.Equal("x", frame.GetProperty("data").GetProperty("data").GetString());
            await c.AssertNoFrameAsync(TimeSpan.FromMilliseconds(50));
            await c.DisposeAsync();
        }
    }
}
