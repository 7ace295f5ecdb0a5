using System.Collections.Concurrent;
using SocketCluster.Protocol;
using SocketCluster.Server.Middleware;
using SocketCluster.Server.Tests.Infrastructure;

namespace SocketCluster.Server.Tests;

public sealed class MiddlewareTests
{
    private static Action<SocketClusterServer> Inbound(Action<MiddlewareAction> decide) =>
        s => s.SetMiddleware(MiddlewareTypes.Inbound, async stream =>
        {
            await foreach (var action in stream) decide(action);
        });

    [Fact]
    public async Task A_blocked_invoke_gets_the_custom_error_intact()
    {
        await using var host = await TestHost.StartAsync(setup: Inbound(a =>
        {
            if (a.Type == ActionTypes.Invoke) a.Block(new ScError("BlockedInvokeError", "Invoke was blocked", new() { ["code"] = 7, ["info"] = new System.Text.Json.Nodes.JsonObject { ["x"] = true } }));
            else a.Allow();
        }));
        host.ServeEcho();
        await using var client = await host.ConnectOpenAsync();
        var response = await client.InvokeAsync("echo", 1);
        Assert.Equal("""{"rid":2,"error":{"message":"Invoke was blocked","name":"BlockedInvokeError","code":7,"info":{"x":true}}}""", response.GetRawText());
    }

    [Theory]
    [InlineData("echo", """{"event":"echo","data":1,"cid":2}""", "The invoke AGAction was blocked by inbound middleware")]
    [InlineData("#subscribe", """{"event":"#subscribe","data":{"channel":"c"},"cid":2}""", "The subscribe AGAction was blocked by inbound middleware")]
    [InlineData("#publish", """{"event":"#publish","data":{"channel":"c","data":1},"cid":2}""", "The publishIn AGAction was blocked by inbound middleware")]
    public async Task A_silent_block_gives_SilentMiddlewareBlockedError(string _, string frame, string message)
    {
        await using var host = await TestHost.StartAsync(setup: Inbound(a => a.Block()));
        host.ServeEcho();
        await using var client = await host.ConnectOpenAsync();
        await client.SendAsync(frame);
        Assert.Equal($$$"""{"rid":2,"error":{"message":"{{{message}}}","name":"SilentMiddlewareBlockedError","type":"inbound"}}""",
            (await client.ReceiveJsonAsync()).GetRawText());
    }

    [Fact]
    public async Task An_error_marked_silent_is_replaced_for_the_client_but_emitted_as_is()
    {
        await using var host = await TestHost.StartAsync(setup: Inbound(a => a.Block(new ScError("SecretError", "internal detail").With("silent", true))));
        var warnings = host.Server.Listener(ServerEvents.Warning).CreateConsumer();
        host.ServeEcho();
        await using var client = await host.ConnectOpenAsync();
        var error = (await client.InvokeAsync("echo", 1)).GetProperty("error");
        Assert.Equal("SilentMiddlewareBlockedError", error.GetProperty("name").GetString());
        var warning = await warnings.NextAsync(Waits.Long);
        Assert.Equal("internal detail", warning.Warning!.Message);
    }

    [Fact]
    public async Task A_blocked_transmit_is_dropped_without_reply()
    {
        await using var host = await TestHost.StartAsync(setup: Inbound(a =>
        {
            if (a.Type == ActionTypes.Transmit && a.Receiver == "secret") a.Block();
            else a.Allow();
        }));
        var received = new ConcurrentQueue<string>();
        host.OnConnection(socket =>
        {
            _ = TestHost.Serve(socket.Receiver("secret"), d => received.Enqueue("secret"));
            _ = TestHost.Serve(socket.Receiver("open"), d => received.Enqueue("open"));
        });
        await using var client = await host.ConnectOpenAsync();
        await client.TransmitAsync("secret", 1);
        await client.TransmitAsync("open", 1);
        await Waits.Until(() => received.Contains("open"), "the allowed transmit arrives");
        Assert.Equal(["open"], received);
        await client.AssertNoFrameAsync();
    }

    [Fact]
    public async Task Allow_with_data_replaces_what_subscribers_and_procedures_get()
    {
        await using var host = await TestHost.StartAsync(setup: Inbound(a =>
        {
            if (a.Type is ActionTypes.PublishIn or ActionTypes.Invoke) a.Allow("intercepted");
            else a.Allow();
        }));
        host.ServeEcho();
        await using var client = await host.ConnectOpenAsync();
        Assert.Equal("intercepted", (await client.InvokeAsync("echo", "original")).GetProperty("data").GetString());
        await client.InvokeAsync("#subscribe", new { channel = "c" });
        await client.TransmitAsync("#publish", new { channel = "c", data = "original" });
        Assert.Equal("""{"event":"#publish","data":{"channel":"c","data":"intercepted"}}""", await client.ReceiveAsync());
    }

    [Fact]
    public async Task Actions_carry_their_fields()
    {
        var seen = new ConcurrentQueue<string>();
        await using var host = await TestHost.StartAsync(setup: Inbound(a =>
        {
            seen.Enqueue($"{a.Type}|{a.Receiver}{a.Procedure}{a.Channel}|{a.Data?.GetRawText()}");
            a.Allow();
        }));
        await using var client = await host.ConnectOpenAsync();
        await client.TransmitAsync("t", 1);
        await client.TransmitAsync("t2", withData: false);
        await client.InvokeAsync("#subscribe", new { channel = "hello", data = new { k = 1 } });
        await client.InvokeAsync("#publish", new { channel = "hello", data = "world" });
        await client.SendRequestAsync("proc", 123);
        await Waits.Until(() => seen.Count == 5, "five actions");
        Assert.Equal(["transmit|t|1", "transmit|t2|", """subscribe|hello|{"k":1}""", "publishIn|hello|\"world\"", "invoke|proc|123"], seen);
    }

    [Fact]
    public async Task A_slow_middleware_step_delays_only_its_own_socket_and_keeps_order()
    {
        var release = new TaskCompletionSource();
        await using var host = await TestHost.StartAsync(setup: s => s.SetMiddleware(MiddlewareTypes.Inbound, async stream =>
        {
            await foreach (var action in stream)
            {
                if (action.Type == ActionTypes.PublishIn && action.Data?.GetString() == "slow") await release.Task;
                action.Allow();
            }
        }));
        await using var subscriber = await host.ConnectOpenAsync();
        await subscriber.InvokeAsync("#subscribe", new { channel = "c" });
        await using var slow = await host.ConnectOpenAsync();
        await using var fast = await host.ConnectOpenAsync();
        await slow.TransmitAsync("#publish", new { channel = "c", data = "slow" });
        await slow.TransmitAsync("#publish", new { channel = "c", data = "after-slow" });
        await fast.TransmitAsync("#publish", new { channel = "c", data = "fast" });
        Assert.Equal("""{"event":"#publish","data":{"channel":"c","data":"fast"}}""", await subscriber.ReceiveAsync());
        release.SetResult();
        Assert.Equal("""{"event":"#publish","data":{"channel":"c","data":"slow"}}""", await subscriber.ReceiveAsync());
        Assert.Equal("""{"event":"#publish","data":{"channel":"c","data":"after-slow"}}""", await subscriber.ReceiveAsync());
    }

    [Fact]
    public async Task InboundRaw_sees_every_message_can_replace_it_and_a_block_drops_it()
    {
        var seen = new ConcurrentQueue<string>();
        await using var host = await TestHost.StartAsync(setup: s => s.SetMiddleware(MiddlewareTypes.InboundRaw, async stream =>
        {
            await foreach (var action in stream)
            {
                var text = action.Data!.Value.GetString()!;
                seen.Enqueue(text);
                if (text.Contains("\"drop\"")) action.Block();
                else if (text.Contains("\"rewrite\"")) action.Allow("""{"event":"echo","data":"rewritten","cid":77}""");
                else action.Allow();
            }
        }));
        host.ServeEcho();
        await using var client = await host.ConnectOpenAsync();
        await client.SendRequestAsync("echo", "drop");
        await client.SendRequestAsync("echo", "rewrite");
        Assert.Equal("""{"rid":77,"data":"rewritten"}""", (await client.ReceiveJsonAsync()).GetRawText());
        Assert.Contains(seen, m => m.Contains("#handshake"));
        Assert.Equal(3, seen.Count);
    }

    [Fact]
    public async Task PUBLISH_OUT_can_skip_or_rewrite_a_delivery_for_one_socket()
    {
        await using var host = await TestHost.StartAsync(setup: s => s.SetMiddleware(MiddlewareTypes.Outbound, async stream =>
        {
            await foreach (var action in stream)
            {
                var mode = action.Socket!.Request.Query["mode"].ToString();
                if (mode == "skip") action.Block();
                else if (mode == "rewrite") action.Allow($"{action.Data!.Value.GetString()} (for you)");
                else action.Allow();
            }
        }));
        await using var plain = await host.ConnectAsync("?mode=plain");
        await using var skip = await host.ConnectAsync("?mode=skip");
        await using var rewrite = await host.ConnectAsync("?mode=rewrite");
        foreach (var c in new[] { plain, skip, rewrite })
        {
            await c.HandshakeAsync();
            await c.InvokeAsync("#subscribe", new { channel = "c" });
        }
        await host.Server.Exchange.InvokePublishAsync("c", "news");
        Assert.Equal("""{"event":"#publish","data":{"channel":"c","data":"news"}}""", await plain.ReceiveAsync());
        Assert.Equal("""{"event":"#publish","data":{"channel":"c","data":"news (for you)"}}""", await rewrite.ReceiveAsync());
        await skip.AssertNoFrameAsync();
    }

    [Fact]
    public async Task Deciding_twice_and_bad_middleware_registrations_are_refused()
    {
        var second = new TaskCompletionSource<Exception?>();
        await using var host = await TestHost.StartAsync(setup: Inbound(a =>
        {
            a.Allow();
            try { a.Block(); second.TrySetResult(null); }
            catch (Exception e) { second.TrySetResult(e); }
        }));
        await using var client = await host.ConnectOpenAsync();
        await client.TransmitAsync("x", 1);
        var error = Assert.IsType<ScError>(await second.Task.WithTimeout());
        Assert.Equal("AGAction transmit has already been allowed; cannot block", error.Message);

        var again = Assert.Throws<ScError>(() => host.Server.SetMiddleware(MiddlewareTypes.Inbound, _ => Task.CompletedTask));
        Assert.Equal(("InvalidActionError", "Middleware inbound type has already been set"), (again.Name, again.Message));
        var unknown = Assert.Throws<ScError>(() => host.Server.SetMiddleware("sideways", _ => Task.CompletedTask));
        Assert.Equal(("InvalidArgumentsError", "Middleware sideways type is not supported"), (unknown.Name, unknown.Message));
    }
}
