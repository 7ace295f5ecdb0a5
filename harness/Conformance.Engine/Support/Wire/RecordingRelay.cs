using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using SocketCluster.Protocol;

namespace Conformance.Engine.Support;

/// <summary>
/// One message a client (or its server) sent through the relay (a batch stays one entry; pings and pongs are included),
/// or the close frame of one of its connections (<see cref="CloseCode"/> set; 1006 when that side dropped without one).
/// </summary>
public sealed record RelayedMessage(int Connection, TimeSpan At, bool Binary, string Text, JsonElement? Json,
    int? CloseCode = null, string? CloseReason = null)
{
    public bool IsClose => CloseCode is not null;
}

/// <summary>
/// A transparent WebSocket relay between one client actor and its server: it forwards every frame, close code and
/// reason unchanged both ways (an abrupt drop on one side becomes an abrupt drop on the other) and records everything
/// in the scenario transcript, plus what the client sent in <see cref="FromClient"/> (STEPS.md §8). It lets the suite
/// see the wire of clients it cannot instrument (Node, Chromium, Jint) and keeps each actor's origin distinct.
/// </summary>
public sealed class RecordingRelay : IAsyncDisposable
{
    private const long MaxMessage = 64L * 1024 * 1024;
    private readonly string _actor;
    private readonly Func<Uri> _upstream;
    private readonly WireTranscript _transcript;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly List<WebSocket> _sockets = [];
    private readonly Task _acceptLoop;
    private int _connectionCount;

    /// <param name="upstream">The server's base URL (scheme, host, port); read at each connection so restarts are followed.</param>
    public RecordingRelay(string actor, Func<Uri> upstream, WireTranscript transcript)
    {
        _actor = actor;
        _upstream = upstream;
        _transcript = transcript;
        _listener = ListenOnUnusedPort();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    // Ports this process's relays have listened on. The relay's port is the client's origin (host:port), under which
    // the official client keeps its auth token (socketcluster.authToken.127.0.0.1:PORT) in the localStorage that a
    // shared Jint or Chromium driver keeps for the whole run: the OS repeats an ephemeral port after about 160 binds,
    // and a later scenario on a repeated port handshook with an earlier scenario's token. Never reusing a port makes
    // each client's token storage its own (one port in this set per relay ever created; far below the ~28k range).
    private static readonly HashSet<int> UsedPorts = [];

    /// <summary>A loopback listener on an ephemeral port no relay of this process has used before.</summary>
    internal static TcpListener ListenOnUnusedPort()
    {
        var repeated = new List<TcpListener>(); // held open until the end so that the OS offers other ports
        try
        {
            for (var attempt = 0; attempt < 200; attempt++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                lock (UsedPorts)
                {
                    if (UsedPorts.Add(port)) return listener;
                }
                repeated.Add(listener);
            }
            throw new InvalidOperationException(
                $"No unused loopback port after 200 attempts ({UsedPorts.Count} ports used by relays of this process).");
        }
        finally
        {
            foreach (var listener in repeated) listener.Stop();
        }
    }

    /// <summary>Every message the client sent, over all its connections through this relay.</summary>
    public EventLog<RelayedMessage> FromClient { get; } = new();

    /// <summary>Every message the server sent to the client, likewise (closes and drops of the server side included).</summary>
    public EventLog<RelayedMessage> FromServer { get; } = new();

    private EventLog<RelayedMessage> LogOf(WireDirection direction) => direction == WireDirection.Out ? FromClient : FromServer;

    public int ConnectionCount => Volatile.Read(ref _connectionCount);

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false); }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
            lock (_connections) _connections.Add(Task.Run(() => HandleAsync(client)));
        }
    }

    private async Task HandleAsync(TcpClient tcp)
    {
        using var _ = tcp;
        tcp.NoDelay = true;
        var stream = tcp.GetStream();
        var number = Interlocked.Increment(ref _connectionCount);
        var name = number == 1 ? _actor : $"{_actor}#{number}";
        WebSocketUpgrade.Request? request;
        try
        {
            using var headerTimeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            headerTimeout.CancelAfter(TimeSpan.FromSeconds(10));
            request = await WebSocketUpgrade.ReadRequestAsync(stream, headerTimeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException) { return; }
        if (request?.Key is not { } key)
        {
            await WebSocketUpgrade.WriteStatusAsync(stream, 400, "Bad Request").ConfigureAwait(false);
            return;
        }

        var upstreamBase = _upstream();
        var target = new Uri($"{upstreamBase.Scheme}://{upstreamBase.Authority}{request.PathAndQuery}");
        var upstream = new ClientWebSocket();
        upstream.Options.KeepAliveInterval = TimeSpan.Zero;
        upstream.Options.CollectHttpResponseDetails = true;
        if (request.Headers.TryGetValue("origin", out var origin)) upstream.Options.SetRequestHeader("Origin", origin);
        _transcript.Note(name, $"client upgrade {request.PathAndQuery} (relayed to {target.Authority})");
        try
        {
            using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            connectTimeout.CancelAfter(TimeSpan.FromSeconds(10));
            await upstream.ConnectAsync(target, connectTimeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or HttpRequestException or OperationCanceledException)
        {
            var status = (int)upstream.HttpStatusCode;
            upstream.Dispose();
            _transcript.Note(name, status > 0 ? $"upgrade refused by the server: HTTP {status}" : $"server unreachable: {e.Message}");
            if (status > 0) await WebSocketUpgrade.WriteStatusAsync(stream, status, ((HttpStatusCode)status).ToString()).ConfigureAwait(false);
            return; // no server: the client sees the TCP connection close without an upgrade
        }

        WebSocket accepted;
        try { accepted = await WebSocketUpgrade.AcceptAsync(stream, key, _stop.Token).ConfigureAwait(false); }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException) { upstream.Abort(); upstream.Dispose(); return; }
        _transcript.Note(name, "upgrade accepted (101)");

        using var downstream = accepted;
        lock (_sockets) { _sockets.Add(downstream); _sockets.Add(upstream); }
        var up = PumpAsync(downstream, upstream, name, WireDirection.Out, number);
        var down = PumpAsync(upstream, downstream, name, WireDirection.In, number);
        await Task.WhenAll(up, down).ConfigureAwait(false);
        upstream.Dispose();
    }

    /// <summary>Forwards messages from one side to the other until a close (forwarded) or a drop (propagated as a drop).</summary>
    private async Task PumpAsync(WebSocket from, WebSocket to, string name, WireDirection direction, int connection)
    {
        try
        {
            while (true)
            {
                var message = await WebSocketInbound.ReceiveAsync(from, MaxMessage, _stop.Token).ConfigureAwait(false);
                if (message.Kind == InboundKind.Close)
                {
                    var code = message.CloseCode ?? CloseCodes.NoStatus;
                    _transcript.ClosedBy(name, direction, code, message.CloseReason);
                    LogOf(direction).Add(new RelayedMessage(connection, _transcript.Now, false, "", null, code, message.CloseReason ?? ""));
                    if (to.State is WebSocketState.Open or WebSocketState.CloseReceived)
                    {
                        if (code == CloseCodes.NoStatus) await to.CloseOutputAsync(WebSocketCloseStatus.Empty, null, _stop.Token).ConfigureAwait(false);
                        else if (CloseCodes.MaySendOnWire(code)) await to.CloseOutputAsync((WebSocketCloseStatus)code, message.CloseReason, _stop.Token).ConfigureAwait(false);
                        else to.Abort();
                    }
                    return;
                }
                if (message.Kind == InboundKind.TooBig)
                {
                    _transcript.Note(name, $"message over {MaxMessage} bytes: dropping the connection");
                    from.Abort();
                    to.Abort();
                    return;
                }
                var binary = message.Kind == InboundKind.Binary;
                if (direction == WireDirection.Out) _transcript.Sent(name, message.Text, binary);
                else _transcript.Received(name, message.Text, binary);
                LogOf(direction).Add(new RelayedMessage(connection, _transcript.Now, binary, message.Text, ScCodec.Decode(message.Text).Json));
                var bytes = message.Bytes ?? Encoding.UTF8.GetBytes(message.Text);
                await to.SendAsync(bytes, binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text, true, _stop.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            if (!_stop.IsCancellationRequested)
            {
                _transcript.Note(name, direction == WireDirection.Out ? "client connection dropped (no close frame)" : "server connection dropped (no close frame)");
                LogOf(direction).Add(new RelayedMessage(connection, _transcript.Now, false, "", null, CloseCodes.Abnormal, ""));
            }
            to.Abort();
            from.Abort();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        lock (_sockets) foreach (var socket in _sockets) socket.Abort();
        Task[] pending;
        lock (_connections) pending = _connections.Append(_acceptLoop).ToArray();
        await Task.WhenAny(Task.WhenAll(pending), Task.Delay(2000)).ConfigureAwait(false);
        _stop.Dispose();
    }
}
