using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SocketCluster.Client;

namespace SocketCluster.Client.Tests.Infrastructure;

/// <summary>One frame that crossed a <see cref="RecordingRelay"/>.</summary>
public sealed record RelayedFrame(int Connection, bool FromClient, string Text)
{
    /// <summary>The parsed frame; null for pings, pongs and anything that is not JSON.</summary>
    public JsonElement? Json
    {
        get
        {
            try { return JsonDocument.Parse(Text).RootElement.Clone(); }
            catch (JsonException) { return null; }
        }
    }

    public bool IsArray => Json is { ValueKind: JsonValueKind.Array };
    public bool IsPingOrPong => Text is "" or "#1" or "#2";
    public override string ToString() => $"#{Connection} {(FromClient ? "C>S" : "S>C")} {Text}";
}

/// <summary>
/// A WebSocket relay between a client and a real server that records every text frame in both directions,
/// unchanged, so tests can assert what went over the wire (e.g. one array frame) while the real server answers.
/// </summary>
public sealed class RecordingRelay : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly int _upstreamPort;
    private readonly List<RelayedFrame> _frames = [];
    private readonly CancellationTokenSource _stop = new();
    private int _connections;

    private RecordingRelay(WebApplication app, int upstreamPort)
    {
        _app = app;
        _upstreamPort = upstreamPort;
    }

    public int Port { get; private set; }

    public static async Task<RecordingRelay> StartAsync(ServerUnderTest server)
    {
        var app = LoopbackWebApp.Create();
        var relay = new RecordingRelay(app, server.Port);
        app.Map("/socketcluster/", relay.RelayAsync);
        relay.Port = await LoopbackWebApp.StartAsync(app);
        return relay;
    }

    /// <summary>The server's client options, pointed at the relay.</summary>
    public ClientOptions ClientOptions(ServerUnderTest server) => server.ClientOptions() with { Port = Port };

    /// <summary>Every frame so far, in the order each direction carried them.</summary>
    public IReadOnlyList<RelayedFrame> Frames { get { lock (_frames) return _frames.ToList(); } }

    /// <summary>Frames the client sent, pongs left out.</summary>
    public IReadOnlyList<RelayedFrame> SentByClient => Frames.Where(f => f.FromClient && !f.IsPingOrPong).ToList();

    /// <summary>Frames the server sent, pings left out.</summary>
    public IReadOnlyList<RelayedFrame> SentByServer => Frames.Where(f => !f.FromClient && !f.IsPingOrPong).ToList();

    /// <summary>Waits until the recorded frames satisfy the condition.</summary>
    public Task UntilAsync(Func<RelayedFrame, bool> match, string what) =>
        TestClients.UntilAsync(() => Frames.Any(match), what + "\nframes so far:\n  " + string.Join("\n  ", Frames));

    private async Task RelayAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }
        var connection = Interlocked.Increment(ref _connections);
        using var upstream = new ClientWebSocket();
        var target = new Uri($"ws://127.0.0.1:{_upstreamPort}{context.Request.Path}{context.Request.QueryString}");
        try
        {
            await upstream.ConnectAsync(target, _stop.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            context.Response.StatusCode = 502;
            return;
        }
        using var client = await context.WebSockets.AcceptWebSocketAsync();
        var up = PumpAsync(client, upstream, connection, fromClient: true);
        var down = PumpAsync(upstream, client, connection, fromClient: false);
        await Task.WhenAll(up, down);
    }

    /// <summary>Copies messages one way, recording text frames; a close is passed on with its code and reason.</summary>
    private async Task PumpAsync(WebSocket from, WebSocket to, int connection, bool fromClient)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await from.ReceiveAsync(buffer, _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (to.State is WebSocketState.Open or WebSocketState.CloseReceived)
                        await to.CloseOutputAsync(from.CloseStatus ?? WebSocketCloseStatus.NormalClosure, from.CloseStatusDescription, CancellationToken.None);
                    return;
                }
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage) continue;
                var bytes = message.ToArray();
                message.SetLength(0);
                if (result.MessageType == WebSocketMessageType.Text)
                    lock (_frames) _frames.Add(new RelayedFrame(connection, fromClient, System.Text.Encoding.UTF8.GetString(bytes)));
                await to.SendAsync(bytes, result.MessageType, true, _stop.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // One side dropped without a close frame: drop the other one too.
            to.Abort();
            from.Abort();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await LoopbackWebApp.StopAsync(_app);
        _stop.Dispose();
    }
}
