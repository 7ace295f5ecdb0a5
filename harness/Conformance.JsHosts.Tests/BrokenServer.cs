using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Conformance.JsHosts.Tests;

public enum BrokenServerMode
{
    /// <summary>Protocol v2 done right: "" pings, #publish envelopes. The control case.</summary>
    Correct,

    /// <summary>Pings with the protocol-v1 style "#1" although the handshake is v2 (a v2 client wants "").</summary>
    V1PingStyle,

    /// <summary>Sends a publication as a bare {channel, data} object, without the {"event":"#publish"} envelope.</summary>
    PublishWithoutEnvelope,
}

/// <summary>
/// A deliberately small, deliberately wrong SocketCluster v2 server (Kestrel WebSockets on 127.0.0.1:0): it answers
/// #handshake, #subscribe (then publishes "hello" to the channel) and customProc, pings every
/// <see cref="PingIntervalMs"/>, and breaks one rule depending on <see cref="Mode"/>. It shows the hosts' checks can fail.
/// </summary>
public sealed class BrokenServer : IAsyncDisposable
{
    public const int PingIntervalMs = 250;
    public const int PingTimeoutMs = 3000; // generous: a loaded machine may stall a client for a while

    readonly WebApplication _app;
    readonly CancellationTokenSource _stop = new();
    readonly ConcurrentQueue<string> _received = new();
    readonly ConcurrentQueue<int?> _closeCodes = new();
    int _pongs;

    BrokenServer(WebApplication app, BrokenServerMode mode)
    {
        _app = app;
        Mode = mode;
    }

    public BrokenServerMode Mode { get; }
    public int Port { get; private set; }

    /// <summary>"" pong frames received (the v2 answer to a "" ping).</summary>
    public int Pongs => Volatile.Read(ref _pongs);

    /// <summary>Close codes of client-initiated closes (null: the close frame had no code).</summary>
    public IReadOnlyCollection<int?> CloseCodes => _closeCodes;

    /// <summary>Every text frame received, in order.</summary>
    public IReadOnlyCollection<string> Received => _received;

    public static async Task<BrokenServer> StartAsync(BrokenServerMode mode)
    {
        var app = LoopbackWebApp.Create();
        var server = new BrokenServer(app, mode);
        app.Map("/socketcluster/", async (HttpContext context) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }
            using var ws = await context.WebSockets.AcceptWebSocketAsync();
            await server.ServeAsync(ws);
        });
        server.Port = await LoopbackWebApp.StartAsync(app);
        return server;
    }

    async Task ServeAsync(WebSocket ws)
    {
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        var writeLock = new SemaphoreSlim(1, 1); // one writer per WebSocket
        async Task Send(string text)
        {
            await writeLock.WaitAsync(connection.Token);
            try
            {
                await ws.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, connection.Token);
            }
            finally
            {
                writeLock.Release();
            }
        }

        var pinging = Task.Run(async () =>
        {
            string ping = Mode == BrokenServerMode.V1PingStyle ? "#1" : "";
            try
            {
                while (true)
                {
                    await Task.Delay(PingIntervalMs, connection.Token);
                    await Send(ping);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
            {
            }
        });

        var buffer = new byte[64 * 1024];
        try
        {
            while (ws.State == WebSocketState.Open)
            {
                var message = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await ws.ReceiveAsync(buffer, connection.Token);
                    message.Write(buffer, 0, result.Count);
                } while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    _closeCodes.Enqueue((int?)result.CloseStatus);
                    await ws.CloseOutputAsync(result.CloseStatus ?? WebSocketCloseStatus.Empty, result.CloseStatusDescription, CancellationToken.None);
                    break;
                }
                string text = Encoding.UTF8.GetString(message.ToArray());
                _received.Enqueue(text);
                if (text == "")
                {
                    Interlocked.Increment(ref _pongs);
                    continue;
                }
                foreach (var reply in Handle(text)) await Send(reply);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }
        finally
        {
            connection.Cancel();
            await pinging;
        }
    }

    IEnumerable<string> Handle(string text)
    {
        JsonObject? packet;
        try
        {
            packet = JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            yield break;
        }
        if (packet is null || packet["cid"] is not JsonValue cidValue || !cidValue.TryGetValue(out int cid)) yield break;
        switch ((string?)packet["event"])
        {
            case "#handshake":
                yield return $$$"""{"rid":{{{cid}}},"data":{"id":"broken-{{{Guid.NewGuid():N}}}","pingTimeout":{{{PingTimeoutMs}}},"isAuthenticated":false}}""";
                break;
            case "#subscribe":
                string channel = (string?)packet["data"]?["channel"] ?? "";
                string quoted = JsonSerializer.Serialize(channel);
                yield return $$"""{"rid":{{cid}}}""";
                yield return Mode == BrokenServerMode.PublishWithoutEnvelope
                    ? $$"""{"channel":{{quoted}},"data":"hello"}"""
                    : $$$"""{"event":"#publish","data":{"channel":{{{quoted}}},"data":"hello"}}""";
                break;
            case "customProc":
                yield return $$"""{"rid":{{cid}},"data":"Success"}""";
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await LoopbackWebApp.StopAsync(_app);
        _stop.Dispose();
    }
}
