using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using SocketCluster.Client;
using SocketCluster.Client.Tests.Infrastructure;
using SocketCluster.Protocol;

namespace SocketCluster.Client.Tests.Robustness;

/// <summary>
/// Issue 12's error and logging rules on the client, read on the wire by a scripted server: the absent/null data
/// convention (the server's), Transmit never throws, InvokeAsync faults its task with a type a catch can name,
/// handler exceptions are logged and answered, and the log lines the server can cause are rate-limited.
/// </summary>
public sealed class ErrorsAndLoggingTests
{
    public static TheoryData<string> Unserialisable => [.. UnserialisableData.Kinds];

    private static Func<ClientOptions, ClientOptions> Logging(FakeLogCollector logs) =>
        o => o with { LoggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(new FakeLoggerProvider(logs))) };

    [Fact]
    public async Task Null_data_is_no_data_key_for_every_overload_and_NullElement_is_JSON_null()
    {
        var (server, client, connection) = await ScriptedServer.StartConnectedAsync();
        await using var serverScope = server;
        await using var __ = client;
        client.Transmit("a");
        client.Transmit("b", null);
        client.Transmit("c", (object?)null);
        client.Transmit("d", ScCodec.NullElement);
        client.Transmit("e", (object?)ScCodec.NullElement);
        _ = client.InvokeAsync("i", (object?)null);
        client.TransmitPublish("p", (object?)null);
        string[] expected =
        [
            """{"event":"a"}""", """{"event":"b"}""", """{"event":"c"}""",
            """{"event":"d","data":null}""", """{"event":"e","data":null}""",
            """{"event":"i","cid":2}""", """{"event":"#publish","data":{"channel":"p"}}""",
        ];
        foreach (var frame in expected) Assert.Equal(frame, await connection.ReceiveAsync());

        _ = client.Procedure("p", request =>
        {
            switch (request.Data?.GetString())
            {
                case "null": request.End(null); break;
                case "object-null": request.End((object?)null); break;
                default: request.End(ScCodec.NullElement); break;
            }
        });
        await connection.SendAsync("""{"event":"p","data":"null","cid":7}""");
        await connection.SendAsync("""{"event":"p","data":"object-null","cid":8}""");
        await connection.SendAsync("""{"event":"p","data":"json-null","cid":9}""");
        Assert.Equal("""{"rid":7}""", await connection.ReceiveAsync());
        Assert.Equal("""{"rid":8}""", await connection.ReceiveAsync());
        Assert.Equal("""{"rid":9,"data":null}""", await connection.ReceiveAsync());
    }

    [Theory]
    [MemberData(nameof(Unserialisable))]
    public async Task Transmit_never_throws_on_data_it_cannot_serialise_and_reports_a_JsonException(string kind)
    {
        var (server, client, connection) = await ScriptedServer.StartConnectedAsync();
        await using var serverScope = server;
        await using var __ = client;
        await using var errors = client.Listener<ErrorEvent>(ClientEvents.Error).CreateConsumer();
        client.Transmit("bad", UnserialisableData.Of(kind)); // must not throw
        client.TransmitPublish("bad", UnserialisableData.Of(kind));
        client.Transmit("marker", 1);
        Assert.Equal("""{"event":"marker","data":1}""", await connection.ReceiveAsync()); // the bad ones were dropped
        Assert.IsType<JsonException>((await errors.NextAsync()).Error);
        Assert.IsType<JsonException>((await errors.NextAsync()).Error);
    }

    [Theory]
    [MemberData(nameof(Unserialisable))]
    public async Task InvokeAsync_faults_its_task_with_a_JsonException_for_data_it_cannot_serialise(string kind)
    {
        var (server, client, connection) = await ScriptedServer.StartConnectedAsync();
        await using var serverScope = server;
        await using var __ = client;
        var untyped = client.InvokeAsync("x", UnserialisableData.Of(kind)); // no synchronous throw
        var typed = client.InvokeAsync<int>("x", UnserialisableData.Of(kind));
        var publish = client.InvokePublishAsync("x", UnserialisableData.Of(kind));
        await Assert.ThrowsAsync<JsonException>(() => untyped);
        await Assert.ThrowsAsync<JsonException>(() => typed);
        await Assert.ThrowsAsync<JsonException>(() => publish);
        client.Transmit("marker");
        Assert.Equal("""{"event":"marker"}""", await connection.ReceiveAsync()); // nothing else was sent
    }

    [Fact]
    public async Task InvokeAsync_throws_synchronously_only_for_bad_arguments()
    {
        await using var client = SocketClusterClient.Create(new ClientOptions { AutoConnect = false });
        Assert.Throws<ArgumentNullException>(() => { _ = client.InvokeAsync(null!, (object?)1); });
        Assert.Throws<ArgumentNullException>(() => { _ = client.InvokeAsync<int>(null!, (object?)1); });
        Assert.Throws<ArgumentNullException>(() => client.Transmit(null!, (object?)1));
        Assert.Throws<ArgumentException>(() => SocketClusterClient.Create("not a url"));
        await client.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.InvokeAsync("x"));
    }

    [Fact]
    public async Task Subscribe_Unsubscribe_and_Connect_throw_as_documented()
    {
        await using var client = SocketClusterClient.Create(new ClientOptions { AutoConnect = false });
        Assert.Throws<ArgumentNullException>(() => client.Subscribe(null!));
        Assert.Throws<ArgumentNullException>(() => client.Unsubscribe(null!));
        var invalid = Assert.Throws<ScError>(() => client.Connect(new ClientOptions { AutoConnect = false, ProtocolVersion = 3 }));
        Assert.Equal(ScErrorNames.InvalidArgumentsError, invalid.Name);
        await Assert.ThrowsAsync<ArgumentNullException>(() => client.AuthenticateAsync(null!));
        await client.DisposeAsync();
        Assert.Throws<ObjectDisposedException>(() => client.Connect(new ClientOptions { AutoConnect = false }));
    }

    [Fact]
    public async Task InvokeAsync_fails_with_ScTimeoutException_after_the_ackTimeout()
    {
        var (server, client, _) = await ScriptedServer.StartConnectedAsync(o => o with { AckTimeout = TimeSpan.FromMilliseconds(200) });
        await using var __ = server;
        await using var ___ = client;
        var error = await Assert.ThrowsAsync<ScTimeoutException>(() => client.InvokeAsync("silence").Within());
        Assert.Equal(("TimeoutError", "Event response for silence event timed out"), (error.Name, error.Message));
    }

    [Fact]
    public async Task InvokeAsync_fails_with_ScRemoteException_carrying_name_message_and_extra_properties()
    {
        var (server, client, connection) = await ScriptedServer.StartConnectedAsync();
        await using var serverScope = server;
        await using var __ = client;
        var call = client.InvokeAsync<string>("fails", (object?)1);
        var cid = (await connection.ReceivePacketAsync()).GetProperty("cid").GetInt64();
        await connection.SendAsync($$$"""{"rid":{{{cid}}},"error":{"message":"nope","name":"BadCustomError","statusCode":418}}""");
        var error = await Assert.ThrowsAsync<ScRemoteException>(() => call.Within());
        Assert.Equal(("BadCustomError", "nope", 418), (error.Name, error.Message, (int)error["statusCode"]!));
    }

    [Fact]
    public async Task InvokeAsync_fails_with_ScBadConnectionException_when_the_connection_ends_first()
    {
        var (server, client, connection) = await ScriptedServer.StartConnectedAsync();
        await using var serverScope = server;
        await using var __ = client;
        var call = client.InvokeAsync("pending");
        await connection.ReceivePacketAsync();
        await connection.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "going");
        var error = await Assert.ThrowsAsync<ScBadConnectionException>(() => call.Within());
        Assert.Equal(("disconnect", 1001), (error.Type, error.Code));
    }

    [Fact]
    public async Task InvokeAsync_is_cancelled_by_its_token()
    {
        var (server, client, _) = await ScriptedServer.StartConnectedAsync();
        await using var __ = server;
        await using var ___ = client;
        using var cts = new CancellationTokenSource();
        var call = client.InvokeAsync("pending", cancellationToken: cts.Token);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.Within());
    }

    [Fact]
    public async Task A_procedure_handler_that_throws_is_logged_answered_with_the_error_and_keeps_serving()
    {
        var logs = new FakeLogCollector();
        var (server, client, connection) = await ScriptedServer.StartConnectedAsync(Logging(logs));
        await using var serverScope = server;
        await using var __ = client;
        await using var errors = client.Listener<ErrorEvent>(ClientEvents.Error).CreateConsumer();
        _ = client.Procedure("p", async request =>
        {
            await Task.Yield();
            if (request.Data?.GetInt32() == 0) throw new InvalidOperationException("zero is not served");
            request.End(request.Data);
        });
        await connection.SendAsync("""{"event":"p","data":0,"cid":5}""");
        await connection.SendAsync("""{"event":"p","data":6,"cid":6}""");
        Assert.Equal("""{"rid":5,"error":{"message":"zero is not served","name":"InvalidOperationException"}}""", await connection.ReceiveAsync()); // no stack
        Assert.Equal("""{"rid":6,"data":6}""", await connection.ReceiveAsync()); // the loop goes on
        Assert.IsType<InvalidOperationException>((await errors.NextAsync()).Error);
        var line = Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 10);
        Assert.Equal(LogLevel.Error, line.Level);
        Assert.IsType<InvalidOperationException>(line.Exception);
    }

    [Fact]
    public async Task A_receiver_handler_that_throws_is_logged_and_the_next_event_is_still_handled()
    {
        var logs = new FakeLogCollector();
        var (server, client, connection) = await ScriptedServer.StartConnectedAsync(Logging(logs));
        await using var serverScope = server;
        await using var __ = client;
        var handled = new ConcurrentQueue<int>();
        _ = client.Receiver<int>("n", n =>
        {
            if (n == 0) throw new InvalidOperationException("zero");
            handled.Enqueue(n);
        });
        await connection.SendAsync("""{"event":"n","data":0}""");
        await connection.SendAsync("""{"event":"n","data":1}""");
        await TestClients.UntilAsync(() => handled.Contains(1), "the event after the failing one is handled");
        var line = Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 11);
        Assert.Contains("'n'", line.Message);
    }

    [Fact]
    public async Task The_connection_lifecycle_is_logged()
    {
        var logs = new FakeLogCollector();
        var (server, client, connection) = await ScriptedServer.StartConnectedAsync(o => Logging(logs)(o) with { AutoReconnect = true });
        await using var serverScope = server;
        await using var __ = client;
        await using var closes = client.Listener(ClientEvents.Close).CreateConsumer();
        await connection.CloseAsync((WebSocketCloseStatus)4321, "bye");
        await closes.NextAsync();
        var messages = logs.GetSnapshot().Select(r => r.Message).ToList();
        Assert.Contains(messages, m => m.StartsWith("Connecting to ws://127.0.0.1:", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("Connected to ws://127.0.0.1:", StringComparison.Ordinal) && m.Contains("as socket scripted"));
        Assert.Contains("Disconnected: 4321 bye", messages);
        Assert.Contains(messages, m => m.StartsWith("Reconnecting in 00:00:30 (attempt 1)", StringComparison.Ordinal));
        Assert.All(logs.GetSnapshot(), r => Assert.Equal("SocketCluster.Client", r.Category));
    }

    [Fact]
    public async Task A_handshake_auth_error_is_logged()
    {
        var logs = new FakeLogCollector();
        await using var server = await ScriptedServer.StartAsync();
        await using var client = SocketClusterClient.Create(Logging(logs)(server.ClientOptions()));
        await using var connects = client.Listener(ClientEvents.Connect).CreateConsumer();
        client.Connect();
        var connection = await server.AcceptAsync();
        var cid = (await connection.ReceivePacketAsync()).GetProperty("cid").GetInt64();
        await connection.SendAsync("{\"rid\":" + cid + ""","data":{"id":"s","pingTimeout":30000,"isAuthenticated":false,"authError":{"name":"AuthTokenExpiredError","message":"jwt expired"}}}""");
        await connects.NextAsync();
        Assert.Contains(logs.GetSnapshot(), r => r.Level == LogLevel.Warning && r.Message.Contains("AuthTokenExpiredError: jwt expired"));
    }

    [Fact]
    public async Task Messages_nothing_consumes_and_unknown_responses_are_logged_rate_limited()
    {
        var logs = new FakeLogCollector();
        var (server, client, connection) = await ScriptedServer.StartConnectedAsync(Logging(logs));
        await using var serverScope = server;
        await using var __ = client;
        const int sent = 50;
        for (var i = 0; i < sent; i++) await connection.SendAsync($$"""{"event":"nobody","data":{{i}}}""");
        await connection.SendAsync("""{"event":"nobodyProc","cid":3}""");
        for (var i = 0; i < sent; i++) await connection.SendAsync($$"""{"rid":{{1000 + i}}}""");
        // Inbound processing is in order: once a later request is served, everything before it has been processed.
        _ = client.Procedure("sync", request => request.End());
        await connection.SendAsync("""{"event":"sync","cid":4}""");
        Assert.Equal("""{"rid":4}""", await connection.ReceiveAsync());
        var dropped = logs.GetSnapshot().Where(r => r.Id.Id is 7 or 8).ToList();
        var unknown = logs.GetSnapshot().Where(r => r.Id.Id == 9).ToList();
        // Never silent (at least one line each) and bounded by the limiter's burst of 10 per 10 s (the run is far
        // shorter than one window).
        Assert.InRange(dropped.Count, 1, 10);
        Assert.InRange(unknown.Count, 1, 10);
        Assert.Contains("transmitted 'nobody'", dropped[0].Message);
    }

    [Fact]
    public async Task A_request_left_unanswered_past_the_ackTimeout_is_logged_and_an_answered_one_is_not()
    {
        var logs = new FakeLogCollector();
        var (server, client, connection) = await ScriptedServer.StartConnectedAsync(o => Logging(logs)(o) with { AckTimeout = TimeSpan.FromMilliseconds(300) });
        await using var serverScope = server;
        await using var __ = client;
        var kept = new ConcurrentQueue<ProcedureRequest>();
        _ = client.Procedure("keep", request =>
        {
            if (request.Data?.GetString() == "answer") request.End();
            else kept.Enqueue(request); // a consumer that holds the request and never answers
        });
        await connection.SendAsync("""{"event":"keep","data":"answer","cid":5}""");
        await connection.SendAsync("""{"event":"keep","data":"hold","cid":6}""");
        Assert.Equal("""{"rid":5}""", await connection.ReceiveAsync());
        await TestClients.UntilAsync(() => logs.GetSnapshot().Any(r => r.Id.Id == 13), "the unanswered request is logged");
        var line = Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 13);
        Assert.Contains("Request 6 for 'keep'", line.Message);
    }

    [Fact]
    public void The_rate_limiter_bounds_each_window_and_reports_what_it_left_out()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var limit = new LogRateLimiter(3, TimeSpan.FromSeconds(10), time);
        var allowed = Enumerable.Range(0, 10).Count(_ => limit.TryAcquire(out var s) && s == 0);
        Assert.Equal(3, allowed);
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(limit.TryAcquire(out var suppressed));
        Assert.Equal(7, suppressed);
        Assert.True(limit.TryAcquire(out suppressed));
        Assert.Equal(0, suppressed);
    }
}
