using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Conformance.JsHosts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SocketCluster.Client;
using SocketCluster.Protocol;

namespace SocketCluster.Client.Tests.Infrastructure;

/// <summary>
/// A WebSocket server that follows a test's script frame by frame, to send what no real server sends
/// (malformed frames, unknown rids, bad handshakes, abrupt closes). Only for robustness tests: interop
/// behaviour is always tested against real servers.
/// </summary>
public sealed class ScriptedServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<ScriptedConnection> _connections = Channel.CreateUnbounded<ScriptedConnection>();
    private readonly List<ScriptedConnection> _all = [];

    private ScriptedServer(WebApplication app) => _app = app;

    public int Port { get; private set; }

    public static async Task<ScriptedServer> StartAsync()
    {
        var app = LoopbackWebApp.Create();
        var server = new ScriptedServer(app);
        app.Map("/socketcluster/", async (HttpContext context) =>
        {
            if (!context.WebSockets.IsWebSocketRequest) { context.Response.StatusCode = 400; return; }
            var socket = await context.WebSockets.AcceptWebSocketAsync();
            var connection = new ScriptedConnection(socket, context);
            lock (server._all) server._all.Add(connection);
            server._connections.Writer.TryWrite(connection);
            await connection.Finished;
        });
        server.Port = await LoopbackWebApp.StartAsync(app);
        return server;
    }

    /// <summary>
    /// Starts a scripted server and a client for it (options changed by <paramref name="configure"/>), accepts
    /// the connection and its handshake, and waits for the client's 'connect'. The caller disposes both.
    /// </summary>
    public static async Task<(ScriptedServer Server, ClientSocket Client, ScriptedConnection Connection)> StartConnectedAsync(
        Func<ClientOptions, ClientOptions>? configure = null)
    {
        var server = await StartAsync();
        var options = server.ClientOptions();
        if (configure is not null) options = configure(options);
        var client = SocketClusterClient.Create(options);
        await using var connects = client.Listener(ClientEvents.Connect).CreateConsumer();
        client.Connect();
        var connection = await server.AcceptAsync();
        await connection.AcceptHandshakeAsync();
        await connects.NextAsync();
        return (server, client, connection);
    }

    public ClientOptions ClientOptions() => new()
    {
        Hostname = "127.0.0.1",
        Port = Port,
        AutoConnect = false,
        AutoReconnectOptions = new AutoReconnectOptions { InitialDelay = TimeSpan.FromSeconds(30), Randomness = TimeSpan.Zero },
    };

    /// <summary>The next client connection.</summary>
    public async Task<ScriptedConnection> AcceptAsync()
    {
        using var cts = new CancellationTokenSource(TestClients.Timeout);
        return await _connections.Reader.ReadAsync(cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        lock (_all) foreach (var connection in _all) connection.Abort();
        await LoopbackWebApp.StopAsync(_app);
    }
}

/// <summary>One client connection of a <see cref="ScriptedServer"/>.</summary>
public sealed class ScriptedConnection(WebSocket socket, HttpContext context)
{
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public WebSocket Socket => socket;
    public string? Query => context.Request.QueryString.Value;
    internal Task Finished => _finished.Task;

    /// <summary>The close status the client sent, once <see cref="ReceiveAsync"/> returned null.</summary>
    public WebSocketCloseStatus? CloseStatus => socket.CloseStatus;
    public string? CloseDescription => socket.CloseStatusDescription;

    /// <summary>The next text frame, or null once the client closed.</summary>
    public async Task<string?> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TestClients.Timeout);
        var inbound = await WebSocketInbound.ReceiveAsync(socket, 1 << 20, cts.Token);
        return inbound.Kind == InboundKind.Close ? null : inbound.Text;
    }

    /// <summary>The next JSON packet, skipping pongs.</summary>
    public async Task<JsonElement> ReceivePacketAsync()
    {
        while (true)
        {
            var text = await ReceiveAsync() ?? throw new InvalidOperationException("The client closed the connection.");
            if (text is "" or "#2") continue;
            return JsonDocument.Parse(text).RootElement.Clone();
        }
    }

    public Task SendAsync(string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    public Task SendBinaryAsync(byte[] bytes) =>
        socket.SendAsync(bytes, WebSocketMessageType.Binary, true, CancellationToken.None);

    /// <summary>Reads the #handshake and accepts it (id "scripted", the given pingTimeout).</summary>
    public async Task<JsonElement> AcceptHandshakeAsync(int pingTimeoutMs = 30000)
    {
        var handshake = await ReceivePacketAsync();
        var cid = handshake.GetProperty("cid").GetInt64();
        await SendAsync("{\"rid\":" + cid + ",\"data\":{\"id\":\"scripted\",\"pingTimeout\":" + pingTimeoutMs + ",\"isAuthenticated\":false}}");
        return handshake;
    }

    /// <summary>Sends a close frame and waits for the client's (ending the request early would reset the TCP connection).</summary>
    public async Task CloseAsync(WebSocketCloseStatus code, string? reason)
    {
        await socket.CloseOutputAsync(code, reason, CancellationToken.None);
        try { while (await ReceiveAsync() is not null) { } }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
        _finished.TrySetResult();
    }

    /// <summary>Drops the TCP connection without a close frame (the client sees 1006).</summary>
    public void Abort()
    {
        if (_finished.Task.IsCompleted) return; // the request is over; its context is gone
        try { context.Abort(); } catch (ObjectDisposedException) { }
        _finished.TrySetResult();
    }

    public void Finish() => _finished.TrySetResult();
}
