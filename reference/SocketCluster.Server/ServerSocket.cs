using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using SocketCluster.Protocol;
using SocketCluster.Server.Broker;
using SocketCluster.Server.Middleware;
using SocketCluster.Server.Options;
using SocketCluster.Protocol.Streams;

namespace SocketCluster.Server;

/// <summary>
/// One client connection (the official AGServerSocket). Inbound messages are processed strictly one at a time in
/// arrival order; outbound frames go through one writer. Receivers, procedures and listeners are async streams.
/// </summary>
public sealed partial class ServerSocket : IBrokerSubscriber
{
    private readonly SocketClusterServer _server;
    private readonly SocketClusterServerOptions _options;
    private readonly WebSocket _webSocket;
    private readonly WebSocketSender _sender;
    private readonly object _gate = new();
    private SocketState _state = SocketState.Connecting;

    private readonly StreamDemux<JsonElement?> _receivers;
    private readonly StreamDemux<ScRequest> _procedures;
    private readonly StreamDemux<ServerEvent> _listeners;

    private readonly Channel<WebSocketInbound> _inbound;

    /// <summary>Cancelled when the socket closes: ends every wait of its processing (middleware, full streams).</summary>
    private readonly CancellationTokenSource _closedCts = new();

    /// <summary>Cancelled when the transport must stop reading (peer never answered our close frame).</summary>
    private readonly CancellationTokenSource _receiveAbort = new();

    /// <summary>The server's own invokes awaiting a response; created by the first one (most sockets never get one).</summary>
    private ConcurrentDictionary<long, PendingInvocation>? _invocations;
    private long _cid;

    private readonly MiddlewareStream? _handshakeMiddleware;
    private readonly MiddlewareStream? _inboundRawMiddleware;
    private readonly MiddlewareStream? _inboundMiddleware;
    private readonly MiddlewareStream? _outboundMiddleware;

    internal ServerSocket(SocketClusterServer server, string id, WebSocket webSocket, UpgradeRequest request, MiddlewareStream? handshakeMiddleware)
    {
        _server = server;
        _options = server.Options;
        Id = id;
        Request = request;
        _webSocket = webSocket;
        _sender = new WebSocketSender(webSocket);
        _sender.SendFailed += OnSendFailed;
        ProtocolVersion = _options.ProtocolVersion;
        // Not inline: an application's receiver or procedure runs after the socket has moved on to its next message,
        // as the official server's for-await consumers do (wire parity: a response that arrives before the
        // server's own invoke is sent is not matched to it).
        _receivers = new StreamDemux<JsonElement?>(_options.StreamCapacity);
        _procedures = new StreamDemux<ScRequest>(_options.StreamCapacity);
        _listeners = new StreamDemux<ServerEvent>(_options.ListenerCapacity);
        _inbound = Channel.CreateBounded<WebSocketInbound>(new BoundedChannelOptions(_options.InboundQueueCapacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
            // Asynchronous continuations on purpose: processing inline on the receiving thread measured slower (bench
            // rpc and transmit), as each socket's reads then waited for its processing.
        });
        _handshakeMiddleware = handshakeMiddleware;
        _inboundRawMiddleware = server.StartSocketMiddleware(MiddlewareTypes.InboundRaw);
        _inboundMiddleware = server.StartSocketMiddleware(MiddlewareTypes.Inbound);
        _outboundMiddleware = server.StartSocketMiddleware(MiddlewareTypes.Outbound);
    }

    /// <summary>The server-assigned id (20 characters of [A-Za-z0-9_-]), sent in the handshake response.</summary>
    public string Id { get; }

    /// <summary>The server the socket belongs to.</summary>
    public SocketClusterServer Server => _server;

    /// <summary>The server's exchange (the same as Server.Exchange).</summary>
    public Exchange Exchange => _server.Exchange;

    /// <summary>The HTTP upgrade request (URL with query string, headers, remote address).</summary>
    public UpgradeRequest Request { get; }

    /// <summary>The remote IP address of the upgrade request.</summary>
    public string? RemoteAddress => Request.RemoteAddress;

    /// <summary>1 or 2 (the server option ProtocolVersion).</summary>
    public int ProtocolVersion { get; }

    /// <summary>'connecting', 'open' or 'closed' (official state).</summary>
    public SocketState State
    {
        get { lock (_gate) return _state; }
    }

    /// <summary>The transmitted events named <paramref name="receiverName"/> (data, or null when the frame had none).</summary>
    public ConsumableStream<JsonElement?> Receiver(string receiverName) => _receivers.Stream(receiverName);

    /// <summary>The requests for <paramref name="procedureName"/>; each must be answered with End or Error.</summary>
    public ConsumableStream<ScRequest> Procedure(string procedureName) => _procedures.Stream(procedureName);

    /// <summary>
    /// Socket events by their official name, as in the official API: 'connect', 'connectAbort', 'disconnect', 'close',
    /// 'end', 'error', 'message', 'raw', 'subscribe', 'unsubscribe', 'authenticate', 'deauthenticate', 'authStateChange',
    /// 'authTokenSigned', 'badAuthToken'. The items are that event's record (e.g. <see cref="DisconnectEvent"/>) typed as
    /// <see cref="ServerEvent"/>; <see cref="Listener{TEvent}"/> with a <see cref="ServerSocketEvents"/> name gives them typed.
    /// </summary>
    public ConsumableStream<ServerEvent> Listener(string eventName) => _listeners.Stream(eventName);

    /// <summary>A socket event's stream, typed: <c>socket.Listener(ServerSocketEvents.Disconnect)</c> gives <see cref="DisconnectEvent"/>s.</summary>
    public ConsumableStream<TEvent> Listener<TEvent>(ServerSocketEventName<TEvent> eventName) where TEvent : ServerEvent
    {
        ArgumentNullException.ThrowIfNull(eventName);
        return _listeners.Stream<TEvent>(eventName.Name);
    }

    internal void Emit<TEvent>(ServerSocketEventName<TEvent> eventName, TEvent item) where TEvent : ServerEvent =>
        _listeners.Emit(eventName.Name, item);

    /// <summary>Emits the error as socket 'error' and server 'warning' (the official emitError).</summary>
    public void EmitError(Exception error)
    {
        Emit(ServerSocketEvents.Error, new ErrorEvent(error));
        _server.EmitWarning(error);
    }

    /// <summary>Runs the connection until the WebSocket has closed (called by the upgrade handler).</summary>
    internal async Task RunAsync()
    {
        StartLiveness();
        var processing = Task.Run(ProcessInboundLoopAsync);
        try
        {
            await ReceiveLoopAsync().ConfigureAwait(false);
        }
        finally
        {
            Destroy(CloseCodes.Abnormal, null);
            _inbound.Writer.TryComplete();
            EndOutbound();
            // Reads were abandoned (the peer never answered our close): a write to a peer that stopped reading would
            // never finish, so the connection is dropped rather than waited for.
            if (_receiveAbort.IsCancellationRequested) _webSocket.Abort();
            await _sender.DisposeAsync().ConfigureAwait(false);
            await Swallow(processing).ConfigureAwait(false);
            _webSocket.Dispose();
        }
    }

    private static async Task Swallow(Task task)
    {
        try { await task.ConfigureAwait(false); } catch { /* already reported as socket errors */ }
    }

    /// <summary>
    /// Closes the connection with the code and reason in the close frame (default 1000). Codes must be valid on the
    /// wire: 1000-1003, 1007-1014 or 3000-4999; the reason at most 123 UTF-8 bytes.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="code"/> may not be sent in a close frame (e.g. 1005, 1006).</exception>
    /// <exception cref="ArgumentException"><paramref name="reason"/> is longer than 123 UTF-8 bytes.</exception>
    public void Disconnect(int code = CloseCodes.Normal, string? reason = null)
    {
        if (!IsSendableCloseCode(code))
            throw new ArgumentOutOfRangeException(nameof(code), code, "The close code must be 1000-1003, 1007-1014 or 3000-4999.");
        if (reason is not null && System.Text.Encoding.UTF8.GetByteCount(reason) > 123)
            throw new ArgumentException("The close reason must be at most 123 UTF-8 bytes.", nameof(reason));
        if (State == SocketState.Closed) return;
        Destroy(code, reason);
        CloseTransport(code, reason);
    }

    /// <summary>Drops the connection without a close frame; the client sees 1006.</summary>
    public void Terminate()
    {
        try
        {
            _webSocket.Abort();
        }
        catch (ObjectDisposedException)
        {
        }
        _receiveAbort.Cancel();
    }

    internal static bool IsSendableCloseCode(int code) =>
        code is >= 1000 and <= 1003 or >= 1007 and <= 1014 or >= 3000 and <= 4999;

    /// <summary>Sends the close frame after queued frames, then waits a bounded time for the peer's answer.</summary>
    private void CloseTransport(int code, string? reason)
    {
        _ = _sender.CloseAsync(code, reason ?? "");
        try { _receiveAbort.CancelAfter(_options.CloseTimeout); } catch (ObjectDisposedException) { }
    }

    /// <summary>
    /// The official _destroy: the state becomes Closed, pending invokes fail with BadConnectionError, then
    /// connectAbort (before the handshake) or disconnect, then close, then channel unsubscriptions, then end.
    /// </summary>
    internal void Destroy(int code, string? reason)
    {
        SocketState previous;
        lock (_gate)
        {
            previous = _state;
            _state = SocketState.Closed;
        }
        if (previous == SocketState.Closed)
        {
            AbortAllPendingInvocations("connectAbort", code, reason);
            return;
        }

        StopLiveness();
        CancelBatching();
        // As the official server: an empty reason takes the protocol-error text of the code (1000 has none).
        if (string.IsNullOrEmpty(reason) && code != CloseCodes.Normal && CloseCodes.StandardReason(code) is { } standard)
            reason = standard;

        var wasConnecting = previous == SocketState.Connecting;
        AbortAllPendingInvocations(wasConnecting ? "connectAbort" : "disconnect", code, reason);
        try { _closedCts.Cancel(); } catch (AggregateException) { /* callbacks reported elsewhere */ }

        if (wasConnecting)
        {
            Emit(ServerSocketEvents.ConnectAbort, new ConnectAbortEvent(code, reason));
            _server.Emit(ServerEvents.ConnectionAbort, new ConnectionAbortEvent(this, code, reason));
        }
        else
        {
            Emit(ServerSocketEvents.Disconnect, new DisconnectEvent(code, reason));
            _server.Emit(ServerEvents.Disconnection, new DisconnectionEvent(this, code, reason));
        }
        Emit(ServerSocketEvents.Close, new CloseEvent(code, reason));
        _server.Emit(ServerEvents.Closure, new ClosureEvent(this, code, reason));
        _server.RemoveSocket(this);

        if (!CloseCodes.IsIgnoreStatus(code)) EmitError(ScErrors.SocketProtocol(code, reason));

        _ = FinishDestroyAsync();
    }

    private async Task FinishDestroyAsync()
    {
        try
        {
            await UnsubscribeFromAllChannelsAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            EmitError(e);
        }
        Emit(ServerSocketEvents.End, new EndEvent());
        _handshakeMiddleware?.Close();
        _inboundRawMiddleware?.Close();
        _inboundMiddleware?.Close();
        _outboundMiddleware?.Close();
        switch (_options.SocketStreamCleanupMode)
        {
            case SocketStreamCleanupMode.Kill:
                _receivers.EndAll(kill: true);
                _procedures.EndAll(kill: true);
                _listeners.EndAll(kill: false); // events already emitted (disconnect, close, end) stay readable
                break;
            case SocketStreamCleanupMode.Close:
                _receivers.EndAll(kill: false);
                _procedures.EndAll(kill: false);
                _listeners.EndAll(kill: false);
                break;
        }
    }

    private void OnSendFailed(Exception error)
    {
        if (State == SocketState.Closed) return;
        EmitError(error);
        Destroy(CloseCodes.Abnormal, error.ToString());
        _receiveAbort.Cancel();
    }

    /// <summary>The socket id, for logs.</summary>
    public override string ToString() => $"ServerSocket {Id} ({State.ToWire()})";
}
