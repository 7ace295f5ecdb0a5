using System.Net.WebSockets;
using Microsoft.Extensions.Time.Testing;
using SocketCluster.Client;
using SocketCluster.Client.Tests.Infrastructure;
using SocketCluster.Protocol;

namespace SocketCluster.Client.Tests.Robustness;

/// <summary>
/// The exact frames of outbound batching (BA-003, BA-004), read by a scripted server. The batching
/// timers run on a fake clock advanced by hand, so what lands in which batch never depends on the machine's speed.
/// </summary>
public sealed class BatchingWireTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    private sealed class Setup : IAsyncDisposable
    {
        public required ScriptedServer Server { get; init; }
        public required ClientSocket Client { get; init; }
        public required FakeTimeProvider Time { get; init; }
        public ScriptedConnection Connection { get; set; } = null!;

        public async ValueTask DisposeAsync()
        {
            await Client.DisposeAsync();
            await Server.DisposeAsync();
        }

        /// <summary>Accepts the next connection and its handshake, and waits for the client's 'connect'.</summary>
        public async Task AcceptAsync()
        {
            await using var connects = Client.Listener(ClientEvents.Connect).CreateConsumer();
            Connection = await Server.AcceptAsync();
            Assert.Equal("#handshake", (await Connection.AcceptHandshakeAsync()).GetProperty("event").GetString());
            await connects.NextAsync();
        }
    }

    private static async Task<Setup> StartAsync(Func<ClientOptions, ClientOptions>? configure = null)
    {
        var server = await ScriptedServer.StartAsync();
        var time = new FakeTimeProvider();
        var options = server.ClientOptions() with { TimeProvider = time, BatchInterval = Interval };
        if (configure is not null) options = configure(options);
        return new Setup { Server = server, Client = SocketClusterClient.Create(options), Time = time };
    }

    private static async Task<Setup> ConnectedAsync(Func<ClientOptions, ClientOptions>? configure = null)
    {
        var setup = await StartAsync(configure);
        setup.Client.Connect();
        await setup.AcceptAsync();
        return setup;
    }

    [Fact]
    public async Task The_handshake_goes_alone_even_when_batching_started_before_connecting()
    {
        await using var s = await StartAsync();
        s.Client.StartBatching();
        s.Client.Subscribe("a");
        s.Client.Subscribe("b");
        s.Client.Transmit("t"); // connects the closed socket

        var connection = await s.Server.AcceptAsync();
        Assert.Equal("""{"event":"#handshake","data":{"authToken":null},"cid":1}""", await connection.ReceiveAsync());
        await using var connects = s.Client.Listener(ClientEvents.Connect).CreateConsumer();
        await connection.SendAsync("""{"rid":1,"data":{"id":"scripted","pingTimeout":30000,"isAuthenticated":false}}""");
        await connects.NextAsync();
        Assert.True(s.Client.IsBufferingBatch);

        s.Time.Advance(Interval);
        Assert.Equal(
            """[{"event":"#subscribe","data":{"channel":"a"},"cid":2},{"event":"#subscribe","data":{"channel":"b"},"cid":3},{"event":"t"}]""",
            await connection.ReceiveAsync());
    }

    [Fact]
    public async Task Collected_packets_go_out_every_BatchInterval_and_an_empty_batch_sends_nothing()
    {
        await using var s = await ConnectedAsync();
        s.Client.StartBatching();
        s.Client.Transmit("a");
        s.Client.Transmit("b", 2);
        s.Time.Advance(Interval);
        Assert.Equal("""[{"event":"a"},{"event":"b","data":2}]""", await s.Connection.ReceiveAsync());

        s.Client.Transmit("c");
        s.Time.Advance(Interval);
        Assert.Equal("""[{"event":"c"}]""", await s.Connection.ReceiveAsync()); // one packet is still an array, as in JS

        s.Time.Advance(Interval); // nothing collected: no "[]" frame
        Assert.True(s.Client.IsBatching);
        s.Client.StopBatching();
        s.Client.Transmit("d");
        Assert.Equal("""{"event":"d"}""", await s.Connection.ReceiveAsync());
    }

    [Fact]
    public async Task StopBatching_writes_the_collected_packets_at_once()
    {
        await using var s = await ConnectedAsync();
        s.Client.StartBatching();
        var invoking = s.Client.InvokeAsync("echo", 1);
        s.Client.Transmit("after", "x");
        s.Client.StopBatching();
        Assert.Equal("""[{"event":"echo","data":1,"cid":2},{"event":"after","data":"x"}]""", await s.Connection.ReceiveAsync());
        await s.Connection.SendAsync("""{"rid":2,"data":"one"}""");
        Assert.Equal("\"one\"", TestClients.Json(await invoking.Within()));
    }

    [Fact]
    public async Task CancelBatching_drops_the_collected_packets()
    {
        await using var s = await ConnectedAsync();
        s.Client.StartBatching();
        s.Client.Transmit("dropped");
        s.Client.CancelBatching();
        Assert.False(s.Client.IsBatching);
        Assert.False(s.Client.IsBufferingBatch);
        s.Client.Transmit("sent");
        Assert.Equal("""{"event":"sent"}""", await s.Connection.ReceiveAsync());
    }

    [Fact]
    public async Task Pongs_are_never_batched()
    {
        await using var s = await ConnectedAsync();
        s.Client.StartBatching();
        s.Client.Transmit("held");
        await s.Connection.SendAsync(""); // a v2 ping
        Assert.Equal("", await s.Connection.ReceiveAsync());
        s.Client.StopBatching();
        Assert.Equal("""[{"event":"held"}]""", await s.Connection.ReceiveAsync());
    }

    [Fact]
    public async Task Procedure_responses_join_the_batch()
    {
        await using var s = await ConnectedAsync();
        await using var requests = s.Client.Procedure("double").CreateConsumer();
        s.Client.StartBatching();
        await s.Connection.SendAsync("""{"event":"double","data":21,"cid":7}""");
        var request = await requests.NextAsync();
        request.End(request.Data!.Value.GetInt32() * 2);
        s.Client.Transmit("next");
        s.Time.Advance(Interval);
        Assert.Equal("""[{"rid":7,"data":42},{"event":"next"}]""", await s.Connection.ReceiveAsync());
    }

    [Fact]
    public async Task BatchOnHandshake_batches_for_the_window_after_each_handshake()
    {
        await using var s = await StartAsync(o => o with { BatchOnHandshake = true, BatchOnHandshakeDuration = Window });
        s.Client.Subscribe("a");
        s.Client.Connect();
        await s.AcceptAsync();
        Assert.False(s.Client.IsBatching); // the window is not manual batching (official isBatching)
        Assert.True(s.Client.IsBufferingBatch);
        s.Client.Transmit("x");

        s.Time.Advance(Window);
        Assert.Equal("""[{"event":"#subscribe","data":{"channel":"a"},"cid":2},{"event":"x"}]""", await s.Connection.ReceiveAsync());
        Assert.False(s.Client.IsBufferingBatch);
        await s.Connection.SendAsync("""{"rid":2}""");
        s.Client.Transmit("y");
        Assert.Equal("""{"event":"y"}""", await s.Connection.ReceiveAsync());
        await TestClients.UntilAsync(() => s.Client.IsSubscribed("a"), "subscribed to a");

        // A new handshake opens a new window: the resubscription is batched again, the handshake is not.
        var first = s.Connection;
        s.Client.Reconnect();
        Assert.Null(await first.ReceiveAsync());
        first.Finish();
        s.Connection = await s.Server.AcceptAsync();
        Assert.Equal("""{"event":"#handshake","data":{"authToken":null},"cid":3}""", await s.Connection.ReceiveAsync());
        await s.Connection.SendAsync("""{"rid":3,"data":{"id":"scripted2","pingTimeout":30000,"isAuthenticated":false}}""");
        await TestClients.UntilAsync(() => s.Client.State == ConnectionState.Open, "open again");
        s.Time.Advance(Window);
        Assert.Equal("""[{"event":"#subscribe","data":{"channel":"a"},"cid":4}]""", await s.Connection.ReceiveAsync());
    }

    [Fact]
    public async Task StartBatching_during_the_handshake_window_keeps_batching_after_it()
    {
        await using var s = await StartAsync(o => o with { BatchOnHandshake = true, BatchOnHandshakeDuration = Window });
        s.Client.Connect();
        await s.AcceptAsync();
        s.Client.StartBatching();
        s.Time.Advance(Window); // the window ends, manual batching goes on
        Assert.True(s.Client.IsBufferingBatch);
        s.Client.Transmit("x");
        s.Client.StopBatching();
        Assert.Equal("""[{"event":"x"}]""", await s.Connection.ReceiveAsync());
    }

    [Fact]
    public async Task A_disconnect_drops_the_unsent_batch_and_rejects_its_invokes()
    {
        await using var s = await ConnectedAsync(o => o with { AutoReconnect = false });
        s.Client.StartBatching();
        var invoking = s.Client.InvokeAsync("echo", 1);
        s.Client.Transmit("lost");
        s.Client.Disconnect();

        var error = await Assert.ThrowsAnyAsync<ScError>(() => invoking.Within());
        Assert.Equal(ScErrorNames.BadConnectionError, error.Name);
        Assert.Null(await s.Connection.ReceiveAsync()); // the close frame came first: nothing of the batch
        Assert.Equal(WebSocketCloseStatus.NormalClosure, s.Connection.CloseStatus);
        Assert.True(s.Client.IsBatching); // manual batching outlives the connection (official _destroy)
    }
}
