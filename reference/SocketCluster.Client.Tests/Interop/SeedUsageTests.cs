using System.Text.Json;
using SocketCluster.Client;
using SocketCluster.Client.Tests.Infrastructure;
using SocketCluster.Protocol;

namespace SocketCluster.Client.Tests.Interop;

/// <summary>Every [Client] operation of the Basic-usage guide (the seed), against each server target.</summary>
public sealed class SeedUsageTests : InteropTest
{
    [Theory, MemberData(nameof(Targets))]
    public async Task Connect_to_the_server_reaches_open_with_the_handshake_status(string target)
    {
        var server = await SharedServerAsync(target);
        var client = SocketClusterClient.Create(server.ClientOptions() with { AutoConnect = false });
        await using var _ = client;
        await using var connects = client.Listener<ConnectEvent>(ClientEvents.Connect).CreateConsumer();
        client.Connect();
        Assert.Equal(ConnectionState.Connecting, client.State);
        var connect = await connects.NextAsync();

        Assert.Equal(ConnectionState.Open, client.State);
        Assert.False(string.IsNullOrEmpty(connect.Id));
        Assert.Equal(connect.Id, client.Id);
        Assert.Equal(TimeSpan.FromMilliseconds(server.Options.PingTimeoutMs), client.PingTimeout);
        Assert.False(connect.IsAuthenticated);
        Assert.Null(connect.AuthError);

        var hello = await client.InvokeAsync("conformance.hello");
        Assert.Equal(client.Id, hello!.Value.GetProperty("socketId").GetString());
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task Transmit_reaches_the_server_receiver(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = await TestClients.ConnectAsync(server);

        client.Transmit("customRemoteEvent", 123);
        client.Transmit("customRemoteEvent");
        client.Transmit("customRemoteEvent", ScCodec.NullElement);

        var received = await client.InvokeAsync("conformance.received",
            new { @event = "customRemoteEvent", withPresence = true });
        Assert.Equal("""[{"data":123},{},{"data":null}]""", TestClients.Json(received));
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task Invoke_resolves_with_the_response_data(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = await TestClients.ConnectAsync(server);

        var result = await client.InvokeAsync<string>("customProc", new { foo = "bar" });
        Assert.Equal("Success", result);
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task Invoke_rejects_with_the_remote_error_name_and_message(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = await TestClients.ConnectAsync(server);

        var error = await Assert.ThrowsAsync<ScRemoteException>(() => client.InvokeAsync("customProc", new { bad = true }));
        Assert.Equal("BadCustomError", error.Name);
        Assert.Equal("Server failed to execute the procedure", error.Message);
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task Invoke_keeps_absent_and_null_data_apart(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = await TestClients.ConnectAsync(server);

        Assert.Null(await client.InvokeAsync("conformance.echo"));
        Assert.Equal("null", TestClients.Json(await client.InvokeAsync("conformance.echo", ScCodec.NullElement)));
        Assert.Equal("""{"a":[1,2]}""", TestClients.Json(await client.InvokeAsync("conformance.echo", new { a = new[] { 1, 2 } })));
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task Subscribe_and_watch_for_messages(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = await TestClients.ConnectAsync(server);
        var name = "foo-" + Guid.NewGuid().ToString("N");

        var channel = await TestClients.SubscribedAsync(client, name);
        await using var messages = channel.CreateConsumer();
        Assert.Equal(ChannelState.Subscribed, channel.State);

        await client.InvokeAsync("conformance.publish", new { channel = name, data = "from the server" });
        Assert.Equal("\"from the server\"", TestClients.Json(await messages.NextAsync()));
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task Subscribe_channel_is_an_async_stream_for_await_foreach(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = await TestClients.ConnectAsync(server);
        var name = "foo-" + Guid.NewGuid().ToString("N");
        var channel = await TestClients.SubscribedAsync(client, name);

        var received = new List<string>();
        var loop = Task.Run(async () =>
        {
            await foreach (var data in channel)
            {
                received.Add(TestClients.Json(data));
                if (received.Count == 2) break;
            }
        });
        // Like `for await` in JS, the loop receives what is published after it started consuming.
        await TestClients.UntilAsync(() => client.HasChannelConsumer(name), "loop started");
        client.TransmitPublish(name, "one");
        client.TransmitPublish(name, "two");
        await loop.Within();
        Assert.Equal(["\"one\"", "\"two\""], received);
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task TransmitPublish_on_the_socket_and_on_the_channel(string target)
    {
        var server = await SharedServerAsync(target);
        await using var publisher = await TestClients.ConnectAsync(server);
        await using var subscriber = await TestClients.ConnectAsync(server);
        var name = "foo-" + Guid.NewGuid().ToString("N");
        var channel = await TestClients.SubscribedAsync(subscriber, name);
        await using var messages = channel.CreateConsumer();

        publisher.TransmitPublish(name, "This is some data");
        publisher.Channel(name).TransmitPublish("This is some data too");

        Assert.Equal("\"This is some data\"", TestClients.Json(await messages.NextAsync()));
        Assert.Equal("\"This is some data too\"", TestClients.Json(await messages.NextAsync()));
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task InvokePublish_on_the_socket_and_on_the_channel_is_acknowledged(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = await TestClients.ConnectAsync(server);
        var name = "foo-" + Guid.NewGuid().ToString("N");
        var channel = await TestClients.SubscribedAsync(client, name);
        await using var messages = channel.CreateConsumer();

        await client.InvokePublishAsync(name, "This is some more data").Within();
        await client.Channel(name).InvokePublishAsync("and more").Within();

        // The publisher is subscribed, so it receives its own publications (PS-008).
        Assert.Equal("\"This is some more data\"", TestClients.Json(await messages.NextAsync()));
        Assert.Equal("\"and more\"", TestClients.Json(await messages.NextAsync()));
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task InvokePublish_to_a_blocked_channel_rejects_with_the_middleware_error(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = await TestClients.ConnectAsync(server);

        var error = await Assert.ThrowsAnyAsync<ScError>(() => client.InvokePublishAsync("conformance.blocked.x", 1));
        Assert.Equal("BlockedByConformanceError", error.Name);
        Assert.Equal("Channel conformance.blocked.x is blocked by the conformance fixture", error.Message);
    }
}
