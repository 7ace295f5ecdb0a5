using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using SocketCluster.Protocol;
using SocketCluster.Server.Middleware;
using SocketCluster.Server.Tests.Infrastructure;

namespace SocketCluster.Server.Tests;

public sealed class HandshakeTests
{
    [Fact]
    public async Task Handshake_response_has_id_pingTimeout_and_isAuthenticated_only()
    {
        await using var host = await TestHost.StartAsync(o => o.PingTimeout = TimeSpan.FromMilliseconds(12345));
        await using var client = await host.ConnectAsync();
        var response = await client.HandshakeAsync();

        Assert.Equal(1, response.GetProperty("rid").GetInt64());
        var data = response.GetProperty("data");
        Assert.Equal(["id", "pingTimeout", "isAuthenticated"], data.EnumerateObject().Select(p => p.Name));
        Assert.Matches(new Regex("^[A-Za-z0-9_-]{20}$"), data.GetProperty("id").GetString()!);
        Assert.Equal(12345, data.GetProperty("pingTimeout").GetInt32());
        Assert.False(data.GetProperty("isAuthenticated").GetBoolean());
        Assert.False(response.TryGetProperty("error", out _));
    }

    [Fact]
    public async Task Handshake_with_any_numeric_cid_is_answered_with_that_rid()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = await host.ConnectAsync();
        await client.SendAsync("""{"event":"#handshake","data":{"authToken":null},"cid":7}""");
        var response = await client.ReceiveJsonAsync();
        Assert.Equal(7, response.GetProperty("rid").GetInt64());
    }

    [Fact]
    public async Task Connection_event_carries_the_socket_and_status()
    {
        await using var host = await TestHost.StartAsync();
        var connection = host.Server.Listener(ServerEvents.Connection).CreateConsumer();
        await using var client = await host.ConnectAsync();
        var response = await client.HandshakeAsync();
        var e = await connection.NextAsync(Waits.Long);
        Assert.Equal(response.GetProperty("data").GetProperty("id").GetString(), e.Socket.Id);
        Assert.Equal(SocketState.Open, e.Socket.State);
        Assert.False(e.IsAuthenticated);
        Assert.Equal(host.Server.Options.PingTimeout, e.PingTimeout);
        Assert.Equal(1, host.Server.ClientsCount);
    }

    [Fact]
    public async Task Typed_and_named_listeners_deliver_the_same_event_records()
    {
        await using var host = await TestHost.StartAsync();
        // Listener(ServerEvents.X) is typed by the name; Listener("name") mirrors the official API and gives the same
        // records typed as ServerEvent.
        await using var typed = host.Server.Listener(ServerEvents.Connection).CreateConsumer();
        await using var named = host.Server.Listener("connection").CreateConsumer();
        await using var handshakes = host.Server.Listener(ServerEvents.Handshake).CreateConsumer();
        await using var closures = host.Server.Listener(ServerEvents.Closure).CreateConsumer();
        await using var client = await host.ConnectAsync();
        var socket = (await handshakes.NextAsync(Waits.Long)).Socket;
        await using var connect = socket.Listener(ServerSocketEvents.Connect).CreateConsumer();
        await using var socketEvents = socket.Listener("connect").CreateConsumer();
        await using var subscribes = socket.Listener(ServerSocketEvents.Subscribe).CreateConsumer();
        await client.HandshakeAsync();

        ConnectionEvent connection = await typed.NextAsync(Waits.Long);
        Assert.Equal(connection, Assert.IsType<ConnectionEvent>(await named.NextAsync(Waits.Long)));
        Assert.Equal((socket, socket.Id, host.Server.Options.PingTimeout, false, (ScError?)null),
            (connection.Socket, connection.Id, connection.PingTimeout, connection.IsAuthenticated, connection.AuthError));
        ConnectEvent connected = await connect.NextAsync(Waits.Long);
        Assert.Equal(new ConnectEvent(socket.Id, host.Server.Options.PingTimeout, false, null), connected);
        Assert.Equal(connected, await socketEvents.NextAsync(Waits.Long));

        // The server socket's subscribe event names its channel.
        await client.InvokeAsync("#subscribe", new { channel = "typed" });
        Assert.Equal("typed", (await subscribes.NextAsync(Waits.Long)).Channel);

        await using var ends = socket.Listener(ServerSocketEvents.End).CreateConsumer();
        await client.CloseAsync(4001, "bye");
        var closure = await closures.NextAsync(Waits.Long);
        Assert.Equal((socket, 4001, "bye"), (closure.Socket, closure.Code, closure.Reason));
        Assert.IsType<EndEvent>(await ends.NextAsync(Waits.Long));
        // After the socket ended, a new typed listener ends at once rather than waiting forever.
        using var deadline = new CancellationTokenSource(Waits.Long);
        await foreach (var _ in socket.Listener(ServerSocketEvents.Disconnect).WithCancellation(deadline.Token))
            Assert.Fail("no event after the end");
    }

    [Theory]
    [InlineData("""{"event":"customRemoteEvent","data":1}""")]
    [InlineData("")] // a pong before the handshake
    [InlineData("not json")]
    [InlineData("""{"rid":1}""")]
    [InlineData("""{"event":"#subscribe","data":{"channel":"a"},"cid":1}""")]
    public async Task Anything_before_the_handshake_closes_with_4009(string frame)
    {
        await using var host = await TestHost.StartAsync();
        var aborts = host.Server.Listener(ServerEvents.ConnectionAbort).CreateConsumer();
        await using var client = await host.ConnectAsync();
        await client.SendAsync(frame);
        var (code, reason) = await client.ExpectCloseAsync();
        Assert.Equal(4009, code);
        Assert.Equal("", reason); // protocol close codes travel with an empty reason
        var abort = await aborts.NextAsync(Waits.Long);
        Assert.Equal(4009, abort.Code);
        Assert.Equal("Server received a message before the client handshake", abort.Reason);
    }

    [Fact]
    public async Task An_empty_binary_frame_before_the_handshake_closes_with_4009()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = await host.ConnectAsync();
        await client.SendBinaryAsync([]);
        Assert.Equal(4009, (await client.ExpectCloseAsync()).Code);
    }

    [Fact]
    public async Task With_strictHandshake_off_early_messages_are_tolerated()
    {
        await using var host = await TestHost.StartAsync(o => o.StrictHandshake = false);
        await using var client = await host.ConnectAsync();
        await client.SendBinaryAsync([]);
        await client.SendAsync("""{"event":"#subscribe","data":{"channel":"a"},"cid":50}""");
        var subscribe = await client.ReceiveResponseAsync(50);
        Assert.Equal("InvalidActionError", subscribe.GetProperty("error").GetProperty("name").GetString());
        Assert.Equal("Cannot subscribe socket to a channel before it has completed the handshake",
            subscribe.GetProperty("error").GetProperty("message").GetString());
        var response = await client.HandshakeAsync();
        Assert.True(response.GetProperty("data").TryGetProperty("id", out _));
    }

    [Theory]
    [InlineData("""{"event":"#handshake","data":{}}""")]
    [InlineData("""{"event":"#handshake","data":{},"cid":"1"}""")]
    public async Task A_handshake_without_a_numeric_cid_closes_with_4008(string frame)
    {
        await using var host = await TestHost.StartAsync();
        var warnings = host.Server.Listener(ServerEvents.Warning).CreateConsumer();
        await using var client = await host.ConnectAsync();
        await client.SendAsync(frame);
        Assert.Equal((4008, ""), await client.ExpectCloseAsync());
        var warning = await warnings.NextAsync(Waits.Long);
        Assert.Equal("Handshake request was malformatted", warning.Warning!.Message);
    }

    [Fact]
    public async Task No_handshake_before_handshakeTimeout_closes_with_4005()
    {
        await using var host = await TestHost.StartAsync(o => o.HandshakeTimeout = TimeSpan.FromMilliseconds(300));
        var aborts = host.Server.Listener(ServerEvents.ConnectionAbort).CreateConsumer();
        await using var client = await host.ConnectAsync();
        Assert.Equal((4005, ""), await client.ExpectCloseAsync());
        Assert.Equal("Did not receive #handshake from client before timeout", (await aborts.NextAsync(Waits.Long)).Reason);
    }

    [Fact]
    public async Task A_silent_HANDSHAKE_SC_block_sends_the_official_error_then_closes_with_4008()
    {
        await using var host = await TestHost.StartAsync(setup: s => s.SetMiddleware(MiddlewareTypes.Handshake, async stream =>
        {
            await foreach (var action in stream)
                if (action.Type == ActionTypes.HandshakeSC) action.Block();
                else action.Allow();
        }));
        await using var client = await host.ConnectAsync();
        var response = await client.HandshakeAsync();
        Assert.Equal(
            """{"rid":1,"error":{"message":"The handshakeSC AGAction was blocked by handshake middleware","name":"SilentMiddlewareBlockedError","type":"handshake","statusCode":4008}}""",
            response.GetRawText());
        Assert.Equal((4008, ""), await client.ExpectCloseAsync());
    }

    [Fact]
    public async Task A_HANDSHAKE_SC_block_with_a_custom_error_and_statusCode_uses_that_code()
    {
        await using var host = await TestHost.StartAsync(setup: s => s.SetMiddleware(MiddlewareTypes.Handshake, async stream =>
        {
            await foreach (var action in stream)
                if (action.Type == ActionTypes.HandshakeSC)
                    action.Block(new ScError("InvalidAuthQueryHandshakeError", "AG handshake failed because of invalid query auth parameters").With("statusCode", 4501));
                else action.Allow();
        }));
        await using var client = await host.ConnectAsync();
        var error = (await client.HandshakeAsync()).GetProperty("error");
        Assert.Equal("InvalidAuthQueryHandshakeError", error.GetProperty("name").GetString());
        Assert.Equal(4501, error.GetProperty("statusCode").GetInt32());
        Assert.Equal(4501, (await client.ExpectCloseAsync()).Code);
    }

    [Theory]
    [InlineData(4321, """{"rid":1,"error":{"message":"refused","name":"ChosenError","statusCode":4321}}""")]
    [InlineData(null, """{"rid":1,"error":{"message":"refused","name":"ChosenError"}}""")]
    public async Task A_HandshakeRejection_sends_its_error_as_is_and_closes_with_its_own_code(int? statusCode, string expected)
    {
        // The fixture app's HS-010 refusal (as fixture-server.js): the wire error keeps or lacks its statusCode, the close is 4008.
        await using var host = await TestHost.StartAsync(setup: s => s.SetMiddleware(MiddlewareTypes.Handshake, async stream =>
        {
            await foreach (var action in stream)
            {
                if (action.Type != ActionTypes.HandshakeSC) { action.Allow(); continue; }
                var error = new ScError("ChosenError", "refused");
                if (statusCode is { } code) error.With("statusCode", code);
                action.Block(new HandshakeRejection(error, 4008));
            }
        }));
        await using var client = await host.ConnectAsync();
        Assert.Equal(expected, (await client.HandshakeAsync()).GetRawText());
        Assert.Equal(4008, (await client.ExpectCloseAsync()).Code);
    }

    [Fact]
    public async Task HANDSHAKE_SC_sees_the_query_string_and_the_token_result()
    {
        MiddlewareAction? seen = null;
        await using var host = await TestHost.StartAsync(setup: s => s.SetMiddleware(MiddlewareTypes.Handshake, async stream =>
        {
            await foreach (var action in stream)
            {
                if (action.Type == ActionTypes.HandshakeSC) seen = action;
                action.Allow();
            }
        }));
        await using var client = await host.ConnectAsync("?user=ann&x=1");
        await client.HandshakeAsync();
        Assert.NotNull(seen);
        Assert.Equal("/socketcluster/?user=ann&x=1", seen!.Request!.Url);
        Assert.Equal("ann", seen.Request.Query["user"].ToString());
        Assert.Equal(AuthState.Unauthenticated, seen.AuthInfo!.AuthState);
        Assert.Equal("jwt must be provided", seen.AuthInfo.AuthTokenError!.Message);
    }

    [Fact]
    public async Task A_HANDSHAKE_WS_block_answers_HTTP_401_with_the_message()
    {
        await using var host = await TestHost.StartAsync(setup: s => s.SetMiddleware(MiddlewareTypes.Handshake, async stream =>
        {
            await foreach (var action in stream)
                if (action.Type == ActionTypes.HandshakeWS) action.Block(new ScError("NopeError", "not today"));
                else action.Allow();
        }));
        var (status, body) = await Http.UpgradeAsync(host.WebSocketUrl);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("not today", body);
    }

    [Fact]
    public async Task An_origin_outside_origins_gets_HTTP_403()
    {
        await using var host = await TestHost.StartAsync(o => o.Origins = "good.example:443");
        var (status, body) = await Http.UpgradeAsync(host.WebSocketUrl, origin: "https://evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("Failed to authorize socket handshake - Invalid origin: https://evil.example", body);
        await using var ok = await host.ConnectAsync(origin: "https://good.example");
        Assert.True((await ok.HandshakeAsync()).TryGetProperty("data", out _));
    }

    [Theory]
    [InlineData("/socketcluster")]
    [InlineData("/other/")]
    public async Task A_path_other_than_the_exact_path_gets_HTTP_400(string path)
    {
        await using var host = await TestHost.StartAsync();
        var (status, _) = await Http.UpgradeAsync(new Uri(host.WebSocketUrl, path));
        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Fact]
    public async Task A_second_handshake_is_refused_without_closing()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = await host.ConnectOpenAsync();
        var again = await client.HandshakeAsync();
        Assert.Equal("InvalidActionError", again.GetProperty("error").GetProperty("name").GetString());
        Assert.Equal(System.Net.WebSockets.WebSocketState.Open, client.State);
    }

    [Fact]
    public async Task Client_close_before_the_handshake_is_a_connectAbort_and_after_it_a_disconnect()
    {
        await using var host = await TestHost.StartAsync();
        var aborts = host.Server.Listener(ServerEvents.ConnectionAbort).CreateConsumer();
        var disconnections = host.Server.Listener(ServerEvents.Disconnection).CreateConsumer();

        var early = await host.ConnectAsync();
        await early.CloseAsync(4444, "Disconnect before handshake");
        var abort = await aborts.NextAsync(Waits.Long);
        Assert.Equal((4444, "Disconnect before handshake"), (abort.Code, abort.Reason!));
        await early.DisposeAsync();

        var late = await host.ConnectOpenAsync();
        await late.CloseAsync(4445, "Disconnect after handshake");
        var disconnection = await disconnections.NextAsync(Waits.Long);
        Assert.Equal((4445, "Disconnect after handshake"), (disconnection.Code, disconnection.Reason!));
        Assert.Equal(SocketState.Closed, disconnection.Socket.State);
        await late.DisposeAsync();
        await Waits.Until(() => host.Server.ClientsCount == 0 && host.Server.PendingClientsCount == 0, "no sockets are left");
    }
}
