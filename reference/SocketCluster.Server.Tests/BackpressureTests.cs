using System.Net.WebSockets;
using System.Text;
using SocketCluster.Protocol;
using SocketCluster.Server.Tests.Infrastructure;

namespace SocketCluster.Server.Tests;

/// <summary>OB-001: a subscriber that stops reading is bounded by outboundBufferLimit and disconnected with 4100.</summary>
public sealed class BackpressureTests
{
    private const long Limit = 1024 * 1024;
    private const int PayloadChars = 32 * 1024;
    // 1000 × 32 KB = 32 MB: far more than the kernel buffers of a stalled loopback connection absorb (about 4 MB of
    // send buffer and the peer's 128 KB receive window here), so the server's own buffer must pass the limit.
    private const int Publications = 1000;

    [Fact]
    public async Task A_stalled_subscriber_costs_at_most_the_limit_and_is_closed_with_4100_while_others_keep_receiving()
    {
        await using var host = await TestHost.StartAsync(o => o.OutboundBufferLimit = Limit);
        var warnings = host.Server.Listener(ServerEvents.Warning).CreateConsumer();
        var channel = "flood";

        // The stalled subscriber: a raw WebSocket that subscribes and then never reads again.
        var stalledConnection = host.NextConnectionAsync();
        using var stalled = new ClientWebSocket();
        await stalled.ConnectAsync(host.WebSocketUrl, CancellationToken.None);
        await SendAsync(stalled, "{\"event\":\"#handshake\",\"data\":{},\"cid\":1}");
        await ReceiveTextAsync(stalled);
        await SendAsync(stalled, $"{{\"event\":\"#subscribe\",\"data\":{{\"channel\":\"{channel}\"}},\"cid\":2}}");
        Assert.StartsWith("{\"rid\":2", await ReceiveTextAsync(stalled));
        var stalledSocket = await stalledConnection.WithTimeout(what: "the stalled subscriber's server socket");
        var disconnect = stalledSocket.Listener(ServerSocketEvents.Disconnect).OnceAsync(TimeSpan.FromSeconds(60));

        await using var reader = await host.ConnectOpenAsync();
        await reader.InvokeAsync("#subscribe", new { channel });
        await using var publisher = await host.ConnectOpenAsync();

        var received = Task.Run(async () =>
        {
            for (var i = 0; i < Publications; i++) await reader.ReceiveEventAsync("#publish");
        });
        long maxBuffered = 0;
        var publishedBeforeDisconnect = -1;
        var payload = new string('x', PayloadChars);
        for (var i = 0; i < Publications; i++)
        {
            var response = await publisher.InvokeAsync("#publish", new { channel, data = payload });
            Assert.False(response.TryGetProperty("error", out _), $"publication {i} failed: {response}");
            maxBuffered = Math.Max(maxBuffered, stalledSocket.OutboundBufferedBytes);
            if (publishedBeforeDisconnect < 0 && stalledSocket.State == SocketState.Closed) publishedBeforeDisconnect = i + 1;
        }

        var closed = await disconnect;
        Assert.Equal(CloseCodes.OutboundBufferLimitExceeded, closed.Code);
        Assert.Equal($"Outbound buffer limit of {Limit} bytes exceeded", closed.Reason);
        var warning = await warnings.NextAsync(Waits.Long);
        Assert.Equal("SlowConsumerError", (warning.Warning as ScError)?.Name);

        // Upper bound: the check runs after every queued frame, so the buffer never holds more than the limit plus
        // the frame that crossed it (plus its envelope, under 100 bytes).
        Assert.InRange(maxBuffered, 0, Limit + PayloadChars + 100);
        // Lower bound: not closed early. At least the limit went into the server's buffer; a few MB more may sit in the
        // kernel's buffers first (the exact amount depends on the machine), so only the limit itself is asserted.
        Assert.InRange(publishedBeforeDisconnect, (int)(Limit / PayloadChars), Publications);

        // The others were not held back: the reader got every publication, the publisher every acknowledgement (above).
        await received.WithTimeout(TimeSpan.FromSeconds(60), "the reading subscriber's publications");
        Assert.Equal(WebSocketState.Open, reader.State);
    }

    [Fact]
    public async Task A_single_frame_above_the_limit_is_still_sent_when_nothing_else_waits()
    {
        await using var host = await TestHost.StartAsync(o => o.OutboundBufferLimit = 1024);
        await using var client = await host.ConnectOpenAsync();
        await client.InvokeAsync("#subscribe", new { channel = "big" });
        await host.Server.Exchange.InvokePublishAsync("big", new string('y', 4096));
        var delivery = await client.ReceiveEventAsync("#publish");
        Assert.Equal(4096, delivery.GetProperty("data").GetProperty("data").GetString()!.Length);
        Assert.Equal(WebSocketState.Open, client.State);
    }

    [Fact]
    public async Task Backpressure_getters_report_zero_on_an_idle_socket()
    {
        await using var host = await TestHost.StartAsync();
        var connection = host.NextConnectionAsync();
        await using var client = await host.ConnectOpenAsync();
        var socket = await connection.WithTimeout();
        Assert.Equal(0, socket.GetInboundBackpressure());
        await Waits.Until(() => socket.GetOutboundBackpressure() == 0 && socket.OutboundBufferedBytes == 0, "the handshake response to be written");
        Assert.Equal(0, socket.GetBackpressure());
    }

    private static Task SendAsync(ClientWebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    private static async Task<string> ReceiveTextAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(Waits.Long);
        var buffer = new byte[4096];
        var text = new StringBuilder();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            text.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
            if (result.EndOfMessage) return text.ToString();
        }
    }
}
