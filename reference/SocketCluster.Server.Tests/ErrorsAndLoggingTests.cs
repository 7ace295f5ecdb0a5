using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using SocketCluster.Protocol;
using SocketCluster.Server.Tests.Infrastructure;

namespace SocketCluster.Server.Tests;

/// <summary>
/// Issue 12's error and logging rules on the server: one absent/null data convention, Transmit never throws,
/// InvokeAsync faults its task, handler exceptions are logged and answered, and the log lines a client can cause
/// (dropped and unanswered messages) are rate-limited.
/// </summary>
public sealed class ErrorsAndLoggingTests
{
    public static TheoryData<string> Unserialisable => [.. UnserialisableData.Kinds];

    [Fact]
    public async Task Null_data_is_no_data_key_for_every_overload_and_NullElement_is_JSON_null()
    {
        await using var host = await TestHost.StartAsync();
        var connection = host.NextConnectionAsync();
        await using var client = await host.ConnectOpenAsync();
        var socket = await connection;
        socket.Transmit("a");
        socket.Transmit("b", null);
        socket.Transmit("c", (object?)null);
        socket.Transmit("d", (JsonElement?)null);
        socket.Transmit("e", ScCodec.NullElement);
        socket.Transmit("f", (object?)ScCodec.NullElement);
        Assert.Equal("""{"event":"a"}""", await client.ReceiveAsync());
        Assert.Equal("""{"event":"b"}""", await client.ReceiveAsync());
        Assert.Equal("""{"event":"c"}""", await client.ReceiveAsync());
        Assert.Equal("""{"event":"d"}""", await client.ReceiveAsync());
        Assert.Equal("""{"event":"e","data":null}""", await client.ReceiveAsync());
        Assert.Equal("""{"event":"f","data":null}""", await client.ReceiveAsync());

        var invoke = socket.InvokeAsync("i", (object?)null);
        Assert.Equal("""{"event":"i","cid":1}""", await client.ReceiveAsync());
        await client.SendAsync("""{"rid":1}""");
        Assert.Null(await invoke.WithTimeout());
        var nullInvoke = socket.InvokeAsync("j", ScCodec.NullElement);
        Assert.Equal("""{"event":"j","cid":2,"data":null}""", await client.ReceiveAsync());
        await client.SendAsync("""{"rid":2,"data":null}""");
        Assert.Equal(JsonValueKind.Null, (await nullInvoke.WithTimeout())!.Value.ValueKind);
    }

    [Fact]
    public async Task Request_End_with_null_sends_no_data_key_and_with_NullElement_sends_null()
    {
        await using var host = await TestHost.StartAsync();
        host.OnConnection(socket => _ = socket.Procedure("p", request =>
        {
            switch (request.Data?.GetString())
            {
                case "null": request.End(null); break;
                case "object-null": request.End((object?)null); break;
                default: request.End(ScCodec.NullElement); break;
            }
        }));
        await using var client = await host.ConnectOpenAsync();
        Assert.Equal("""{"rid":2}""", (await client.InvokeAsync("p", "null")).GetRawText());
        Assert.Equal("""{"rid":3}""", (await client.InvokeAsync("p", "object-null")).GetRawText());
        Assert.Equal("""{"rid":4,"data":null}""", (await client.InvokeAsync("p", "json-null")).GetRawText());
    }

    [Theory]
    [MemberData(nameof(Unserialisable))]
    public async Task Transmit_never_throws_on_data_it_cannot_serialise_and_reports_a_JsonException(string kind)
    {
        await using var host = await TestHost.StartAsync();
        var connection = host.NextConnectionAsync();
        await using var client = await host.ConnectOpenAsync();
        var socket = await connection;
        await using var errors = socket.Listener(ServerSocketEvents.Error).CreateConsumer();
        socket.Transmit("bad", UnserialisableData.Of(kind)); // must not throw
        socket.Transmit("marker", 1);
        Assert.Equal("""{"event":"marker","data":1}""", await client.ReceiveAsync()); // the bad one was dropped
        var reported = (await errors.NextAsync(Waits.Long)).Error;
        Assert.IsType<JsonException>(reported);
    }

    [Theory]
    [MemberData(nameof(Unserialisable))]
    public async Task InvokeAsync_faults_its_task_with_a_JsonException_for_data_it_cannot_serialise(string kind)
    {
        await using var host = await TestHost.StartAsync();
        var connection = host.NextConnectionAsync();
        await using var client = await host.ConnectOpenAsync();
        var socket = await connection;
        var untyped = socket.InvokeAsync("x", UnserialisableData.Of(kind)); // no synchronous throw
        var typed = socket.InvokeAsync<int>("x", UnserialisableData.Of(kind));
        await Assert.ThrowsAsync<JsonException>(() => untyped);
        await Assert.ThrowsAsync<JsonException>(() => typed);
        await client.AssertNoFrameAsync();
    }

    [Fact]
    public async Task InvokeAsync_throws_synchronously_only_for_bad_arguments()
    {
        await using var host = await TestHost.StartAsync();
        var connection = host.NextConnectionAsync();
        await using var client = await host.ConnectOpenAsync();
        var socket = await connection;
        Assert.Throws<ArgumentNullException>(() => { _ = socket.InvokeAsync(null!, 1); });
        Assert.Throws<ArgumentNullException>(() => { _ = socket.InvokeAsync<int>(null!, 1); });
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = socket.InvokeAsync("x", 1, ackTimeout: TimeSpan.Zero); });
        Assert.Throws<ArgumentNullException>(() => socket.Transmit(null!, 1));
        await client.CloseAsync();
        await Waits.Until(() => socket.State == SocketState.Closed, "the socket closes");
        var closed = socket.InvokeAsync("x", 1); // a bad connection is a faulted task, not a throw
        await Assert.ThrowsAsync<ScBadConnectionException>(() => closed);
        socket.Transmit("x", 1); // never throws
    }

    [Fact]
    public async Task A_procedure_handler_that_throws_is_logged_answered_with_the_error_and_keeps_serving()
    {
        var logs = new FakeLogCollector();
        await using var host = await TestHost.StartAsync(logs: logs);
        var reported = new ConcurrentQueue<Exception>();
        host.OnConnection(socket =>
        {
            _ = TestHost.Serve(socket.Listener(ServerSocketEvents.Error), e => reported.Enqueue(e.Error!));
            _ = socket.Procedure("p", async request =>
            {
                await Task.Yield();
                if (request.Data?.GetInt32() == 0) throw new InvalidOperationException("zero is not served");
                request.End(request.Data);
            });
        });
        await using var client = await host.ConnectOpenAsync();
        var failed = await client.InvokeAsync("p", 0);
        Assert.Equal("""{"rid":2,"error":{"message":"zero is not served","name":"InvalidOperationException"}}""", failed.GetRawText()); // no stack
        Assert.Equal("""{"rid":3,"data":5}""", (await client.InvokeAsync("p", 5)).GetRawText()); // the loop goes on
        await Waits.Until(() => reported.Any(), "the exception is reported on the socket's 'error' listener");
        var line = Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 24);
        Assert.Equal(LogLevel.Error, line.Level);
        Assert.IsType<InvalidOperationException>(line.Exception);
        Assert.Contains("'p'", line.Message);
    }

    [Fact]
    public async Task A_procedure_handler_that_answered_before_throwing_is_not_answered_twice()
    {
        await using var host = await TestHost.StartAsync();
        host.OnConnection(socket => _ = socket.Procedure("p", request =>
        {
            request.End("done");
            throw new InvalidOperationException("after the answer");
        }));
        await using var client = await host.ConnectOpenAsync();
        Assert.Equal("""{"rid":2,"data":"done"}""", (await client.InvokeAsync("p")).GetRawText());
        await client.AssertNoFrameAsync();
    }

    [Fact]
    public async Task A_receiver_handler_that_throws_is_logged_and_the_next_event_is_still_handled()
    {
        var logs = new FakeLogCollector();
        await using var host = await TestHost.StartAsync(logs: logs);
        var handled = new ConcurrentQueue<int>();
        host.OnConnection(socket => _ = socket.Receiver<int>("n", n =>
        {
            if (n == 0) throw new InvalidOperationException("zero");
            handled.Enqueue(n);
        }));
        await using var client = await host.ConnectOpenAsync();
        await client.TransmitAsync("n", 0);
        await client.TransmitAsync("n", 1);
        await Waits.Until(() => handled.Contains(1), "the event after the failing one is handled");
        var line = Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 25);
        Assert.Equal(LogLevel.Error, line.Level);
        Assert.Contains("'n'", line.Message);
    }

    [Fact]
    public async Task Transmits_nobody_consumes_are_logged_rate_limited()
    {
        var logs = new FakeLogCollector();
        await using var host = await TestHost.StartAsync(logs: logs);
        var connection = host.NextConnectionAsync();
        await using var client = await host.ConnectOpenAsync();
        var socket = await connection;
        const int sent = 50;
        for (var i = 0; i < sent; i++) await client.TransmitAsync("nobody", i);
        await client.SendRequestAsync("nobodyProc"); // an invoke nobody serves: logged too (same limit)
        await client.TransmitAsync("marker-unconsumed", 0);
        // The processing is in order: once a later invoke is answered, every transmit before it has been processed.
        await client.InvokeAsync("#subscribe", new { channel = "sync" });
        var dropped = logs.GetSnapshot().Where(r => r.Id.Id is 20 or 21).ToList();
        // At least one line (a drop is never silent) and at most the limiter's burst (10 per 10 s; the run is far
        // shorter than a window, and a new window would only allow 10 more).
        Assert.InRange(dropped.Count, 1, 10);
        Assert.All(dropped, r => Assert.Equal(LogLevel.Warning, r.Level));
        Assert.Contains($"Socket {socket.Id} transmitted 'nobody'", dropped[0].Message);
    }

    [Fact]
    public async Task An_invoke_nobody_serves_is_logged()
    {
        var logs = new FakeLogCollector();
        await using var host = await TestHost.StartAsync(logs: logs);
        await using var client = await host.ConnectOpenAsync();
        await client.SendRequestAsync("unserved");
        await Waits.Until(() => logs.GetSnapshot().Any(r => r.Id.Id == 21), "the unserved invoke is logged");
        Assert.Contains("invoked 'unserved' but nothing consumes that procedure", logs.GetSnapshot().First(r => r.Id.Id == 21).Message);
    }

    [Fact]
    public async Task A_request_left_unanswered_past_the_ackTimeout_is_logged_and_an_answered_one_is_not()
    {
        var logs = new FakeLogCollector();
        await using var host = await TestHost.StartAsync(o => o.AckTimeout = TimeSpan.FromMilliseconds(300), logs: logs);
        var kept = new ConcurrentQueue<ScRequest>();
        host.OnConnection(socket => _ = socket.Procedure("keep", request =>
        {
            if (request.Data?.GetString() == "answer") request.End();
            else kept.Enqueue(request); // a consumer that holds the request and never answers
        }));
        await using var client = await host.ConnectOpenAsync();
        await client.InvokeAsync("keep", "answer");
        var cid = await client.SendRequestAsync("keep", "hold");
        await Waits.Until(() => logs.GetSnapshot().Any(r => r.Id.Id == 22), "the unanswered request is logged");
        var line = Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 22);
        Assert.Contains($"Request {cid} for 'keep'", line.Message);
    }

    [Fact]
    public async Task A_response_to_an_unknown_cid_is_logged_at_debug()
    {
        var logs = new FakeLogCollector();
        await using var host = await TestHost.StartAsync(logs: logs);
        await using var client = await host.ConnectOpenAsync();
        await client.SendAsync("""{"rid":987,"data":1}""");
        await Waits.Until(() => logs.GetSnapshot().Any(r => r.Id.Id == 23), "the unknown rid is logged");
        Assert.Equal(LogLevel.Debug, logs.GetSnapshot().First(r => r.Id.Id == 23).Level);
    }

    [Fact]
    public async Task The_server_logs_its_connection_lifecycle_through_the_app_logger_factory()
    {
        var logs = new FakeLogCollector();
        await using var host = await TestHost.StartAsync(logs: logs);
        var client = await host.ConnectOpenAsync();
        await client.CloseAsync(4321, "bye");
        await client.DisposeAsync();
        await Waits.Until(() => logs.GetSnapshot().Any(r => r.Message.Contains("disconnected: 4321 bye")), "the disconnection is logged");
        Assert.Contains(logs.GetSnapshot(), r => r.Message.Contains("connected from 127.0.0.1") && r.Category == "SocketCluster.Server");
    }
}
