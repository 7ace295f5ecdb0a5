using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.Json;
using SocketCluster.Client;
using SocketCluster.Client.Tests.Infrastructure;
using SocketCluster.Protocol;

namespace SocketCluster.Client.Tests.Robustness;

/// <summary>
/// Bad input from a server (malformed frames, unknown rids, unexpected events, bad handshakes, abrupt closes)
/// never crashes the client or leaks pending calls: every pending call completes, with an error if need be.
/// </summary>
public sealed class BadServerInputTests
{
    [Fact]
    public async Task Malformed_frames_and_unexpected_events_are_raw_or_ignored_and_the_client_keeps_working()
    {
        var (server, client, connection) = await ScriptedServer.StartConnectedAsync();
        await using var serverLifetime = server;
        await using var clientLifetime = client;
        await using var raws = client.Listener<RawEvent>(ClientEvents.Raw).CreateConsumer();
        await using var done = client.Receiver("done").CreateConsumer();
        await using var errors = client.Listener(ClientEvents.Error).CreateConsumer();

        string[] junk =
        [
            "not json", "{bad json", "[1,2", "null", "123", "\"str\"", "[]", "[[]]", "{}",
            """{"rid":"1"}""", """{"event":5}""", """[{"rid":999}]""", """{"rid":1e400}""",
            """{"event":"#publish","data":"x"}""", """{"event":"#publish"}""", """{"event":"#publish","data":{"channel":5}}""",
            """{"event":"#kickOut","data":{"channel":5}}""", """{"event":"#kickOut","data":{"channel":"unknown"}}""",
            """{"event":"#setAuthToken"}""", """{"event":"#setAuthToken","data":{"token":5}}""",
            """{"event":"#handshake","data":{}}""", """{"event":"noConsumer","data":1}""",
        ];
        foreach (var frame in junk) await connection.SendAsync(frame);
        await connection.SendBinaryAsync([0xff, 0x00, 0x7b]);
        await connection.SendAsync("""{"event":"#setAuthToken","cid":7}""");      // a request without token data
        await connection.SendAsync("""{"event":"#removeAuthToken","cid":8}""");
        await connection.SendAsync("""{"event":"unknownProcedure","cid":9}""");   // no consumer: no response
        await connection.SendAsync("""{"event":"done","data":1}""");

        Assert.Equal("1", TestClients.Json(await done.NextAsync()));
        Assert.Equal(ConnectionState.Open, client.State);
        Assert.Equal(AuthState.Unauthenticated, client.AuthState);

        var setAuthReply = await connection.ReceivePacketAsync();
        Assert.Equal(7, setAuthReply.GetProperty("rid").GetInt32());
        Assert.Equal("InvalidMessageError", setAuthReply.GetProperty("error").GetProperty("name").GetString());
        Assert.Equal("No token data provided by #setAuthToken event", setAuthReply.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal("""{"rid":8}""", (await connection.ReceivePacketAsync()).GetRawText());

        await client.FlushEventsAsync();
        var rawCount = 0;
        while (raws.TryRead(out _)) rawCount++;
        Assert.Equal(12, rawCount); // 11 non-packets above ("[]" is an empty batch) and the binary frame
        Assert.False(errors.TryRead(out _));

        // Still fully usable.
        var invoking = client.InvokeAsync("echo", 5);
        var request = await connection.ReceivePacketAsync();
        await connection.SendAsync($$"""{"rid":{{request.GetProperty("cid").GetInt64()}},"data":5}""");
        Assert.Equal("5", TestClients.Json(await invoking));
    }

    [Fact]
    public async Task Unknown_and_string_rids_are_ignored_and_the_call_times_out_cleanly()
    {
        var (server, client, connection) = await ScriptedServer.StartConnectedAsync();
        await using var _ = server;
        await using var __ = client;

        var invoking = client.InvokeAsync("proc", 1, new CallOptions { AckTimeout = TimeSpan.FromMilliseconds(500) });
        var cid = (await connection.ReceivePacketAsync()).GetProperty("cid").GetInt64();
        await connection.SendAsync($$"""{"rid":"{{cid}}","data":"string rid"}""");
        await connection.SendAsync($$"""{"rid":{{cid + 100}},"data":"unknown rid"}""");
        var error = await Assert.ThrowsAnyAsync<ScError>(() => invoking);
        Assert.Equal(ScErrorNames.TimeoutError, error.Name);
        Assert.Equal("Event response for proc event timed out", error.Message);

        await connection.SendAsync($$"""{"rid":{{cid}},"data":"too late"}"""); // ignored
        Assert.Equal(0, client.PendingCallCount);
        Assert.Equal(ConnectionState.Open, client.State);
    }

    [Fact]
    public async Task Error_responses_hydrate_objects_strings_and_treat_falsy_errors_as_success()
    {
        var (server, client, connection) = await ScriptedServer.StartConnectedAsync();
        await using var _ = server;
        await using var __ = client;

        async Task<Task<JsonElement?>> Call(string reply)
        {
            var invoking = client.InvokeAsync("proc");
            var cid = (await connection.ReceivePacketAsync()).GetProperty("cid").GetInt64();
            await connection.SendAsync(reply.Replace("CID", cid.ToString()));
            return invoking;
        }

        var objectCall = await Call("""{"rid":CID,"error":{"message":"It failed","name":"CustomError","extra":42,"stack":"x"}}""");
        var objectError = await Assert.ThrowsAnyAsync<ScError>(() => objectCall);
        Assert.Equal(("CustomError", "It failed", 42), (objectError.Name, objectError.Message, objectError["extra"]!.GetValue<int>()));
        Assert.Null(objectError["stack"]);

        var stringCall = await Call("""{"rid":CID,"error":"plain string error"}""");
        var stringError = await Assert.ThrowsAnyAsync<ScError>(() => stringCall);
        Assert.Null(stringError.Name);
        Assert.Equal("plain string error", stringError.Message);

        var badCall = await Call("""{"rid":CID,"error":{"message":5}}""");
        var badMessage = await Assert.ThrowsAnyAsync<ScError>(() => badCall);
        Assert.Equal("Invalid error message format", badMessage.Message);

        Assert.Equal("1", TestClients.Json(await await Call("""{"rid":CID,"error":null,"data":1}""")));
        Assert.Equal("2", TestClients.Json(await await Call("""{"rid":CID,"error":false,"data":2}""")));
        Assert.Equal("3", TestClients.Json(await await Call("""{"rid":CID,"error":"","data":3}""")));
    }

    [Fact]
    public async Task Abrupt_close_rejects_every_pending_call_with_BadConnectionError_1006()
    {
        var (server, client, connection) = await ScriptedServer.StartConnectedAsync();
        await using var _ = server;
        await using var __ = client;
        await using var disconnects = client.Listener<DisconnectEvent>(ClientEvents.Disconnect).CreateConsumer();

        var calls = Enumerable.Range(0, 3).Select(i => client.InvokeAsync("never", i)).ToList();
        for (var i = 0; i < 3; i++) await connection.ReceivePacketAsync();
        connection.Abort();

        foreach (var call in calls)
        {
            var error = await Assert.ThrowsAnyAsync<ScError>(() => call);
            Assert.Equal(ScErrorNames.BadConnectionError, error.Name);
            Assert.Equal(1006, error["code"]!.GetValue<int>());
            Assert.Equal("disconnect", error["type"]!.GetValue<string>());
        }
        var disconnect = await disconnects.NextAsync();
        Assert.Equal((1006, "Socket hung up"), (disconnect.Code, disconnect.Reason));
        Assert.Equal(0, client.PendingCallCount);
    }

    [Fact]
    public async Task Handshake_without_pingTimeout_times_out_at_once_with_4000()
    {
        await using var server = await ScriptedServer.StartAsync();
        await using var client = SocketClusterClient.Create(server.ClientOptions());
        await using var disconnects = client.Listener<DisconnectEvent>(ClientEvents.Disconnect).CreateConsumer();
        client.Connect();
        var connection = await server.AcceptAsync();
        var handshake = await connection.ReceivePacketAsync();
        await connection.SendAsync($$$"""{"rid":{{{handshake.GetProperty("cid").GetInt64()}}},"data":{"id":"x","isAuthenticated":false}}""");
        Assert.Equal(4000, (await disconnects.NextAsync()).Code);
        connection.Finish();
    }

    [Fact]
    public async Task Handshake_error_with_statusCode_4501_closes_with_it_and_never_reconnects()
    {
        await using var server = await ScriptedServer.StartAsync();
        await using var client = SocketClusterClient.Create(server.ClientOptions());
        await using var all = client.AllEvents().CreateConsumer();
        client.Connect();
        var connection = await server.AcceptAsync();
        var handshake = await connection.ReceivePacketAsync();
        await connection.SendAsync($$$"""{"rid":{{{handshake.GetProperty("cid").GetInt64()}}},"error":{"message":"AG handshake failed because of invalid query auth parameters","name":"InvalidAuthQueryHandshakeError","statusCode":4501}}""");

        var error = Assert.IsAssignableFrom<ScError>((await all.NextOfAsync<ErrorEvent>(ClientEvents.Error)).Error);
        Assert.Equal("InvalidAuthQueryHandshakeError", error.Name);
        var abort = await all.NextOfAsync<ConnectAbortEvent>(ClientEvents.ConnectAbort);
        Assert.Equal(4501, abort.Code);
        Assert.Equal("InvalidAuthQueryHandshakeError: AG handshake failed because of invalid query auth parameters", abort.Reason);
        Assert.Null(await connection.ReceiveAsync()); // the client's close frame
        Assert.Equal(4501, (int)connection.CloseStatus!);
        Assert.Equal("", connection.CloseDescription ?? "");
        Assert.False(client.PendingReconnect);
        connection.Finish();
    }

    [Fact]
    public async Task Handshake_error_without_statusCode_closes_with_4003()
    {
        await using var server = await ScriptedServer.StartAsync();
        await using var client = SocketClusterClient.Create(server.ClientOptions());
        await using var aborts = client.Listener<ConnectAbortEvent>(ClientEvents.ConnectAbort).CreateConsumer();
        client.Connect();
        var connection = await server.AcceptAsync();
        var handshake = await connection.ReceivePacketAsync();
        await connection.SendAsync($$$"""{"rid":{{{handshake.GetProperty("cid").GetInt64()}}},"error":{"message":"too lazy","name":"LazyError"}}""");
        var abort = await aborts.NextAsync();
        Assert.Equal((4003, "LazyError: too lazy"), (abort.Code, abort.Reason));
        Assert.True(client.PendingReconnect);
        connection.Finish();
    }

    [Fact]
    public async Task Unanswered_handshake_closes_with_4003_after_the_ackTimeout()
    {
        await using var server = await ScriptedServer.StartAsync();
        await using var client = SocketClusterClient.Create(server.ClientOptions() with { AckTimeout = TimeSpan.FromMilliseconds(500) });
        await using var aborts = client.Listener<ConnectAbortEvent>(ClientEvents.ConnectAbort).CreateConsumer();
        client.Connect();
        var connection = await server.AcceptAsync();
        await connection.ReceivePacketAsync();
        var abort = await aborts.NextAsync();
        Assert.Equal((4003, "TimeoutError: Event response for #handshake event timed out"), (abort.Code, abort.Reason));
        Assert.Null(await connection.ReceiveAsync());
        Assert.Equal(4003, (int)connection.CloseStatus!);
        connection.Finish();
    }

    [Fact]
    public async Task Batched_packets_are_processed_in_order()
    {
        var (server, client, connection) = await ScriptedServer.StartConnectedAsync();
        await using var _ = server;
        await using var __ = client;
        await using var all = client.AllEvents().CreateConsumer();
        await using var news = client.Receiver("news").CreateConsumer();

        var invoking = client.InvokeAsync("proc");
        var cid = (await connection.ReceivePacketAsync()).GetProperty("cid").GetInt64();
        await connection.SendAsync($$"""[{"event":"news","data":1},{"rid":{{cid}},"data":"answer"},{"event":"news","data":2}]""");
        Assert.Equal("\"answer\"", TestClients.Json(await invoking));
        Assert.Equal("1", TestClients.Json(await news.NextAsync()));
        Assert.Equal("2", TestClients.Json(await news.NextAsync()));
    }

    [Fact]
    public async Task Oversized_message_closes_with_1009()
    {
        var (server, client, connection) = await ScriptedServer.StartConnectedAsync(o => o with { MaxPayload = 1024 });
        await using var _ = server;
        await using var __ = client;
        await using var disconnects = client.Listener<DisconnectEvent>(ClientEvents.Disconnect).CreateConsumer();
        await connection.SendAsync($$"""{"event":"big","data":"{{new string('x', 4000)}}"}""");
        var disconnect = await disconnects.NextAsync();
        Assert.Equal((1009, "Message was too big to process"), (disconnect.Code, disconnect.Reason));
        connection.Finish();
    }

    [Fact]
    public async Task Connection_that_never_opens_aborts_with_4007_after_connectTimeout()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var accepted = listener.AcceptTcpClientAsync(); // accepts, never answers the upgrade
        await using var client = SocketClusterClient.Create(new ClientOptions
        {
            Hostname = "127.0.0.1", Port = port, AutoConnect = false, ConnectTimeout = TimeSpan.FromMilliseconds(500),
            AutoReconnectOptions = new AutoReconnectOptions { InitialDelay = TimeSpan.FromSeconds(30) },
        });
        await using var aborts = client.Listener<ConnectAbortEvent>(ClientEvents.ConnectAbort).CreateConsumer();

        var invoking = client.InvokeAsync("queued");
        var abort = await aborts.NextAsync();
        Assert.Equal((4007, "Client connection establishment timed out"), (abort.Code, abort.Reason));
        var error = await Assert.ThrowsAnyAsync<ScError>(() => invoking);
        Assert.Equal(ScErrorNames.BadConnectionError, error.Name);
        Assert.Equal(4007, error["code"]!.GetValue<int>());
        Assert.Equal("connectAbort", error["type"]!.GetValue<string>());
        (await accepted).Dispose();
    }

    [Fact]
    public async Task Dispose_rejects_pending_calls_and_ends_the_streams()
    {
        var (server, client, connection) = await ScriptedServer.StartConnectedAsync();
        await using var _ = server;
        var receiver = client.Receiver("x").CreateConsumer();
        var invoking = client.InvokeAsync("never");
        await client.DisposeAsync();
        var error = await Assert.ThrowsAnyAsync<ScError>(() => invoking);
        Assert.Equal(ScErrorNames.BadConnectionError, error.Name);
        await Assert.ThrowsAsync<System.Threading.Channels.ChannelClosedException>(async () => await receiver.NextAsync());
        Assert.Equal(ConnectionState.Closed, client.State);
        Assert.Throws<ObjectDisposedException>(() => client.Connect());
        connection.Finish();
    }
}
