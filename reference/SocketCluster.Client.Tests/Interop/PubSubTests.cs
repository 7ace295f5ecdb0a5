using System.Text.Json;
using SocketCluster.Client;
using SocketCluster.Client.Tests.Infrastructure;
using SocketCluster.Protocol;

namespace SocketCluster.Client.Tests.Interop;

/// <summary>Channels: states, kickOut, unsubscribe, failures, resubscription and the client suite's pub/sub cases.</summary>
public sealed class PubSubTests : InteropTest
{
    private static string NewName(string prefix = "ch") => $"{prefix}-{Guid.NewGuid():N}";

    private static async Task<string[]> ServerSubscriptionsAsync(ClientSocket client) =>
        (await client.InvokeAsync<string[]>("conformance.subscriptions"))!;

    [Theory, MemberData(nameof(Targets))]
    public async Task Channel_states_pending_subscribed_unsubscribed(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = await TestClients.ConnectAsync(server);
        var name = NewName();
        await using var subscribed = client.Channel(name).Listener(ClientEvents.Subscribe).CreateConsumer();
        await using var stateChanges = client.Channel(name).Listener<SubscribeStateChangeEvent>(ClientEvents.SubscribeStateChange).CreateConsumer();

        Assert.Equal(ChannelState.Unsubscribed, client.GetChannelState(name));
        var channel = client.Subscribe(name);
        // Pending until the server acknowledges; on loopback the ack may already be in, so the pending state is
        // asserted through the pending → subscribed state change below rather than by sampling it here.
        Assert.Contains(channel.State, new[] { ChannelState.Pending, ChannelState.Subscribed });
        Assert.True(client.IsSubscribed(name, includePending: true));
        Assert.Contains(name, client.Subscriptions(includePending: true));

        // A channel listener's events name their channel (issue 12: Channel was null there).
        Assert.Equal(name, Assert.IsType<SubscribeEvent>(await subscribed.NextAsync()).Channel);
        var change = await stateChanges.NextAsync();
        Assert.Equal(name, change.Channel);
        Assert.Equal((ChannelState.Pending, ChannelState.Subscribed), (change.OldChannelState, change.NewChannelState));
        Assert.True(channel.IsSubscribed());
        Assert.Contains(name, client.Subscriptions());
        Assert.Contains(name, await ServerSubscriptionsAsync(client));
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task Unsubscribe_drops_the_channel_locally_and_on_the_server(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = await TestClients.ConnectAsync(server);
        var name = NewName();
        var other = NewName();
        var channel = await TestClients.SubscribedAsync(client, name);
        var otherChannel = await TestClients.SubscribedAsync(client, other);
        await using var messages = channel.CreateConsumer();
        await using var otherMessages = otherChannel.CreateConsumer();
        await using var unsubscribes = client.Listener<UnsubscribeEvent>(ClientEvents.Unsubscribe).CreateConsumer();

        client.Unsubscribe(name);
        Assert.Equal(ChannelState.Unsubscribed, channel.State);
        Assert.Equal(name, (await unsubscribes.NextAsync()).Channel);
        Assert.DoesNotContain(name, await ServerSubscriptionsAsync(client));

        // Publications to the dropped channel no longer arrive; the other channel's do, after it in order.
        await client.InvokeAsync("conformance.publish", new { channel = name, data = "lost" });
        await client.InvokeAsync("conformance.publish", new { channel = other, data = "kept" });
        Assert.Equal("\"kept\"", TestClients.Json(await otherMessages.NextAsync()));
        Assert.False(messages.TryRead(out _));
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task KickOut_with_a_message_removes_the_channel_without_unsubscribing_back(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = await TestClients.ConnectAsync(server);
        var name = NewName();
        var channel = await TestClients.SubscribedAsync(client, name);
        await using var kicks = client.Listener<KickOutEvent>(ClientEvents.KickOut).CreateConsumer();
        await using var channelKicks = channel.Listener<KickOutEvent>(ClientEvents.KickOut).CreateConsumer();
        await using var channelUnsubscribes = channel.Listener(ClientEvents.Unsubscribe).CreateConsumer();

        await client.InvokeAsync("conformance.kickOut", new { channel = name, message = "bye" });
        var kick = await kicks.NextAsync();
        Assert.Equal(name, kick.Channel);
        Assert.Equal("\"bye\"", TestClients.Json(kick.Message));
        var channelKick = await channelKicks.NextAsync();
        Assert.Equal((name, "\"bye\""), (channelKick.Channel, TestClients.Json(channelKick.Message)));
        Assert.Equal(name, Assert.IsType<UnsubscribeEvent>(await channelUnsubscribes.NextAsync()).Channel);
        Assert.Equal(ChannelState.Unsubscribed, channel.State);
        Assert.DoesNotContain(name, client.Subscriptions(includePending: true));
        Assert.DoesNotContain(name, await ServerSubscriptionsAsync(client));
        Assert.Equal(ConnectionState.Open, client.State);
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task KickOut_without_a_message_has_no_message(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = await TestClients.ConnectAsync(server);
        var name = NewName();
        await TestClients.SubscribedAsync(client, name);
        await using var kicks = client.Listener<KickOutEvent>(ClientEvents.KickOut).CreateConsumer();

        await client.InvokeAsync("conformance.kickOut", new { channel = name });
        Assert.Null((await kicks.NextAsync()).Message);
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task KickOut_for_a_channel_the_client_does_not_know_is_ignored(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = await TestClients.ConnectAsync(server);
        await using var kicks = client.Listener<KickOutEvent>(ClientEvents.KickOut).CreateConsumer();
        var error = await Assert.ThrowsAnyAsync<ScError>(() => client.InvokeAsync("conformance.kickOut", new { channel = NewName() }));
        Assert.Equal(ScErrorNames.InvalidActionError, error.Name);
        await client.FlushEventsAsync();
        Assert.False(kicks.TryRead(out _));
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task Blocked_subscribe_fails_with_the_middleware_error_and_drops_the_channel(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = await TestClients.ConnectAsync(server);
        var name = "conformance.blocked." + Guid.NewGuid().ToString("N");
        await using var fails = client.Listener<SubscribeFailEvent>(ClientEvents.SubscribeFail).CreateConsumer();
        await using var channelFails = client.Channel(name).Listener<SubscribeFailEvent>(ClientEvents.SubscribeFail).CreateConsumer();

        var channel = client.Subscribe(name);
        var fail = await fails.NextAsync();
        Assert.Equal(name, fail.Channel);
        var error = Assert.IsAssignableFrom<ScError>(fail.Error);
        Assert.Equal("BlockedByConformanceError", error.Name);
        Assert.Equal($"Channel {name} is blocked by the conformance fixture", error.Message);
        Assert.Equal(name, (await channelFails.NextAsync()).Channel);
        Assert.Equal(ChannelState.Unsubscribed, channel.State);
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task Silently_blocked_subscribe_fails_with_SilentMiddlewareBlockedError(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = await TestClients.ConnectAsync(server);
        await using var fails = client.Listener<SubscribeFailEvent>(ClientEvents.SubscribeFail).CreateConsumer();

        client.Subscribe("conformance.silent." + Guid.NewGuid().ToString("N"));
        var error = Assert.IsAssignableFrom<ScError>((await fails.NextAsync()).Error);
        Assert.Equal(ScErrorNames.SilentMiddlewareBlockedError, error.Name);
        Assert.Equal("The subscribe AGAction was blocked by inbound middleware", error.Message);
        Assert.Equal("inbound", error["type"]!.GetValue<string>());
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task Publication_without_data_and_with_null_are_distinct(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = await TestClients.ConnectAsync(server);
        var name = NewName();
        var channel = await TestClients.SubscribedAsync(client, name);
        await using var messages = channel.CreateConsumer();

        await client.InvokeAsync("conformance.publish", new { channel = name });
        await client.InvokeAsync("conformance.publish", new { channel = name, data = (object?)null });
        Assert.Null(await messages.NextAsync());
        Assert.Equal("null", TestClients.Json(await messages.NextAsync()));
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task C23_a_second_client_publishes_in_order_and_close_ends_the_iteration(string target)
    {
        var server = await SharedServerAsync(target);
        await using var subscriber = await TestClients.ConnectAsync(server);
        await using var publisher = await TestClients.ConnectAsync(server);
        var name = NewName("foo");
        var channel = await TestClients.SubscribedAsync(subscriber, name);

        var received = new List<string>();
        var loop = Task.Run(async () => { await foreach (var data in channel) received.Add(TestClients.Json(data)); });
        await TestClients.UntilAsync(() => subscriber.HasChannelConsumer(name), "loop started");

        publisher.TransmitPublish(name, "hello");
        publisher.TransmitPublish(name, "world");
        publisher.TransmitPublish(name, new { abc = 123 });
        await TestClients.UntilAsync(() => received.Count == 3, "three publications");
        channel.Close();
        await loop.Within();
        Assert.Equal(["\"hello\"", "\"world\"", """{"abc":123}"""], received);
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task C24_publications_from_channel_objects_arrive_in_order(string target)
    {
        var server = await SharedServerAsync(target);
        await using var subscriber = await TestClients.ConnectAsync(server);
        await using var publisher = await TestClients.ConnectAsync(server);
        var name = NewName("bar");
        var channel = await TestClients.SubscribedAsync(subscriber, name);
        await using var messages = channel.CreateConsumer();

        var publishing = publisher.Channel(name);
        await publishing.InvokePublishAsync("hi");
        await publishing.InvokePublishAsync("world");
        await publishing.InvokePublishAsync(new { def = 123 });
        Assert.Equal("\"hi\"", TestClients.Json(await messages.NextAsync()));
        Assert.Equal("\"world\"", TestClients.Json(await messages.NextAsync()));
        Assert.Equal("""{"def":123}""", TestClients.Json(await messages.NextAsync()));
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task C29_channel_unsubscribe_listener_fires_before_the_socket_disconnect(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = await TestClients.ConnectAsync(server);
        var name = NewName();
        var channel = await TestClients.SubscribedAsync(client, name);
        await using var all = client.AllEvents().CreateConsumer();

        client.Disconnect();
        var order = new List<string>();
        while (!order.Contains(ClientEvents.Disconnect)) order.Add((await all.NextAsync()).Name);
        Assert.True(order.IndexOf($"{name}/{ClientEvents.Unsubscribe}") is >= 0 and var i && i < order.IndexOf(ClientEvents.Disconnect),
            string.Join(", ", order));
        Assert.Equal(ChannelState.Pending, channel.State); // kept as an intention for the next connection
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task C39_fifty_publications_arrive_in_order_and_buffer_as_backpressure(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = await TestClients.ConnectAsync(server);
        var name = NewName("bar");
        var channel = await TestClients.SubscribedAsync(client, name);
        await using var messages = channel.CreateConsumer();

        for (var i = 0; i < 50; i++) client.TransmitPublish(name, $"hello{i}");
        await TestClients.UntilAsync(() => messages.Backpressure == 50, "50 buffered");
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(50 - i, messages.Backpressure);
            Assert.Equal($"\"hello{i}\"", TestClients.Json(await messages.NextAsync()));
        }
        Assert.Equal(0, messages.Backpressure);
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task Channels_are_resubscribed_after_a_reconnect_in_descending_priority(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = await TestClients.ConnectAsync(server);
        var low = NewName("low");
        var high = NewName("high");
        var mid = NewName("mid");
        await TestClients.SubscribedAsync(client, low, new SubscribeOptions { Priority = 1 });
        await TestClients.SubscribedAsync(client, high, new SubscribeOptions { Priority = 5 });
        await TestClients.SubscribedAsync(client, mid, new SubscribeOptions { Priority = 3 });
        await using var requests = client.Listener<SubscribeRequestEvent>(ClientEvents.SubscribeRequest).CreateConsumer();
        await using var connects = client.Listener(ClientEvents.Connect).CreateConsumer();

        client.Reconnect();
        await connects.NextAsync();
        Assert.Equal([high, mid, low], [(await requests.NextAsync()).Channel, (await requests.NextAsync()).Channel, (await requests.NextAsync()).Channel]);
        await TestClients.UntilAsync(() => client.Subscriptions().Count == 3, "resubscribed");
        Assert.Equal(new[] { high, low, mid }.Order(), (await ServerSubscriptionsAsync(client)).Order());
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task Channel_prefix_is_added_on_the_wire_and_stripped_from_deliveries(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = await TestClients.ConnectAsync(server, o => o with { ChannelPrefix = "pre-" });
        var name = NewName();
        var channel = await TestClients.SubscribedAsync(client, name);
        await using var messages = channel.CreateConsumer();

        Assert.Contains("pre-" + name, await ServerSubscriptionsAsync(client));
        await client.InvokeAsync("conformance.publish", new { channel = "pre-" + name, data = 1 });
        Assert.Equal("1", TestClients.Json(await messages.NextAsync()));
        await client.InvokePublishAsync(name, 2); // published as pre-<name>
        Assert.Equal("2", TestClients.Json(await messages.NextAsync()));
    }
}
