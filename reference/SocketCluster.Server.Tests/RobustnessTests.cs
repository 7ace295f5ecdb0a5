using System.Collections.Concurrent;
using System.Text;
using SocketCluster.Server.Tests.Infrastructure;

namespace SocketCluster.Server.Tests;

/// <summary>Bad input never crashes or hangs the server; each case gets the official outcome.</summary>
public sealed class RobustnessTests
{
    public static TheoryData<string> IgnoredAsRaw => new()
    {
        "not json",
        "{bad json",
        "[1,2",
        "123",
        "\"str\"",
        "null",
        "[]",
        "[[]]",
        """{"foo":1}""",
        """{"event":5,"cid":2}""",
        """{"event":null,"data":1}""",
        """{"event":["x"],"cid":3}""",
        """{"rid":"1","data":1}""",
        """{"rid":99,"data":1}""",
        """{"rid":1.5}""",
        "{}",
        "#1",
        "#2",
        new string('[', 300) + new string(']', 300),
    };

    [Theory]
    [MemberData(nameof(IgnoredAsRaw))]
    public async Task Malformed_or_non_packet_frames_get_no_reply_and_the_socket_keeps_working(string frame)
    {
        await using var host = await TestHost.StartAsync();
        host.ServeEcho();
        await using var client = await host.ConnectOpenAsync();
        await client.SendAsync(frame);
        Assert.Equal("""{"rid":2,"data":"still fine"}""", (await client.InvokeAsync("echo", "still fine")).GetRawText());
    }

    [Fact]
    public async Task Non_JSON_frames_are_emitted_as_raw_messages()
    {
        await using var host = await TestHost.StartAsync();
        var connection = host.NextConnectionAsync();
        await using var client = await host.ConnectOpenAsync();
        // A consumer buffers from its creation, before the frame is sent (OnceAsync would subscribe only when called).
        await using var raw = (await connection).Listener(ServerSocketEvents.Raw).CreateConsumer();
        await client.SendAsync("hello raw");
        Assert.Equal("hello raw", (await raw.NextAsync(Waits.Long)).Message);
    }

    [Theory]
    [InlineData("""{"event":"echo","data":{"deep":[1,{"x":null}]},"cid":5}""", """{"rid":5,"data":{"deep":[1,{"x":null}]}}""")]
    [InlineData("""   {"event":"echo","data":"leading spaces","cid":5}""", """{"rid":5,"data":"leading spaces"}""")]
    [InlineData("""{"event":"echo","cid":5,"data":"\u00e9\ud83d\ude00"}""", """{"rid":5,"data":"\u00E9\uD83D\uDE00"}""")]
    [InlineData("""{"event":"echo","data":1,"cid":5,"rid":3}""", """{"rid":5,"data":1}""")] // event wins over rid
    public async Task Odd_but_valid_requests_are_answered(string frame, string expected)
    {
        await using var host = await TestHost.StartAsync();
        host.ServeEcho();
        await using var client = await host.ConnectOpenAsync();
        await client.SendAsync(frame);
        Assert.Equal(System.Text.Json.JsonDocument.Parse(expected).RootElement.GetRawText(), (await client.ReceiveJsonAsync()).GetRawText());
    }

    [Fact]
    public async Task Unknown_hash_events_are_ordinary_events()
    {
        await using var host = await TestHost.StartAsync();
        var received = new ConcurrentQueue<string>();
        host.OnConnection(socket => _ = TestHost.Serve(socket.Receiver("#disconnect"), d => received.Enqueue(d!.Value.GetRawText())));
        await using var client = await host.ConnectOpenAsync();
        await client.TransmitAsync("#disconnect", new { code = 4000, data = "legacy" });
        await client.TransmitAsync("#setAuthToken", new { token = "x" });
        await Waits.Until(() => received.Count == 1, "the legacy #disconnect arrives as a transmit");
        Assert.Equal(System.Net.WebSockets.WebSocketState.Open, client.State);
    }

    [Fact]
    public async Task Binary_frames_are_processed_like_text()
    {
        await using var host = await TestHost.StartAsync();
        host.ServeEcho();
        await using var client = await host.ConnectOpenAsync();
        await client.SendBinaryAsync(Encoding.UTF8.GetBytes("""{"event":"echo","data":"bin","cid":9}"""));
        Assert.Equal("""{"rid":9,"data":"bin"}""", (await client.ReceiveJsonAsync()).GetRawText());
        await client.SendBinaryAsync([0xff, 0xfe, 0x00]);
        await client.SendBinaryAsync([]);
        Assert.Equal("""{"rid":2,"data":"ok"}""", (await client.InvokeAsync("echo", "ok")).GetRawText());
    }

    [Fact]
    public async Task A_message_over_maxPayload_closes_with_1009()
    {
        await using var host = await TestHost.StartAsync(o => o.MaxPayload = 1000);
        var warnings = host.Server.Listener(ServerEvents.Warning).CreateConsumer();
        var disconnections = host.Server.Listener(ServerEvents.Disconnection).CreateConsumer();
        await using var client = await host.ConnectOpenAsync();
        await client.TransmitAsync("big", new string('x', 5000));
        Assert.Equal(1009, (await client.ExpectCloseAsync()).Code);
        Assert.Equal(1006, (await disconnections.NextAsync(Waits.Long)).Code);
        Assert.Equal("Max payload size exceeded", (await warnings.NextAsync(Waits.Long)).Warning!.Message);
        // The server still serves others.
        await using var other = await host.ConnectOpenAsync();
        await other.TransmitAsync("small", "x");
    }

    [Fact]
    public async Task A_message_at_maxPayload_is_accepted()
    {
        await using var host = await TestHost.StartAsync(o => o.MaxPayload = 1000);
        host.ServeEcho();
        await using var client = await host.ConnectOpenAsync();
        var frame = """{"event":"echo","data":"","cid":2}""";
        var padded = frame.Replace("\"data\":\"\"", $"\"data\":\"{new string('y', 1000 - frame.Length)}\"");
        Assert.Equal(1000, Encoding.UTF8.GetByteCount(padded));
        await client.SendAsync(padded);
        Assert.Equal(2, (await client.ReceiveJsonAsync()).GetProperty("rid").GetInt32());
    }

    [Fact]
    public async Task A_flood_of_messages_is_processed_completely_and_in_order()
    {
        await using var host = await TestHost.StartAsync();
        var received = new ConcurrentQueue<int>();
        host.OnConnection(socket => _ = TestHost.Serve(socket.Receiver("n"), d => received.Enqueue(d!.Value.GetInt32())));
        host.ServeEcho();
        await using var client = await host.ConnectOpenAsync();
        // Garbage, batches and transmits interleaved, sent as fast as possible.
        var sends = new List<Task>();
        for (var i = 0; i < 3000; i++)
        {
            await client.SendAsync(i % 3 == 0 ? "garbage" : i % 3 == 1 ? $$"""{"event":"n","data":{{i}}}""" : $$"""[{"event":"n","data":{{i}}},{"bad":1}]""");
        }
        Assert.Equal("""{"rid":2,"data":"done"}""", (await client.InvokeAsync("echo", "done")).GetRawText());
        await Waits.Until(() => received.Count == 2000, "2000 transmits arrive");
        Assert.Equal(Enumerable.Range(0, 3000).Where(i => i % 3 != 0), received);
    }

    [Fact]
    public async Task Abrupt_disconnects_leave_no_socket_behind()
    {
        await using var host = await TestHost.StartAsync();
        for (var i = 0; i < 10; i++)
        {
            var client = await host.ConnectAsync();
            if (i % 2 == 0) await client.HandshakeAsync();
            await client.SendAsync("""{"event":"x","data":1}""");
            client.Abort();
            await client.DisposeAsync();
        }
        await Waits.Until(() => host.Server.ClientsCount == 0 && host.Server.PendingClientsCount == 0, "every socket is gone");
        await using var fine = await host.ConnectOpenAsync();
    }

    [Fact]
    public async Task Closing_codes_the_peer_chose_are_reported()
    {
        await using var host = await TestHost.StartAsync();
        var closures = host.Server.Listener(ServerEvents.Closure).CreateConsumer();
        var client = await host.ConnectOpenAsync();
        await client.CloseAsync(1000);
        var e = await closures.NextAsync(Waits.Long);
        Assert.Equal(1000, e.Code);
        await client.DisposeAsync();
    }
}
