using System.Text.Json;
using SocketCluster.Server.Tests.Infrastructure;

namespace SocketCluster.Server.Tests;

public sealed class BatchingTests
{
    [Fact]
    public async Task With_batchOnHandshake_responses_after_the_handshake_arrive_as_one_array_frame()
    {
        await using var host = await TestHost.StartAsync(o => { o.BatchOnHandshake = true; o.BatchOnHandshakeDuration = TimeSpan.FromMilliseconds(5000); o.BatchInterval = TimeSpan.FromMilliseconds(300); });
        host.ServeEcho();
        await using var client = await host.ConnectAsync();
        // The handshake response itself is never batched.
        await client.SendAsync("""{"event":"#handshake","data":{"authToken":null},"cid":1}""");
        var first = await client.ReceiveJsonAsync();
        Assert.Equal(JsonValueKind.Object, first.ValueKind);
        Assert.Equal(1, first.GetProperty("rid").GetInt32());

        await client.SendAsync("""[{"event":"echo","data":1,"cid":2},{"event":"echo","data":2,"cid":3},{"event":"echo","data":3,"cid":4}]""");
        var responses = new List<string>();
        while (responses.Count < 3)
        {
            var frame = await client.ReceiveJsonAsync();
            Assert.Equal(JsonValueKind.Array, frame.ValueKind);
            responses.AddRange(frame.EnumerateArray().Select(e => e.GetRawText()));
        }
        Assert.Equal(["""{"rid":2,"data":1}""", """{"rid":3,"data":2}""", """{"rid":4,"data":3}"""], responses);
    }

    [Fact]
    public async Task Batching_stops_after_batchOnHandshakeDuration()
    {
        await using var host = await TestHost.StartAsync(o => { o.BatchOnHandshake = true; o.BatchOnHandshakeDuration = TimeSpan.FromMilliseconds(200); o.BatchInterval = TimeSpan.FromMilliseconds(50); });
        host.ServeEcho();
        await using var client = await host.ConnectOpenAsync();
        await Task.Delay(600);
        var response = await client.InvokeAsync("echo", "late");
        Assert.Equal("""{"rid":2,"data":"late"}""", response.GetRawText());
    }

    [Fact]
    public async Task Manual_batching_groups_server_transmits()
    {
        await using var host = await TestHost.StartAsync();
        var connection = host.NextConnectionAsync();
        await using var client = await host.ConnectOpenAsync();
        var socket = await connection;
        socket.StartBatching();
        socket.Transmit("a", 1);
        socket.Transmit("b", 2);
        socket.StopBatching();
        Assert.Equal("""[{"event":"a","data":1},{"event":"b","data":2}]""", await client.ReceiveAsync());
        socket.Transmit("c", 3);
        Assert.Equal("""{"event":"c","data":3}""", await client.ReceiveAsync());
    }
}
