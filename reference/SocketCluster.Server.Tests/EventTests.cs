using System.Collections.Concurrent;
using System.Text.Json;
using SocketCluster.Protocol;
using SocketCluster.Server.Tests.Infrastructure;

namespace SocketCluster.Server.Tests;

public sealed class EventTests
{
    [Fact]
    public async Task A_transmit_reaches_the_receiver_keeping_absent_and_null_data_apart()
    {
        await using var host = await TestHost.StartAsync();
        var received = new ConcurrentQueue<string>();
        host.OnConnection(socket => _ = TestHost.Serve(socket.Receiver("customRemoteEvent"), d => received.Enqueue(d?.GetRawText() ?? "<absent>")));
        await using var client = await host.ConnectOpenAsync();
        await client.TransmitAsync("customRemoteEvent", 123);
        await client.TransmitAsync("customRemoteEvent", withData: false);
        await client.TransmitAsync("customRemoteEvent", null);
        await client.TransmitAsync("customRemoteEvent", new { a = new[] { 1, 2 } });
        await Waits.Until(() => received.Count == 4, "four transmits arrive");
        Assert.Equal(["123", "<absent>", "null", """{"a":[1,2]}"""], received);
        await client.AssertNoFrameAsync(); // transmits are never answered
    }

    [Fact]
    public async Task Request_End_and_Error_reach_the_client_as_the_official_frames()
    {
        await using var host = await TestHost.StartAsync();
        host.OnConnection(socket => _ = TestHost.Serve(socket.Procedure("customProc"), request =>
        {
            if (request.Data is { ValueKind: JsonValueKind.Object } d && d.TryGetProperty("bad", out var bad) && bad.ValueKind == JsonValueKind.True)
            {
                request.Error(new ScError("BadCustomError", "Server failed to execute the procedure"));
                return;
            }
            request.End("Success");
        }));
        host.OnConnection(socket => _ = TestHost.Serve(socket.Procedure("nothing"), request => request.End()));
        host.OnConnection(socket => _ = TestHost.Serve(socket.Procedure("plain"), request => request.Error(JsonSerializer.SerializeToElement("plain string error"))));
        host.OnConnection(socket => _ = TestHost.Serve(socket.Procedure("dotnet"), request => request.Error(new InvalidOperationException("boom"))));
        await using var client = await host.ConnectOpenAsync();

        var ok = await client.InvokeAsync("customProc", new { foo = "bar" });
        Assert.Equal("""{"rid":2,"data":"Success"}""", ok.GetRawText());
        var bad = await client.InvokeAsync("customProc", new { bad = true });
        Assert.Equal("""{"rid":3,"error":{"message":"Server failed to execute the procedure","name":"BadCustomError"}}""", bad.GetRawText());
        Assert.Equal("""{"rid":4}""", (await client.InvokeAsync("nothing")).GetRawText());
        Assert.Equal("""{"rid":5,"error":"plain string error"}""", (await client.InvokeAsync("plain")).GetRawText());
        Assert.Equal("""{"rid":6,"error":{"message":"boom","name":"InvalidOperationException"}}""", (await client.InvokeAsync("dotnet")).GetRawText());
    }

    [Fact]
    public async Task Responding_twice_is_refused()
    {
        await using var host = await TestHost.StartAsync();
        var second = new TaskCompletionSource<Exception?>();
        host.OnConnection(socket => _ = TestHost.Serve(socket.Procedure("twice"), request =>
        {
            request.End(1);
            try { request.End(2); second.TrySetResult(null); }
            catch (Exception e) { second.TrySetResult(e); }
        }));
        await using var client = await host.ConnectOpenAsync();
        await client.InvokeAsync("twice");
        var error = Assert.IsType<ScError>(await second.Task.WithTimeout());
        Assert.Equal("InvalidActionError", error.Name);
        Assert.Equal("Response to request 2 has already been sent", error.Message);
    }

    [Fact]
    public async Task A_procedure_without_consumers_never_gets_an_answer()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = await host.ConnectOpenAsync();
        await client.SendRequestAsync("nobodyHome", 1);
        await client.AssertNoFrameAsync();
    }

    [Fact]
    public async Task A_string_cid_makes_the_packet_a_transmit()
    {
        await using var host = await TestHost.StartAsync();
        var received = new ConcurrentQueue<string>();
        host.OnConnection(socket => _ = TestHost.Serve(socket.Receiver("proc"), d => received.Enqueue(d!.Value.GetRawText())));
        host.OnConnection(socket => _ = TestHost.Serve(socket.Procedure("proc"), r => r.End("as request")));
        await using var client = await host.ConnectOpenAsync();
        await client.SendAsync("""{"event":"proc","data":"x","cid":"9"}""");
        await Waits.Until(() => received.Count == 1, "the transmit arrives");
        await client.AssertNoFrameAsync();
    }

    [Fact]
    public async Task A_batch_array_is_processed_element_by_element_in_order()
    {
        await using var host = await TestHost.StartAsync();
        host.ServeEcho();
        var received = new ConcurrentQueue<string>();
        host.OnConnection(socket => _ = TestHost.Serve(socket.Receiver("t"), d => received.Enqueue(d!.Value.GetRawText())));
        await using var client = await host.ConnectOpenAsync();
        await client.SendAsync("""[{"event":"echo","data":1,"cid":10},{"event":"t","data":"a"},5,"x",{"event":"echo","data":2,"cid":11},{"event":"t","data":"b"}]""");
        Assert.Equal("""{"rid":10,"data":1}""", (await client.ReceiveJsonAsync()).GetRawText());
        Assert.Equal("""{"rid":11,"data":2}""", (await client.ReceiveJsonAsync()).GetRawText());
        await Waits.Until(() => received.Count == 2, "both transmits arrive");
        Assert.Equal(["\"a\"", "\"b\""], received);
    }

    [Fact]
    public async Task Inbound_order_is_kept_for_many_messages()
    {
        await using var host = await TestHost.StartAsync();
        var received = new ConcurrentQueue<int>();
        host.OnConnection(socket => _ = TestHost.Serve(socket.Receiver("n"), d => received.Enqueue(d!.Value.GetInt32())));
        await using var client = await host.ConnectOpenAsync();
        for (var i = 0; i < 2000; i++) await client.TransmitAsync("n", i);
        await Waits.Until(() => received.Count == 2000, "2000 transmits arrive");
        Assert.Equal(Enumerable.Range(0, 2000), received);
    }

    [Fact]
    public async Task Server_Transmit_sends_an_event_with_or_without_data()
    {
        await using var host = await TestHost.StartAsync();
        var connection = host.NextConnectionAsync();
        await using var client = await host.ConnectOpenAsync();
        var socket = await connection;
        socket.Transmit("hello", "world");
        socket.Transmit("nodata");
        socket.Transmit("nulldata", null);
        Assert.Equal("""{"event":"hello","data":"world"}""", await client.ReceiveAsync());
        Assert.Equal("""{"event":"nodata"}""", await client.ReceiveAsync());
        Assert.Equal("""{"event":"nulldata","data":null}""", await client.ReceiveAsync());
    }

    [Fact]
    public async Task Server_InvokeAsync_routes_the_response_by_cid()
    {
        await using var host = await TestHost.StartAsync();
        var connection = host.NextConnectionAsync();
        await using var client = await host.ConnectOpenAsync();
        var socket = await connection;

        var first = socket.InvokeAsync("double", 5);
        var second = socket.InvokeAsync("double", 7);
        var a = await client.ReceiveJsonAsync();
        var b = await client.ReceiveJsonAsync();
        Assert.Equal("""{"event":"double","cid":1,"data":5}""", a.GetRawText());
        Assert.Equal("""{"event":"double","cid":2,"data":7}""", b.GetRawText());
        // Answer out of order: correlation is by cid.
        await client.SendAsync("""{"rid":2,"data":14}""");
        await client.SendAsync("""{"rid":1,"data":10}""");
        Assert.Equal(10, (await first.WithTimeout())!.Value.GetInt32());
        Assert.Equal(14, (await second.WithTimeout())!.Value.GetInt32());

        var noData = socket.InvokeAsync("ping");
        Assert.Equal("""{"event":"ping","cid":3}""", await client.ReceiveAsync());
        await client.SendAsync("""{"rid":3}""");
        Assert.Null(await noData.WithTimeout());
    }

    [Fact]
    public async Task Server_InvokeAsync_fails_with_the_clients_error()
    {
        await using var host = await TestHost.StartAsync();
        var connection = host.NextConnectionAsync();
        await using var client = await host.ConnectOpenAsync();
        var socket = await connection;
        var call = socket.InvokeAsync("fails");
        await client.ReceiveAsync();
        await client.SendAsync("""{"rid":1,"error":{"message":"nope","name":"ClientError","extra":42}}""");
        var error = await Assert.ThrowsAsync<ScRemoteException>(() => call.WithTimeout());
        Assert.Equal(("ClientError", "nope", 42), (error.Name, error.Message, (int)error["extra"]!));
    }

    [Fact]
    public async Task Server_InvokeAsync_times_out_after_ackTimeout()
    {
        await using var host = await TestHost.StartAsync(o => o.AckTimeout = TimeSpan.FromMilliseconds(300));
        var connection = host.NextConnectionAsync();
        await using var client = await host.ConnectOpenAsync();
        var socket = await connection;
        var error = await Assert.ThrowsAsync<ScTimeoutException>(() => socket.InvokeAsync("silence", 1).WithTimeout());
        Assert.Equal(("TimeoutError", "Event response for silence event timed out"), (error.Name, error.Message));
        // A late response is ignored.
        await client.SendAsync("""{"rid":1,"data":1}""");
        var custom = await Assert.ThrowsAsync<ScTimeoutException>(() => socket.InvokeAsync("silence", 1, ackTimeout: TimeSpan.FromMilliseconds(200)).WithTimeout());
        Assert.Equal("TimeoutError", custom.Name);
    }

    [Fact]
    public async Task Pending_invokes_fail_with_BadConnectionError_when_the_client_goes()
    {
        await using var host = await TestHost.StartAsync(o => o.AckTimeout = TimeSpan.FromMilliseconds(60000));
        var connection = host.NextConnectionAsync();
        var client = await host.ConnectOpenAsync();
        var socket = await connection;
        var call = socket.InvokeAsync("forever");
        await client.ReceiveAsync();
        await client.CloseAsync(4123, "bye");
        var error = await Assert.ThrowsAsync<ScBadConnectionException>(() => call.WithTimeout());
        Assert.Equal("BadConnectionError", error.Name);
        Assert.Equal(("disconnect", 4123, "bye"), (error.Type, error.Code, error.Reason));
        Assert.Equal("Event forever was aborted due to a bad connection", error.Message);
        Assert.Equal(("disconnect", 4123, "bye"), ((string)error["type"]!, (int)error["code"]!, (string)error["reason"]!));
        await client.DisposeAsync();

        var late = await Assert.ThrowsAsync<ScBadConnectionException>(() => socket.InvokeAsync("afterwards"));
        Assert.Equal("Socket invoke afterwards event was aborted due to a bad connection", late.Message);
    }

    [Fact]
    public async Task Server_Disconnect_sends_the_code_and_reason()
    {
        await using var host = await TestHost.StartAsync();
        var connection = host.NextConnectionAsync();
        await using var client = await host.ConnectOpenAsync();
        var socket = await connection;
        var disconnect = socket.Listener(ServerSocketEvents.Disconnect).CreateConsumer();
        socket.Disconnect(4321, "custom reason");
        Assert.Equal((4321, "custom reason"), await client.ExpectCloseAsync());
        var e = await disconnect.NextAsync(Waits.Long);
        Assert.Equal((4321, "custom reason"), (e.Code, e.Reason!));
        Assert.Throws<ArgumentOutOfRangeException>(() => socket.Disconnect(1006));
    }

    [Fact]
    public async Task A_slow_receiver_on_one_socket_does_not_delay_another_socket()
    {
        var gate = new TaskCompletionSource();
        await using var host = await TestHost.StartAsync(o => o.StreamCapacity = 1);
        host.ServeEcho();
        host.OnConnection(socket =>
        {
            var receiver = socket.Receiver("slow").CreateConsumer(); // registered in the connection loop, before the next message
            _ = Task.Run(async () =>
            {
                await foreach (var _ in receiver) await gate.Task; // never drains until released
            });
        });
        await using var slow = await host.ConnectOpenAsync();
        await using var fast = await host.ConnectOpenAsync();
        for (var i = 0; i < 5; i++) await slow.TransmitAsync("slow", i);
        var cid = await slow.SendRequestAsync("echo", "later");
        Assert.Equal("""{"rid":2,"data":"quick"}""", (await fast.InvokeAsync("echo", "quick")).GetRawText());
        // The slow socket is held back by its full receiver: its echo has not been answered.
        await slow.AssertNoFrameAsync();
        gate.SetResult();
        Assert.Equal("later", (await slow.ReceiveResponseAsync(cid)).GetProperty("data").GetString());
    }
}
