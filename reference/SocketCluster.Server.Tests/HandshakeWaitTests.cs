using SocketCluster.Protocol;
using SocketCluster.Server.Middleware;
using SocketCluster.Server.Tests.Infrastructure;

namespace SocketCluster.Server.Tests;

/// <summary>
/// Handshake middleware that takes its time (MW-006): only its own connection waits, and
/// what that client sends meanwhile (a pong) is handled after the handshake, like the official server's in-order
/// inbound stream (socketcluster-server 14.x instead closed such a socket with 4009). Gated, not timed.
/// </summary>
public sealed class HandshakeWaitTests
{
    [Fact]
    public async Task A_pong_sent_while_HANDSHAKE_SC_waits_is_handled_after_the_handshake()
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await TestHost.StartAsync(setup: s => s.SetMiddleware(MiddlewareTypes.Handshake, async stream =>
        {
            await foreach (var action in stream)
            {
                if (action.Type == ActionTypes.HandshakeSC)
                {
                    reached.TrySetResult();
                    await release.Task;
                }
                action.Allow();
            }
        }));
        await using var client = await host.ConnectAsync();
        var cid = client.NextCid();
        await client.SendAsync(Frames.Event(EventNames.Handshake, ScCodec.ToData(new Dictionary<string, object?> { ["authToken"] = null }), cid));
        await reached.Task.WithTimeout(what: "HANDSHAKE_SC to run");
        await client.SendAsync(""); // the v2 pong, as a client answers a ping that arrives while it is connecting
        release.SetResult();

        var response = await client.ReceiveResponseAsync(cid);
        Assert.True(response.GetProperty("data").TryGetProperty("id", out _), response.GetRawText());
        // Inbound order: the pong is processed before this subscribe, so an answer means the pong did not close the socket.
        var subscribed = await client.InvokeAsync(EventNames.Subscribe, new Dictionary<string, object?> { ["channel"] = "after-the-wait" });
        Assert.False(subscribed.TryGetProperty("error", out _), subscribed.GetRawText());
        Assert.False(client.Closed.IsCompleted, "the socket was closed after a pong sent during the pending handshake");
    }

    [Fact]
    public async Task A_connection_waiting_in_HANDSHAKE_SC_does_not_hold_back_another()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await TestHost.StartAsync(setup: s => s.SetMiddleware(MiddlewareTypes.Handshake, async stream =>
        {
            await foreach (var action in stream)
            {
                if (action.Type == ActionTypes.HandshakeSC && action.Request?.Query["wait"].ToString() == "1") await release.Task;
                action.Allow();
            }
        }));
        await using var waiting = await host.ConnectAsync("?wait=1");
        var waitingCid = waiting.NextCid();
        await waiting.SendAsync(Frames.Event(EventNames.Handshake, ScCodec.ToData(new Dictionary<string, object?> { ["authToken"] = null }), waitingCid));

        await using var other = await host.ConnectAsync();
        var otherResponse = await other.HandshakeAsync();
        Assert.True(otherResponse.GetProperty("data").TryGetProperty("id", out _), otherResponse.GetRawText());

        release.SetResult();
        var waitingResponse = await waiting.ReceiveResponseAsync(waitingCid);
        Assert.True(waitingResponse.GetProperty("data").TryGetProperty("id", out _), waitingResponse.GetRawText());
    }
}
