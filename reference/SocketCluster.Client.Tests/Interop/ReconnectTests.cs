using SocketCluster.Client;
using SocketCluster.Client.Tests.Infrastructure;
using SocketCluster.Protocol;

namespace SocketCluster.Client.Tests.Interop;

/// <summary>Which closes reconnect (official rules), handshake rejection, refused connections, and a server restart.</summary>
public sealed class ReconnectTests : InteropTest
{
    private static ClientOptions SlowBackoff(ClientOptions o) => o with
    {
        AutoReconnectOptions = new AutoReconnectOptions { InitialDelay = TimeSpan.FromSeconds(20), Randomness = TimeSpan.Zero },
    };

    public static TheoryData<string, int, bool> ServerCloses
    {
        get
        {
            var data = new TheoryData<string, int, bool>();
            foreach (var target in new[] { ServerTargets.Node, ServerTargets.CSharp })
            {
                data.Add(target, 1000, false);
                data.Add(target, 4500, false);
                data.Add(target, 4999, false);
                data.Add(target, 4321, true);
                data.Add(target, 3000, true);
            }
            return data;
        }
    }

    [Theory, MemberData(nameof(ServerCloses))]
    public async Task Server_close_code_decides_the_reconnect(string target, int code, bool reconnects)
    {
        var server = await SharedServerAsync(target);
        await using var client = await TestClients.ConnectAsync(server, SlowBackoff);
        await using var disconnects = client.Listener<DisconnectEvent>(ClientEvents.Disconnect).CreateConsumer();

        await client.InvokeAsync("conformance.disconnect", new { code, reason = "custom reason" });
        var disconnect = await disconnects.NextAsync();
        Assert.Equal(code, disconnect.Code);
        Assert.Equal("custom reason", disconnect.Reason);
        Assert.Equal(reconnects, client.PendingReconnect);
        if (reconnects) Assert.Equal(TimeSpan.FromSeconds(20), client.PendingReconnectTimeout); // attempt 0: initialDelay
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task Empty_close_reason_is_filled_from_the_code_table_and_reported_as_SocketProtocolError(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = await TestClients.ConnectAsync(server, SlowBackoff);
        await using var all = client.AllEvents().CreateConsumer();

        await client.InvokeAsync("conformance.disconnect", new { code = 4008 });
        var disconnect = await all.NextOfAsync<DisconnectEvent>(ClientEvents.Disconnect);
        Assert.Equal("Server rejected handshake from client", disconnect.Reason);
        var error = Assert.IsAssignableFrom<ScError>((await all.NextOfAsync<ErrorEvent>(ClientEvents.Error)).Error);
        Assert.Equal(ScErrorNames.SocketProtocolError, error.Name);
        Assert.Equal("Server rejected handshake from client", error.Message);
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task Pong_timeout_close_4001_reconnects_at_once(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = await TestClients.ConnectAsync(server, SlowBackoff);
        await using var connects = client.Listener(ClientEvents.Connect).CreateConsumer();
        await client.InvokeAsync("conformance.disconnect", new { code = 4001 });
        await connects.NextAsync(); // well before the 20 s backoff
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task Client_disconnect_with_an_application_code_schedules_a_reconnect(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = await TestClients.ConnectAsync(server, SlowBackoff);
        client.Disconnect(4123, "bye");
        Assert.True(client.PendingReconnect);
        client.Disconnect(); // while closed: cancels the pending reconnect
        Assert.False(client.PendingReconnect);

        client.Connect();
        await TestClients.UntilAsync(() => client.State == ConnectionState.Open, "open again");
        client.Disconnect(4500);
        Assert.False(client.PendingReconnect);
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task Rejected_handshake_gives_error_connectAbort_4008_close_and_a_protocol_error(string target)
    {
        var server = await SharedServerAsync(target);
        var client = SocketClusterClient.Create(SlowBackoff(server.ClientOptions()) with { Query = "conformanceRejectHandshake=1" });
        await using var _ = client;
        await using var all = client.AllEvents().CreateConsumer();
        client.Connect();

        var handshakeError = Assert.IsAssignableFrom<ScError>((await all.NextOfAsync<ErrorEvent>(ClientEvents.Error)).Error);
        Assert.Equal(ScErrorNames.SilentMiddlewareBlockedError, handshakeError.Name);
        Assert.Equal("The handshakeSC AGAction was blocked by handshake middleware", handshakeError.Message);
        var abort = await all.NextOfAsync<ConnectAbortEvent>(ClientEvents.ConnectAbort);
        Assert.Equal(4008, abort.Code);
        Assert.Equal("SilentMiddlewareBlockedError: The handshakeSC AGAction was blocked by handshake middleware", abort.Reason);
        await all.NextOfAsync<CloseEvent>(ClientEvents.Close);
        var protocolError = Assert.IsAssignableFrom<ScError>((await all.NextOfAsync<ErrorEvent>(ClientEvents.Error)).Error);
        Assert.Equal(ScErrorNames.SocketProtocolError, protocolError.Name);
        Assert.True(client.PendingReconnect); // 4008 < 4500
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task Refused_connection_aborts_with_1006_and_rejects_queued_invokes(string target)
    {
        await using var server = await SharedServers.StartOwnAsync(target);
        var options = SlowBackoff(server.ClientOptions());
        await server.StopAsync();

        var client = SocketClusterClient.Create(options);
        await using var _ = client;
        await using var aborts = client.Listener<ConnectAbortEvent>(ClientEvents.ConnectAbort).CreateConsumer();
        var invoking = client.InvokeAsync("conformance.echo", 1); // connects the closed socket

        var error = await Assert.ThrowsAnyAsync<ScError>(() => invoking);
        Assert.Equal(ScErrorNames.BadConnectionError, error.Name);
        Assert.Equal("connectAbort", error["type"]!.GetValue<string>());
        Assert.Equal(1006, error["code"]!.GetValue<int>());
        var abort = await aborts.NextAsync();
        Assert.Equal((1006, "Socket hung up"), (abort.Code, abort.Reason));
        Assert.Equal(0, client.PendingCallCount);
        Assert.True(client.PendingReconnect);
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task Server_restart_on_the_same_port_reconnects_resubscribes_and_handles_queued_calls(string target)
    {
        await using var server = await SharedServers.StartOwnAsync(target);
        var client = SocketClusterClient.Create(server.ClientOptions() with
        {
            AutoReconnectOptions = new AutoReconnectOptions
            {
                InitialDelay = TimeSpan.FromMilliseconds(300), Randomness = TimeSpan.Zero, Multiplier = 1, MaxDelay = TimeSpan.FromSeconds(1),
            },
        });
        await using var _ = client;
        await using var connects = client.Listener<ConnectEvent>(ClientEvents.Connect).CreateConsumer();
        await using var disconnects = client.Listener<DisconnectEvent>(ClientEvents.Disconnect).CreateConsumer();
        client.Connect();
        await connects.NextAsync();
        var firstId = client.Id;
        var name = "restart-" + Guid.NewGuid().ToString("N");
        await using var subscribed = client.Channel(name).Listener(ClientEvents.Subscribe).CreateConsumer();
        var channel = client.Subscribe(name);
        await subscribed.NextAsync();
        await using var messages = channel.CreateConsumer();

        // In flight when the server dies: rejected with BadConnectionError (disconnect, 1006).
        var inFlight = client.InvokeAsync("nobodyHome");
        await server.StopAsync();
        var disconnect = await disconnects.NextAsync();
        Assert.Equal(1006, disconnect.Code);
        var inFlightError = await Assert.ThrowsAnyAsync<ScError>(() => inFlight);
        Assert.Equal("disconnect", inFlightError["type"]!.GetValue<string>());
        Assert.Equal(ChannelState.Pending, channel.State);

        // Queued while the server is down: the connection attempt fails, so the call fails (connectAbort).
        await TestClients.UntilAsync(() => client.State == ConnectionState.Closed, "between attempts");
        var whileDown = await Assert.ThrowsAnyAsync<ScError>(() => client.InvokeAsync("conformance.echo", 1));
        Assert.Equal(ScErrorNames.BadConnectionError, whileDown.Name);
        Assert.Equal("connectAbort", whileDown["type"]!.GetValue<string>());

        await server.RestartAsync();
        // Queued after the restart: delivered after the handshake and after the resubscription. Not while an
        // attempt started before the restart is still connecting (it may fail); on a loaded machine the client
        // may already be open again, which must deliver just the same.
        await TestClients.UntilAsync(() => client.State != ConnectionState.Connecting, "between attempts or reconnected");
        var subscriptionsSeenByQueuedCall = client.InvokeAsync<string[]>("conformance.subscriptions");
        await connects.NextAsync();
        Assert.NotEqual(firstId, client.Id);
        Assert.Contains(name, (await subscriptionsSeenByQueuedCall.Within())!);
        await subscribed.NextAsync();
        Assert.Equal(ChannelState.Subscribed, channel.State);

        await client.InvokeAsync("conformance.publish", new { channel = name, data = "after restart" });
        Assert.Equal("\"after restart\"", TestClients.Json(await messages.NextAsync()));
        Assert.Equal(0, client.PendingCallCount);
    }
}
