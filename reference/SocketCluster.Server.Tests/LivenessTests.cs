using SocketCluster.Server.Tests.Infrastructure;

namespace SocketCluster.Server.Tests;

public sealed class LivenessTests
{
    [Fact]
    public async Task Protocol_v2_pings_are_empty_text_frames_and_empty_pongs_keep_the_socket_open()
    {
        await using var host = await TestHost.StartAsync(o => { o.PingInterval = TimeSpan.FromMilliseconds(100); o.PingTimeout = TimeSpan.FromMilliseconds(1500); });
        await using var client = await host.ConnectOpenAsync();
        // Stay connected well past pingTimeout while answering pings.
        await Task.Delay(2500);
        Assert.True(client.PingsReceived >= 3, $"pings: {client.PingsReceived}");
        Assert.Equal(System.Net.WebSockets.WebSocketState.Open, client.State);
        Assert.Equal(1, (await client.InvokeAsync("#subscribe", new { channel = "still-alive" })).GetProperty("rid").GetInt32() > 0 ? 1 : 0);
    }

    [Fact]
    public async Task Protocol_v1_pings_are_hash_1_and_hash_2_pongs_keep_the_socket_open()
    {
        await using var host = await TestHost.StartAsync(o => { o.ProtocolVersion = 1; o.PingInterval = TimeSpan.FromMilliseconds(100); o.PingTimeout = TimeSpan.FromMilliseconds(1500); });
        await using var client = await host.ConnectOpenAsync(protocolVersion: 1);
        await Task.Delay(2500);
        Assert.True(client.PingsReceived >= 3, $"'#1' pings: {client.PingsReceived}");
        Assert.Equal(System.Net.WebSockets.WebSocketState.Open, client.State);
    }

    [Theory]
    [InlineData(1, "", true)]
    [InlineData(1, "#2", false)]
    [InlineData(2, "", false)]
    [InlineData(2, "#2", true)]
    public async Task Only_the_pong_of_the_protocol_version_is_a_pong(int protocolVersion, string frame, bool isRaw)
    {
        await using var host = await TestHost.StartAsync(o => o.ProtocolVersion = protocolVersion);
        var connection = host.NextConnectionAsync();
        await using var client = await host.ConnectOpenAsync(protocolVersion: protocolVersion);
        var socket = await connection;
        var raw = socket.Listener(ServerSocketEvents.Raw).CreateConsumer();
        await client.SendAsync(frame);
        await client.SendAsync("marker");
        var first = await raw.NextAsync(Waits.Long);
        Assert.Equal(isRaw ? frame : "marker", first.Message);
    }

    [Fact]
    public async Task A_client_that_stops_answering_pings_is_closed_with_4001()
    {
        await using var host = await TestHost.StartAsync(o => { o.PingInterval = TimeSpan.FromMilliseconds(100); o.PingTimeout = TimeSpan.FromMilliseconds(800); });
        var disconnections = host.Server.Listener(ServerEvents.Disconnection).CreateConsumer();
        await using var client = await host.ConnectOpenAsync();
        client.AutoPong = false;
        Assert.Equal((4001, ""), await client.ExpectCloseAsync());
        var e = await disconnections.NextAsync(Waits.Long);
        Assert.Equal("Client pong timed out", e.Reason);
    }

    [Fact]
    public async Task Pings_start_before_the_handshake()
    {
        await using var host = await TestHost.StartAsync(o => { o.PingInterval = TimeSpan.FromMilliseconds(100); o.PingTimeout = TimeSpan.FromMilliseconds(5000); o.HandshakeTimeout = TimeSpan.FromMilliseconds(5000); });
        await using var client = await host.ConnectAsync();
        client.AutoPong = false; // a pong before the handshake would be a 4009
        await Waits.Until(() => client.PingsReceived >= 1, "a ping arrives before the handshake");
    }

    [Fact]
    public async Task With_pingTimeoutDisabled_no_pings_are_sent_and_silence_is_fine()
    {
        await using var host = await TestHost.StartAsync(o => { o.PingTimeoutDisabled = true; o.PingInterval = TimeSpan.FromMilliseconds(100); o.PingTimeout = TimeSpan.FromMilliseconds(300); });
        await using var client = await host.ConnectAsync();
        client.AutoPong = false;
        var response = await client.HandshakeAsync();
        Assert.Equal(300, response.GetProperty("data").GetProperty("pingTimeout").GetInt32()); // still advertised
        await Task.Delay(1200);
        Assert.Equal(0, client.PingsReceived);
        Assert.Equal(System.Net.WebSockets.WebSocketState.Open, client.State);
    }

    [Fact]
    public async Task Regular_messages_also_keep_a_client_alive()
    {
        // No pings at all: only the chatter resets the watchdog (at most once per pingTimeout/4).
        await using var host = await TestHost.StartAsync(o => { o.PingInterval = TimeSpan.FromMilliseconds(600000); o.PingTimeout = TimeSpan.FromMilliseconds(2000); });
        await using var client = await host.ConnectOpenAsync();
        for (var i = 0; i < 25; i++)
        {
            await client.TransmitAsync("chatter", i);
            await Task.Delay(200);
        }
        Assert.Equal(System.Net.WebSockets.WebSocketState.Open, client.State);
    }
}
