using System.Net.WebSockets;
using SocketCluster.Client;
using SocketCluster.Client.Tests.Infrastructure;
using SocketCluster.Protocol;

namespace SocketCluster.Client.Tests.Robustness;

/// <summary>The exact frames the client writes, read by a scripted server.</summary>
public sealed class WireFormatTests
{
    [Fact]
    public async Task Handshake_is_the_first_frame_with_cid_1_and_the_stored_token()
    {
        await using var server = await ScriptedServer.StartAsync();
        await using var client = SocketClusterClient.Create(server.ClientOptions());
        client.Connect();
        var connection = await server.AcceptAsync();
        Assert.Equal("""{"event":"#handshake","data":{"authToken":null},"cid":1}""", await connection.ReceiveAsync());
        connection.Finish();

        var store = new InMemoryAuthTokenStore();
        await store.SaveTokenAsync("t", "signed.token.value");
        await using var withToken = SocketClusterClient.Create(server.ClientOptions() with { AuthEngine = store, AuthTokenName = "t" });
        withToken.Connect();
        var second = await server.AcceptAsync();
        Assert.Equal("""{"event":"#handshake","data":{"authToken":"signed.token.value"},"cid":1}""", await second.ReceiveAsync());
        second.Finish();
    }

    [Fact]
    public async Task Event_frames_have_the_official_shapes()
    {
        var (server, client, connection) = await ScriptedServer.StartConnectedAsync();
        await using var _ = server;
        await using var __ = client;

        client.Transmit("chat", new { text = "hi" });
        client.Transmit("nodata");
        client.Transmit("nulldata", ScCodec.NullElement);
        var echo = client.InvokeAsync("echo", new { a = new[] { 1, 2 } });
        client.TransmitPublish("ch1", "hi");
        var publish = client.InvokePublishAsync("ch1", "hi");
        client.TransmitPublish("ch1");
        string[] expected =
        [
            """{"event":"chat","data":{"text":"hi"}}""",
            """{"event":"nodata"}""",
            """{"event":"nulldata","data":null}""",
            """{"event":"echo","data":{"a":[1,2]},"cid":2}""",
            """{"event":"#publish","data":{"channel":"ch1","data":"hi"}}""",
            """{"event":"#publish","data":{"channel":"ch1","data":"hi"},"cid":3}""",
            """{"event":"#publish","data":{"channel":"ch1"}}""",
        ];
        foreach (var frame in expected) Assert.Equal(frame, await connection.ReceiveAsync());
    }

    [Fact]
    public async Task Subscribe_is_a_request_and_unsubscribe_a_transmit()
    {
        var (server, client, connection) = await ScriptedServer.StartConnectedAsync();
        await using var _ = server;
        await using var __ = client;

        client.Subscribe("ch1");
        Assert.Equal("""{"event":"#subscribe","data":{"channel":"ch1"},"cid":2}""", await connection.ReceiveAsync());
        await connection.SendAsync("""{"rid":2}""");
        await TestClients.UntilAsync(() => client.IsSubscribed("ch1"), "subscribed");

        client.Subscribe("ch2", new SubscribeOptions { Data = ScCodec.ToData(new { k = 1 }) });
        Assert.Equal("""{"event":"#subscribe","data":{"channel":"ch2","data":{"k":1}},"cid":3}""", await connection.ReceiveAsync());
        client.Subscribe("ch3", new SubscribeOptions { Data = ScCodec.ToData(0) }); // falsy data is dropped, as in JS
        Assert.Equal("""{"event":"#subscribe","data":{"channel":"ch3"},"cid":4}""", await connection.ReceiveAsync());

        client.Unsubscribe("ch1");
        Assert.Equal("""{"event":"#unsubscribe","data":"ch1"}""", await connection.ReceiveAsync());
    }

    [Fact]
    public async Task WaitForAuth_subscribe_waits_for_authentication_and_carries_the_flag()
    {
        var (server, client, connection) = await ScriptedServer.StartConnectedAsync();
        await using var _ = server;
        await using var __ = client;
        client.Subscribe("priv", new SubscribeOptions { WaitForAuth = true });
        client.Transmit("marker");
        Assert.Equal("""{"event":"marker"}""", await connection.ReceiveAsync()); // nothing sent for priv yet

        var token = TestTokens.For("bob");
        await connection.SendAsync("{\"event\":\"#setAuthToken\",\"data\":{\"token\":\"" + token + "\"}}");
        Assert.Equal("""{"event":"#subscribe","data":{"channel":"priv","waitForAuth":true},"cid":2}""", await connection.ReceiveAsync());
    }

    [Fact]
    public async Task Authenticate_is_a_request_and_deauthenticate_a_transmit()
    {
        var (server, client, connection) = await ScriptedServer.StartConnectedAsync();
        await using var _ = server;
        await using var __ = client;

        var authenticating = client.AuthenticateAsync("the.signed.token");
        Assert.Equal("""{"event":"#authenticate","data":"the.signed.token","cid":2}""", await connection.ReceiveAsync());
        await connection.SendAsync("""{"rid":2,"data":{"isAuthenticated":true,"authError":null}}""");
        Assert.True((await authenticating).IsAuthenticated);

        await client.DeauthenticateAsync();
        Assert.Equal("""{"event":"#removeAuthToken"}""", await connection.ReceiveAsync());
    }

    [Fact]
    public async Task Set_and_remove_auth_token_requests_are_acknowledged()
    {
        var (server, client, connection) = await ScriptedServer.StartConnectedAsync();
        await using var _ = server;
        await using var __ = client;
        var token = TestTokens.For("bob");
        await connection.SendAsync("{\"event\":\"#setAuthToken\",\"cid\":1,\"data\":{\"token\":\"" + token + "\"}}");
        Assert.Equal("""{"rid":1}""", await connection.ReceiveAsync());
        Assert.Equal(AuthState.Authenticated, client.AuthState);
        await connection.SendAsync("""{"event":"#removeAuthToken","cid":2}""");
        Assert.Equal("""{"rid":2}""", await connection.ReceiveAsync());
        Assert.Equal(AuthState.Unauthenticated, client.AuthState);
    }

    [Theory]
    [InlineData(2, "", "")]
    [InlineData(1, "#1", "#2")]
    public async Task Pings_get_the_protocol_pong(int protocol, string ping, string pong)
    {
        var (server, client, connection) = await ScriptedServer.StartConnectedAsync(o => o with { ProtocolVersion = protocol });
        await using var _ = server;
        await using var __ = client;
        await connection.SendAsync(ping);
        Assert.Equal(pong, await connection.ReceiveAsync());
        // The other version's ping is just a raw message: no answer.
        await connection.SendAsync(protocol == 1 ? "" : "#1");
        client.Transmit("marker");
        Assert.Equal("""{"event":"marker"}""", await connection.ReceiveAsync());
    }

    [Fact]
    public async Task Client_close_frames_carry_the_code_and_reason()
    {
        var (server, client, connection) = await ScriptedServer.StartConnectedAsync();
        await using var _ = server;
        await using var __ = client;
        client.Disconnect(4321, "bye");
        Assert.Null(await connection.ReceiveAsync());
        Assert.Equal((4321, "bye"), ((int)connection.CloseStatus!, connection.CloseDescription));

        var second = await ScriptedServer.StartConnectedAsync();
        await using var s2 = second.Server;
        await using var c2 = second.Client;
        second.Client.Disconnect();
        Assert.Null(await second.Connection.ReceiveAsync());
        Assert.Equal(WebSocketCloseStatus.NormalClosure, second.Connection.CloseStatus);
    }

    [Fact]
    public async Task Query_and_timestamp_are_in_the_url()
    {
        await using var server = await ScriptedServer.StartAsync();
        await using var client = SocketClusterClient.Create(server.ClientOptions() with
        {
            Query = new QueryParameters { { "a", "1 2" }, { "b", "x" }, { "b", "y" } },
            TimestampRequests = true,
        });
        client.Connect();
        var connection = await server.AcceptAsync();
        Assert.StartsWith("?a=1+2&b=x&b=y&t=", connection.Query);
        connection.Finish();
    }
}
