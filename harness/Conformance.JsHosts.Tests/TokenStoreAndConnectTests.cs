namespace Conformance.JsHosts.Tests;

/// <summary>
/// The driver's pseudo-options storedToken and failingTokenStore, connectAgain(options) and connectAndDisconnect in
/// every host, against the official fixture server: each host's client keeps its token where the official client
/// does (localStorage in Chromium and Jint, the socket's in-memory map under Node).
/// </summary>
public sealed class TokenStoreAndConnectTests(NodeFixtureServerFixture fixture) : IClassFixture<NodeFixtureServerFixture>
{
    int Port => fixture.Server.Port;

    /// <summary>A token signed by the fixture server (a helper socket that is destroyed again).</summary>
    async Task<string> SignAsync(DriverSession s, string username)
    {
        int helper = await s.ConnectAsync(Port, new() { ["authTokenName"] = "tokens.helper" });
        var token = (await s.Invoke(helper, "conformance.setAuthToken", new { username })).GetString()!;
        await s.Ok("destroy", helper);
        return token;
    }

    [Theory]
    [InlineData("node", false)]
    [InlineData("chromium", true)]
    [InlineData("jint", true)]
    public async Task A_stored_token_is_sent_in_the_first_handshake_from_the_clients_own_storage(string hostName, bool sharedStorage)
    {
        var s = await DriverSession.StartAsync(hostName);
        await using var _ = s.Host;
        var bob = await SignAsync(s, "bob");

        int h = await s.ConnectAsync(Port, new() { ["storedToken"] = bob });
        var connect = (await s.WaitForEvent(h, "connect")).GetProperty("data");
        Assert.True(connect.GetProperty("isAuthenticated").GetBoolean(), connect.GetRawText());
        Assert.Equal(bob, connect.GetProperty("authToken").GetString());
        Assert.Equal("bob", (await s.Invoke(h, "conformance.authState", null)).GetProperty("authToken").GetProperty("username").GetString());

        // Another socket to the same host:port has the same default authTokenName: a browser-style client (localStorage)
        // finds the token there, a Node client (a map per socket) does not.
        int other = await s.ConnectAsync(Port);
        Assert.Equal(sharedStorage ? "authenticated" : "unauthenticated", (await s.Ok("state", other)).GetProperty("authState").GetString());

        var error = await s.Fails("connect", new Dictionary<string, object?> { ["hostname"] = "127.0.0.1", ["port"] = Port, ["storedToken"] = 12 });
        Assert.Equal("DriverError", error.GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("node")]
    [InlineData("chromium")]
    [InlineData("jint")]
    public async Task A_failing_token_store_does_not_change_the_outcome_of_authenticate(string hostName)
    {
        var s = await DriverSession.StartAsync(hostName);
        await using var _ = s.Host;
        var bob = await SignAsync(s, "bob");
        var kate = await SignAsync(s, "kate");

        int h = await s.ConnectAsync(Port, new() { ["storedToken"] = bob, ["failingTokenStore"] = true, ["authTokenName"] = "tokens.failing" });
        Assert.True((await s.WaitForEvent(h, "connect")).GetProperty("data").GetProperty("isAuthenticated").GetBoolean());

        var status = await s.Ok("authenticate", h, kate);
        Assert.Equal("""{"isAuthenticated":true,"authError":null}""", status.GetProperty("data").GetRawText());
        var state = await s.Ok("state", h);
        Assert.Equal("kate", state.GetProperty("authToken").GetProperty("username").GetString());
        var error = (await s.WaitForEvent(h, "error")).GetProperty("data").GetProperty("error");
        Assert.Equal("""{"name":"FailedToSaveTokenError","message":"Failed to save token"}""", error.GetRawText());
    }

    [Theory]
    [InlineData("node")]
    [InlineData("chromium")]
    [InlineData("jint")]
    public async Task Connect_with_new_options_and_connect_then_disconnect_in_one_turn(string hostName)
    {
        var s = await DriverSession.StartAsync(hostName);
        await using var _ = s.Host;
        int h = await s.ConnectAsync(Port);

        var since = (await s.Ok("events", h)).GetProperty("lastSeq").GetInt32();
        await s.Ok("connectAgain", h, new { ackTimeout = 3000 });
        var disconnect = await s.WaitForEvent(h, "disconnect", since);
        Assert.Equal("""{"code":1000,"reason":"Socket was disconnected by the client to initiate a new connection"}""",
            disconnect.GetProperty("data").GetRawText());
        await s.WaitForEvent(h, "connect", since);
        Assert.Equal("DriverError", (await s.Fails("connectAgain", h, "not options")).GetProperty("name").GetString());

        var created = await s.Ok("connect", new Dictionary<string, object?>
        {
            ["hostname"] = "127.0.0.1", ["port"] = Port, ["autoConnect"] = false, ["autoReconnect"] = false,
        });
        int aborted = created.GetProperty("handle").GetInt32();
        await s.Ok("connectAndDisconnect", aborted, 4444, "Disconnect before handshake");
        var abort = await s.WaitForEvent(aborted, "connectAbort");
        Assert.Equal("""{"code":4444,"reason":"Disconnect before handshake"}""", abort.GetProperty("data").GetRawText());
        var events = (await s.Ok("events", aborted)).GetProperty("events").EnumerateArray()
            .Select(e => e.GetProperty("event").GetString()).ToList();
        Assert.DoesNotContain("connect", events);
        Assert.DoesNotContain("disconnect", events);
    }
}
