using System.Text.Json;
using Conformance.JsHosts;

namespace Conformance.JsHosts.Tests;

/// <summary>
/// Each host runs the official client (socketcluster-client 20.0.2) against the official Node fixture server
/// (socketcluster-server 20.0.1): the seed's operations, server-initiated traffic, auth, kick-out and disconnects.
/// </summary>
public sealed class OfficialServerTests(NodeFixtureServerFixture fixture) : IClassFixture<NodeFixtureServerFixture>
{
    int Port => fixture.Server.Port;

    [Theory]
    [InlineData("node")]
    [InlineData("chromium")]
    [InlineData("jint")]
    public async Task Connects_and_the_fixture_answers_hello(string hostName)
    {
        var s = await DriverSession.StartAsync(hostName);
        await using var _ = s.Host;
        Assert.Equal(hostName, s.Host.Name);
        var info = await s.Ok("info");
        Assert.Equal("20.0.2", info.GetProperty("version").GetString());

        int h = await s.ConnectAsync(Port);
        var hello = await s.Invoke(h, "conformance.hello", null);
        Assert.Equal(1, hello.GetProperty("contract").GetInt32());
        Assert.Equal(2, hello.GetProperty("protocolVersion").GetInt32());
        var state = await s.Ok("state", h);
        Assert.Equal("open", state.GetProperty("state").GetString());
        Assert.Equal(hello.GetProperty("socketId").GetString(), state.GetProperty("id").GetString());
    }

    [Theory]
    [InlineData("node")]
    [InlineData("chromium")]
    [InlineData("jint")]
    public async Task CustomProc_succeeds_and_fails_with_BadCustomError(string hostName)
    {
        var s = await DriverSession.StartAsync(hostName);
        await using var _ = s.Host;
        int h = await s.ConnectAsync(Port);

        Assert.Equal("Success", (await s.Invoke(h, "customProc", new { foo = "bar" })).GetString());
        var error = await s.Fails("invoke", h, "customProc", new { bad = true });
        Assert.Equal("BadCustomError", error.GetProperty("name").GetString());
        Assert.Equal("Server failed to execute the procedure", error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("node")]
    [InlineData("chromium")]
    [InlineData("jint")]
    public async Task Transmitted_events_are_recorded_by_the_server_in_order(string hostName)
    {
        var s = await DriverSession.StartAsync(hostName);
        await using var _ = s.Host;
        int h = await s.ConnectAsync(Port);

        await s.Ok("transmit", h, "customRemoteEvent", 123);
        await s.Ok("transmit", h, "customRemoteEvent", new { text = "héllo ✓" });
        var received = await s.Invoke(h, "conformance.received", new { @event = "customRemoteEvent" });
        Assert.Equal("""[123,{"text":"héllo ✓"}]""", received.GetRawText());
    }

    [Theory]
    [InlineData("node")]
    [InlineData("chromium")]
    [InlineData("jint")]
    public async Task Subscriber_receives_every_publish_style(string hostName)
    {
        var s = await DriverSession.StartAsync(hostName);
        await using var _ = s.Host;
        int h = await s.ConnectAsync(Port);
        string channel = $"news-{hostName}-{Guid.NewGuid():N}";

        await s.Ok("subscribe", h, channel);
        await s.WaitForEvent(h, "subscribe");
        Assert.Equal("subscribed", (await s.Ok("channelState", h, channel)).GetProperty("state").GetString());

        await s.Ok("transmitPublish", h, channel, "one");
        await s.Ok("invokePublish", h, channel, "two");
        await s.Ok("channelTransmitPublish", h, channel, "three");
        await s.Ok("channelInvokePublish", h, channel, "four");
        await s.Invoke(h, "conformance.publish", new { channel, data = new { five = 5 }, ack = true });

        var result = await s.Ok("waitForPublications", h, channel, 5, DriverSession.WaitMs);
        var data = result.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("data").GetRawText()).ToList();
        // Client publishes reach the server in order; the exchange publish comes last because it was sent last.
        Assert.Equal(["\"one\"", "\"two\"", "\"three\"", "\"four\"", "{\"five\":5}"], data);
        var serverView = await s.Invoke(h, "conformance.subscriptions", null);
        Assert.Contains(channel, serverView.EnumerateArray().Select(c => c.GetString()));
    }

    [Theory]
    [InlineData("node")]
    [InlineData("chromium")]
    [InlineData("jint")]
    public async Task Server_transmit_reaches_the_client_receiver(string hostName)
    {
        var s = await DriverSession.StartAsync(hostName);
        await using var _ = s.Host;
        int h = await s.ConnectAsync(Port);

        await s.Ok("receiver", h, "greeting");
        await s.Ok("invoke", h, "conformance.transmit", new { @event = "greeting", data = "world" });
        await s.Ok("invoke", h, "conformance.transmit", new { @event = "greeting" });
        var items = await s.WaitForItems("received", h, "greeting", 2);
        Assert.Equal("""[{"kind":"transmit","data":"world"},{"kind":"transmit"}]""", items.GetRawText());
    }

    [Theory]
    [InlineData("node")]
    [InlineData("chromium")]
    [InlineData("jint")]
    public async Task Server_invoke_reaches_the_client_procedure(string hostName)
    {
        var s = await DriverSession.StartAsync(hostName);
        await using var _ = s.Host;
        int h = await s.ConnectAsync(Port);

        await s.Ok("procedure", h, "clientProc", new { mode = "end", data = 10 });
        var outcome = await s.Invoke(h, "conformance.invoke", new { procedure = "clientProc", data = 5 });
        Assert.Equal("""{"data":10}""", outcome.GetRawText());
        var calls = await s.Ok("received", h, "clientProc");
        Assert.Equal("""[{"kind":"invoke","data":5}]""", calls.GetProperty("items").GetRawText());

        await s.Ok("procedure", h, "failingProc", new { mode = "error", name = "ClientSideError", message = "no way" });
        var failed = await s.Invoke(h, "conformance.invoke", new { procedure = "failingProc", data = 1 });
        var error = failed.GetProperty("error");
        Assert.Equal("ClientSideError", error.GetProperty("name").GetString());
        Assert.Equal("no way", error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("node")]
    [InlineData("chromium")]
    [InlineData("jint")]
    public async Task Login_authenticates_the_client(string hostName)
    {
        var s = await DriverSession.StartAsync(hostName);
        await using var _ = s.Host;
        int h = await s.ConnectAsync(Port);
        Assert.Equal("unauthenticated", (await s.Ok("state", h)).GetProperty("authState").GetString());

        string token = (await s.Invoke(h, "conformance.login", new { username = "alice" })).GetString()!;
        var authenticate = await s.WaitForEvent(h, "authenticate");
        Assert.Equal(token, authenticate.GetProperty("data").GetProperty("signedAuthToken").GetString());
        var state = await s.Ok("state", h);
        Assert.Equal("authenticated", state.GetProperty("authState").GetString());
        Assert.Equal("alice", state.GetProperty("authToken").GetProperty("username").GetString());
        var serverView = await s.Invoke(h, "conformance.authState", null);
        Assert.Equal("authenticated", serverView.GetProperty("authState").GetString());
    }

    [Theory]
    [InlineData("node")]
    [InlineData("chromium")]
    [InlineData("jint")]
    public async Task KickOut_unsubscribes_the_client(string hostName)
    {
        var s = await DriverSession.StartAsync(hostName);
        await using var _ = s.Host;
        int h = await s.ConnectAsync(Port);

        await s.Ok("subscribe", h, "room");
        await s.WaitForEvent(h, "subscribe");
        await s.Invoke(h, "conformance.kickOut", new { channel = "room", message = "bye" });
        var kickOut = await s.WaitForEvent(h, "kickOut");
        Assert.Equal("""{"channel":"room","message":"bye"}""", kickOut.GetProperty("data").GetRawText());
        Assert.Equal("unsubscribed", (await s.Ok("channelState", h, "room")).GetProperty("state").GetString());
        var serverView = await s.Invoke(h, "conformance.subscriptions", null);
        Assert.DoesNotContain("room", serverView.EnumerateArray().Select(c => c.GetString()));
    }

    [Theory]
    [InlineData("node")]
    [InlineData("chromium")]
    [InlineData("jint")]
    public async Task Server_disconnect_carries_its_code_and_reason(string hostName)
    {
        var s = await DriverSession.StartAsync(hostName);
        await using var _ = s.Host;
        int h = await s.ConnectAsync(Port);

        await s.Ok("invoke", h, "conformance.disconnect", new { code = 4567, reason = "server says bye" });
        var disconnect = await s.WaitForEvent(h, "disconnect");
        Assert.Equal("""{"code":4567,"reason":"server says bye"}""", disconnect.GetProperty("data").GetRawText());
        Assert.Equal("closed", (await s.Ok("state", h)).GetProperty("state").GetString());
    }

    [Theory]
    [InlineData("node")]
    [InlineData("chromium")]
    [InlineData("jint")]
    public async Task Client_disconnect_with_a_code_closes_the_socket(string hostName)
    {
        var s = await DriverSession.StartAsync(hostName);
        await using var _ = s.Host;
        int h = await s.ConnectAsync(Port);

        await s.Ok("disconnect", h, 4321, "client says bye");
        var disconnect = await s.WaitForEvent(h, "disconnect");
        Assert.Equal("""{"code":4321,"reason":"client says bye"}""", disconnect.GetProperty("data").GetRawText());
        Assert.Equal("closed", (await s.Ok("state", h)).GetProperty("state").GetString());
        // The socket can connect again afterwards, on the same handle.
        var since = (await s.Ok("events", h)).GetProperty("lastSeq").GetInt32();
        await s.Ok("connectAgain", h);
        await s.WaitForEvent(h, "connect", since);
        Assert.Equal("Success", (await s.Invoke(h, "customProc", null)).GetString());
    }

    [Theory]
    [InlineData("node")]
    [InlineData("chromium")]
    [InlineData("jint")]
    public async Task Unknown_command_is_a_host_error(string hostName)
    {
        var s = await DriverSession.StartAsync(hostName);
        await using var _ = s.Host;
        var e = await Assert.ThrowsAnyAsync<JsDriverHostException>(() => s.Call("noSuchCommand"));
        Assert.Contains("noSuchCommand", e.Message);
        // The host stays usable.
        Assert.True((await s.Ok("info")).GetProperty("ok").GetBoolean());
    }

    [Theory]
    [InlineData("node")]
    [InlineData("chromium")]
    [InlineData("jint")]
    public async Task Concurrent_calls_get_their_own_results(string hostName)
    {
        var s = await DriverSession.StartAsync(hostName);
        await using var _ = s.Host;
        int h = await s.ConnectAsync(Port);

        var calls = Enumerable.Range(0, 25).Select(i => s.Invoke(h, "conformance.echo", new { i })).ToArray();
        var results = await Task.WhenAll(calls);
        Assert.Equal(Enumerable.Range(0, 25), results.Select(r => r.GetProperty("i").GetInt32()));
    }

    [Theory]
    [InlineData("chromium")]
    [InlineData("jint")]
    public async Task A_stored_token_is_sent_by_the_next_socket_until_the_host_is_reset(string hostName)
    {
        var s = await DriverSession.StartAsync(hostName);
        await using var _ = s.Host;
        int first = await s.ConnectAsync(Port);
        await s.Invoke(first, "conformance.login", new { username = "carol" });
        await s.WaitForEvent(first, "authenticate");

        // destroyAll alone: the browser-style client kept the token in localStorage and sends it in the handshake.
        await s.Ok("destroyAll");
        int second = await s.ConnectAsync(Port);
        Assert.Equal("authenticated", (await s.Ok("state", second)).GetProperty("authState").GetString());
        Assert.Equal("carol", (await s.Invoke(second, "conformance.authState", null)).GetProperty("authToken").GetProperty("username").GetString());

        await ((IResettableJsDriverHost)s.Host).ResetAsync(TestContext.Current.CancellationToken);
        int third = await s.ConnectAsync(Port);
        Assert.Equal("unauthenticated", (await s.Ok("state", third)).GetProperty("authState").GetString());
        Assert.Equal("unauthenticated", (await s.Invoke(third, "conformance.authState", null)).GetProperty("authState").GetString());
    }

    [Theory]
    [InlineData("node")]
    [InlineData("chromium")]
    [InlineData("jint")]
    public async Task Reset_destroys_the_sockets_and_the_host_stays_usable(string hostName)
    {
        var s = await DriverSession.StartAsync(hostName);
        await using var _ = s.Host;
        int first = await s.ConnectAsync(Port);
        await s.Invoke(first, "conformance.login", new { username = "dave" });
        await s.WaitForEvent(first, "authenticate");

        await ((IResettableJsDriverHost)s.Host).ResetAsync(TestContext.Current.CancellationToken);
        var error = await s.Fails("state", first);
        Assert.Equal("DriverError", error.GetProperty("name").GetString()); // the handle is gone
        int next = await s.ConnectAsync(Port);
        Assert.True(next > first);
        Assert.Equal("unauthenticated", (await s.Ok("state", next)).GetProperty("authState").GetString());
        Assert.Equal("Success", (await s.Invoke(next, "customProc", null)).GetString());
    }

    [Theory]
    [InlineData("node")]
    [InlineData("chromium")]
    [InlineData("jint")]
    public async Task A_new_host_does_not_inherit_the_previous_hosts_stored_token(string hostName)
    {
        var s1 = await DriverSession.StartAsync(hostName);
        await using (s1.Host)
        {
            int h1 = await s1.ConnectAsync(Port);
            await s1.Invoke(h1, "conformance.login", new { username = "erin" });
            await s1.WaitForEvent(h1, "authenticate");
        }
        var s2 = await DriverSession.StartAsync(hostName); // for Chromium: the spare page, in a browser context of its own
        await using var _ = s2.Host;
        int h2 = await s2.ConnectAsync(Port);
        Assert.Equal("unauthenticated", (await s2.Ok("state", h2)).GetProperty("authState").GetString());
    }
}
