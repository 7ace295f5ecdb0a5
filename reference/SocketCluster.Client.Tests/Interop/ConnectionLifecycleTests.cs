using SocketCluster.Client;
using SocketCluster.Client.Tests.Infrastructure;
using SocketCluster.Protocol;
using SocketCluster.Protocol.Streams;

namespace SocketCluster.Client.Tests.Interop;

/// <summary>Connect, disconnect, reconnect and the official close-event sequences (EV-011, EV-019, CC-006, RC-006..RC-008, RC-013).</summary>
public sealed class ConnectionLifecycleTests : InteropTest
{
    private static readonly string[] LifecycleEvents =
        [ClientEvents.Connecting, ClientEvents.Connect, ClientEvents.ConnectAbort, ClientEvents.Disconnect, ClientEvents.Close];

    private static string Describe(NamedSocketEvent e) => e.Event switch
    {
        ConnectAbortEvent a => $"connectAbort({a.Code},{a.Reason ?? "null"})",
        DisconnectEvent d => $"disconnect({d.Code},{d.Reason ?? "null"})",
        CloseEvent c => $"close({c.Code},{c.Reason ?? "null"})",
        _ => e.Name,
    };

    /// <summary>Reads lifecycle events until the predicate holds for the list.</summary>
    private static async Task<List<string>> ReadLifecycleAsync(StreamConsumer<NamedSocketEvent> all, int count)
    {
        var list = new List<string>();
        while (list.Count < count)
        {
            var e = await all.NextAsync();
            if (LifecycleEvents.Contains(e.Name)) list.Add(Describe(e));
        }
        return list;
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task C1_create_is_connecting_synchronously(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = SocketClusterClient.Create(server.ClientOptions() with { AutoConnect = true });
        Assert.Equal(ConnectionState.Connecting, client.State);
        await TestClients.UntilAsync(() => client.State == ConnectionState.Open, "open");
    }

    [Fact]
    public async Task C2_autoConnect_false_stays_closed()
    {
        await using var client = SocketClusterClient.Create(new ClientOptions { AutoConnect = false });
        Assert.Equal(ConnectionState.Closed, client.State);
        Assert.Null(client.Id);
    }

    [Fact]
    public async Task C3_an_emitted_error_reaches_error_listeners()
    {
        await using var client = SocketClusterClient.Create(new ClientOptions { AutoConnect = false });
        await using var errors = client.Listener<ErrorEvent>(ClientEvents.Error).CreateConsumer();
        client.Emit(ClientEvents.Error, new ErrorEvent(new ScError("CustomError", "app error")));
        Assert.Equal("CustomError", Assert.IsAssignableFrom<ScError>((await errors.NextAsync()).Error).Name);
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task C20_disconnect_during_the_handshake_gives_connectAbort_and_close_only(string target)
    {
        var server = await SharedServerAsync(target);
        var store = new SlowTokenStore();
        var client = SocketClusterClient.Create(server.ClientOptions() with { AuthEngine = store });
        await using var _ = client;
        await using var all = client.AllEvents().CreateConsumer();
        client.Connect();
        await store.Loading.Within(); // the WebSocket is open, the handshake not done
        client.Disconnect();
        store.Release();

        Assert.Equal(["connecting", "connectAbort(1000,null)", "close(1000,null)"], await ReadLifecycleAsync(all, 3));
        await Task.Delay(300);
        Assert.Equal(ConnectionState.Closed, client.State);
        Assert.False(client.PendingReconnect);
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task C21_disconnect_after_connect_gives_disconnect_and_close_only(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = await TestClients.ConnectAsync(server);
        await using var all = client.AllEvents().CreateConsumer();
        client.Disconnect();
        Assert.Equal(["disconnect(1000,null)", "close(1000,null)"], await ReadLifecycleAsync(all, 2));
        await client.FlushEventsAsync();
        while (all.TryRead(out var e)) Assert.NotEqual(ClientEvents.Error, e.Name); // no error for 1000
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task C22_invoke_times_out_after_ackTimeout_and_a_later_disconnect_does_not_throw(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = await TestClients.ConnectAsync(server);
        await using var slow = client.Procedure("slowClientProc").CreateConsumer();

        // The server waits for our slow procedure, so the outer call is answered only after a second.
        var outer = client.InvokeAsync("conformance.invoke", new { procedure = "slowClientProc" },
            new CallOptions { AckTimeout = TimeSpan.FromMilliseconds(200) });
        var request = await slow.NextAsync();
        var error = await Assert.ThrowsAnyAsync<ScError>(() => outer);
        Assert.Equal(ScErrorNames.TimeoutError, error.Name);
        Assert.Equal("Event response for conformance.invoke event timed out", error.Message);

        await Task.Delay(1000);
        request.End("late"); // the server then answers the timed-out call: ignored
        Assert.Equal("\"pong\"", TestClients.Json(await client.InvokeAsync("conformance.echo", "pong")));
        client.Disconnect();
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task C25_reconnect_gives_disconnect_1000_without_reason_then_connect(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = await TestClients.ConnectAsync(server);
        await using var all = client.AllEvents().CreateConsumer();
        client.Reconnect();
        Assert.Equal(["disconnect(1000,null)", "close(1000,null)", "connecting", "connect"], await ReadLifecycleAsync(all, 4));
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task C26_reconnect_with_code_and_reason(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = await TestClients.ConnectAsync(server);
        await using var all = client.AllEvents().CreateConsumer();
        client.Reconnect(1000, "About to reconnect");
        Assert.Equal(["disconnect(1000,About to reconnect)", "close(1000,About to reconnect)", "connecting", "connect"],
            await ReadLifecycleAsync(all, 4));
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task C27_connect_while_connected_is_a_no_op(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = await TestClients.ConnectAsync(server);
        await using var all = client.AllEvents().CreateConsumer();
        var id = client.Id;
        client.Connect();
        await Task.Delay(500);
        await client.FlushEventsAsync();
        Assert.False(all.TryRead(out _));
        Assert.Equal(id, client.Id);
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task C28_connect_with_new_options_while_connected_disconnects_first(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = await TestClients.ConnectAsync(server);
        await using var all = client.AllEvents().CreateConsumer();
        client.Connect(client.Options with { Query = "changed=1" });
        Assert.Equal(
            ["disconnect(1000,Socket was disconnected by the client to initiate a new connection)",
             "close(1000,Socket was disconnected by the client to initiate a new connection)", "connecting", "connect"],
            await ReadLifecycleAsync(all, 4));
        Assert.Contains("changed=1", client.Uri.Query);
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task C30_invoke_and_subscribe_in_the_connect_handler_then_disconnect(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = await TestClients.ConnectAsync(server);
        await using var all = client.AllEvents().CreateConsumer();

        var invoking = client.InvokeAsync("nobodyHome", 1);
        client.Subscribe("c30-" + Guid.NewGuid().ToString("N"));
        client.Disconnect();

        var error = await Assert.ThrowsAnyAsync<ScError>(() => invoking);
        Assert.Equal(ScErrorNames.BadConnectionError, error.Name);
        await Task.Delay(300);
        await client.FlushEventsAsync();
        while (all.TryRead(out var e)) Assert.NotEqual(ClientEvents.SubscribeFail, e.Name);
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task C31_pending_invoke_rejects_before_the_disconnect_event_with_the_state_closed(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = await TestClients.ConnectAsync(server);
        await using var disconnects = client.Listener<DisconnectEvent>(ClientEvents.Disconnect).CreateConsumer();
        ConnectionState? stateAtRejection = null;
        var invoking = client.InvokeAsync("nobodyHome");
        var observed = invoking.ContinueWith(t => stateAtRejection = client.State, TaskScheduler.Default);

        client.Disconnect();
        await disconnects.NextAsync();
        Assert.True(invoking.IsFaulted); // already rejected when the disconnect event is seen
        await observed;
        Assert.Equal(ConnectionState.Closed, stateAtRejection);
        var error = Assert.IsAssignableFrom<ScError>(invoking.Exception!.InnerException);
        Assert.Equal(ScErrorNames.BadConnectionError, error.Name);
        Assert.Equal("Event nobodyHome was aborted due to a bad connection", error.Message);
        Assert.Equal("disconnect", error["type"]!.GetValue<string>());
        Assert.Equal(1000, error["code"]!.GetValue<int>());
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task C32_transmit_after_disconnect_reconnects_by_itself(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = await TestClients.ConnectAsync(server);
        await using var all = client.AllEvents().CreateConsumer();

        client.Disconnect();
        client.Transmit("foo", 123);
        Assert.Equal(["disconnect(1000,null)", "close(1000,null)", "connecting", "connect"], await ReadLifecycleAsync(all, 4));
        var received = await client.InvokeAsync("conformance.received", new { @event = "foo" });
        Assert.Equal("[123]", TestClients.Json(received));
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task C33_full_sequence(string target)
    {
        var server = await SharedServerAsync(target);
        var client = SocketClusterClient.Create(server.ClientOptions() with { AutoConnect = false });
        await using var _ = client;
        await using var all = client.AllEvents().CreateConsumer();
        client.Connect();
        client.Disconnect(1000, "One");
        client.Connect();
        client.Disconnect(4444, "Two");
        client.Connect();
        var expected = new List<string>
        {
            "connecting", "connectAbort(1000,One)", "close(1000,One)",
            "connecting", "connectAbort(4444,Two)", "close(4444,Two)",
            "connecting", "connect",
        };
        var seen = await ReadLifecycleAsync(all, expected.Count);
        client.Disconnect(4455, "Three");
        seen.AddRange(await ReadLifecycleAsync(all, 2));
        expected.AddRange(["disconnect(4455,Three)", "close(4455,Three)"]);
        Assert.Equal(expected, seen);
    }

    [Fact]
    public async Task C34_listener_once_with_a_timeout_rejects_with_TimeoutError()
    {
        await using var client = SocketClusterClient.Create(new ClientOptions { AutoConnect = false });
        var error = await Assert.ThrowsAnyAsync<ScError>(() => client.Listener(ClientEvents.AuthStateChange).OnceAsync(TimeSpan.FromMilliseconds(100)));
        Assert.Equal(ScErrorNames.TimeoutError, error.Name);
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task Cid_counter_continues_across_reconnects(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = await TestClients.ConnectAsync(server);
        await client.InvokeAsync("conformance.echo", 1); // handshake was cid 1, this is cid 2
        await using var connects = client.Listener(ClientEvents.Connect).CreateConsumer();
        client.Reconnect();
        await connects.NextAsync(); // the second handshake took cid 3, not 1
        Assert.Equal(4, client.NextCid);
    }
}
