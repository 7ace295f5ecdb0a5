using SocketCluster.Client;
using SocketCluster.Client.Tests.Infrastructure;
using SocketCluster.Protocol;

namespace SocketCluster.Client.Tests.Interop;

/// <summary>The official offline queue: calls before the connection is open (RC-008, RC-009, PS-014).</summary>
public sealed class OfflineQueueTests : InteropTest
{
    [Theory, MemberData(nameof(Targets))]
    public async Task Invoke_on_a_closed_socket_connects_and_resolves(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = SocketClusterClient.Create(server.ClientOptions());
        Assert.Equal(ConnectionState.Closed, client.State);
        var result = await client.InvokeAsync<string>("customProc", new { foo = "bar" });
        Assert.Equal("Success", result);
        Assert.Equal(ConnectionState.Open, client.State);
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task Queued_transmits_are_delivered_in_call_order(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = SocketClusterClient.Create(server.ClientOptions());
        client.Transmit("ordered", "a");
        client.Transmit("ordered", "b");
        client.Transmit("ordered", "c");
        var received = await client.InvokeAsync("conformance.received", new { @event = "ordered" });
        Assert.Equal("""["a","b","c"]""", TestClients.Json(received));
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task S44_subscribe_and_invokePublish_while_closed_deliver_exactly_once(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = SocketClusterClient.Create(server.ClientOptions());
        var name = "s44-" + Guid.NewGuid().ToString("N");
        var channel = client.Subscribe(name);
        await using var messages = channel.CreateConsumer();

        await client.InvokePublishAsync(name, 123);
        Assert.Equal(ConnectionState.Open, client.State);
        Assert.Equal("123", TestClients.Json(await messages.NextAsync()));
        await Task.Delay(300);
        Assert.False(messages.TryRead(out _));
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task S55_subscribe_and_transmitPublish_while_closed_deliver(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = SocketClusterClient.Create(server.ClientOptions());
        var name = "s55-" + Guid.NewGuid().ToString("N");
        var channel = client.Subscribe(name);
        await using var messages = channel.CreateConsumer();
        client.TransmitPublish(name, "bar"); // the #subscribe goes out first, right after the handshake
        Assert.Equal("\"bar\"", TestClients.Json(await messages.NextAsync()));
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task Queued_calls_outliving_their_ackTimeout_time_out_or_are_dropped(string target)
    {
        var server = await SharedServerAsync(target);
        var store = new SlowTokenStore(); // holds the handshake until released
        await using var client = SocketClusterClient.Create(server.ClientOptions() with { AuthEngine = store });
        await using var connects = client.Listener(ClientEvents.Connect).CreateConsumer();
        var shortWait = new CallOptions { AckTimeout = TimeSpan.FromMilliseconds(300) };

        var invoking = client.InvokeAsync("conformance.echo", 1, shortWait);
        client.Transmit("queued", "dropped", shortWait);
        client.Transmit("queued", "kept");
        var error = await Assert.ThrowsAnyAsync<ScError>(() => invoking); // still queued: the handshake is held
        Assert.Equal(ScErrorNames.TimeoutError, error.Name);
        Assert.Equal("Event response for conformance.echo event timed out", error.Message);
        await Task.Delay(500); // the transmit's own 300 ms timer started a moment after the invoke's

        store.Release();
        await connects.NextAsync();
        var received = await client.InvokeAsync("conformance.received", new { @event = "queued" });
        Assert.Equal("""["kept"]""", TestClients.Json(received));
    }
}
