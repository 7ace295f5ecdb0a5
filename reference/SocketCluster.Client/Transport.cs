using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using SocketCluster.Protocol;

namespace SocketCluster.Client;

/// <summary>
/// One connection attempt (official AGTransport): the WebSocket, its single writer, the receive loop, the
/// connect timeout, the handshake and the ping watchdog. State changes happen under the owner's lock; once the
/// transport is closed, nothing it receives reaches the socket any more.
/// </summary>
internal sealed class Transport
{
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(5);

    private readonly ClientSocket _owner;
    private readonly ClientOptions _options;
    private readonly TimeProvider _time;
    private readonly ClientWebSocket _ws = new();
    private readonly CancellationTokenSource _lifetime = new();
    private HttpMessageInvoker? _invoker; // only with socketPath
    private WebSocketSender? _sender;
    private ITimer? _connectTimer;
    private ITimer? _pingTimer;
    private ITimer? _abortTimer;
    private bool _webSocketOpen;
    private long _lastPingTimestamp;
    private List<string>? _batchBuffer; // non-null while a batch is being collected

    public Transport(ClientSocket owner, ClientOptions options, Uri uri)
    {
        _owner = owner;
        _options = options;
        _time = options.TimeProvider;
        Uri = uri;
        PingTimeout = options.ConnectTimeout;
        _lastPingTimestamp = _time.GetTimestamp();
    }

    public Uri Uri { get; }
    public ConnectionState State { get; private set; } = ConnectionState.Connecting;

    /// <summary>The watchdog period: connectTimeout until the handshake, then the server's pingTimeout.</summary>
    public TimeSpan PingTimeout { get; private set; }

    /// <summary>Pongs are only sent after the #handshake (a pong first would make the server close with 4009).</summary>
    public bool HandshakeSent { get; private set; }

    private object Gate => _owner.Gate;

    /// <summary>Starts connecting (called under the owner's lock).</summary>
    public void Start()
    {
        _connectTimer = _time.CreateTimer(_ => OnConnectTimeout(), null, _options.ConnectTimeout, Timeout.InfiniteTimeSpan);
        _ = Task.Run(RunAsync);
    }

    /// <summary>True when no ping came for a whole pingTimeout (official isStale, for sleeping machines).</summary>
    public bool IsStale =>
        !_options.PingTimeoutDisabled && _time.GetElapsedTime(_lastPingTimestamp) >= PingTimeout;

    /// <summary>
    /// Queues a frame on the single writer (under the owner's lock, so frames keep call order); while a batch is
    /// being buffered, the frame joins the batch instead (official sendObject).
    /// </summary>
    public void Send(string frame)
    {
        if (State == ConnectionState.Closed) return;
        if (_batchBuffer is not null)
        {
            _batchBuffer.Add(frame);
            return;
        }
        _sender?.Send(frame);
    }

    /// <summary>Writes a frame on its own even while a batch is buffered: the #handshake is never batched (BA-003).</summary>
    public void SendAlone(string frame)
    {
        if (State == ConnectionState.Closed) return;
        _sender?.Send(frame);
    }

    /// <summary>True while outbound packets are collected for a batch (official transport.isBufferingBatch).</summary>
    public bool IsBufferingBatch => _batchBuffer is not null;

    /// <summary>Starts collecting outbound packets; what is already collected is kept.</summary>
    public void StartBatch()
    {
        if (State == ConnectionState.Closed) return;
        _batchBuffer ??= [];
    }

    /// <summary>Stops collecting and writes what was collected as one JSON array frame (nothing if empty).</summary>
    public void FlushBatch()
    {
        var batch = _batchBuffer;
        _batchBuffer = null;
        if (batch is not { Count: > 0 } || State == ConnectionState.Closed) return;
        _sender?.Send(Frames.Batch(batch));
    }

    /// <summary>Stops collecting and drops what was collected (official cancelBatch).</summary>
    public void CancelBatch() => _batchBuffer = null;

    /// <summary>Official transport.close: destroy with the code, then close the WebSocket with it.</summary>
    public void Close(int code, string? reason)
    {
        if (State == ConnectionState.Closed) return;
        Destroy(code, reason);
        CloseWebSocket(code, reason);
    }

    /// <summary>An HTTP invoker whose every connection is the Unix domain socket at <paramref name="socketPath"/> (official socketPath).</summary>
    private static HttpMessageInvoker UnixSocketInvoker(string socketPath) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, ct) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    });

    private void DisposeWebSocket()
    {
        _ws.Dispose();
        _invoker?.Dispose();
    }

    private async Task RunAsync()
    {
        try
        {
            _options.WebSocketOptions?.Invoke(_ws.Options);
            if (_options.SocketPath is { } socketPath)
                await _ws.ConnectAsync(Uri, _invoker = UnixSocketInvoker(socketPath), _lifetime.Token).ConfigureAwait(false);
            else
                await _ws.ConnectAsync(Uri, _lifetime.Token).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Refused, HTTP rejection, DNS, or our own cancellation: the official client reports 1006.
            lock (Gate) Destroy(CloseCodes.Abnormal, null);
            DisposeWebSocket();
            return;
        }

        lock (Gate)
        {
            if (State == ConnectionState.Closed)
            {
                _ws.Abort();
                DisposeWebSocket();
                return;
            }
            _webSocketOpen = true;
            _sender = new WebSocketSender(_ws);
            _sender.SendFailed += _ => { lock (Gate) Destroy(CloseCodes.Abnormal, null); };
            _connectTimer?.Dispose();
            ResetPingTimeout();
        }

        var receiving = ReceiveLoopAsync();
        await HandshakeAsync().ConfigureAwait(false);
        await receiving.ConfigureAwait(false);
        await CleanupAsync().ConfigureAwait(false);
    }

    private async Task HandshakeAsync()
    {
        string? token;
        try
        {
            token = await _owner.AuthEngine.LoadTokenAsync(_owner.AuthTokenName).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            lock (Gate) FailHandshake(e);
            return;
        }

        lock (Gate)
        {
            if (State == ConnectionState.Closed) return;
            _owner.SendHandshake(this, token, (error, data) => OnHandshakeReply(error, data, token));
            HandshakeSent = true;
        }
    }

    /// <summary>Runs under the owner's lock when the #handshake response (or its failure) arrives.</summary>
    private void OnHandshakeReply(Exception? error, JsonElement? data, string? token)
    {
        if (State == ConnectionState.Closed) return;
        if (error is not null)
        {
            FailHandshake(error);
            return;
        }

        State = ConnectionState.Open;
        var status = data is { ValueKind: JsonValueKind.Object } s ? s : (JsonElement?)null;
        if (status is { } st)
        {
            // A missing pingTimeout makes the official client time out at once (4000); so does this one.
            PingTimeout = st.TryGetProperty("pingTimeout", out var p) && p.ValueKind == JsonValueKind.Number
                ? TimeSpan.FromMilliseconds(Math.Clamp(p.GetDouble(), 0, int.MaxValue))
                : TimeSpan.Zero;
        }
        ResetPingTimeout();
        _owner.OnTransportOpen(this, status, token);
    }

    /// <summary>Official handshake failure: error event, then close with the error's statusCode or 4003.</summary>
    private void FailHandshake(Exception error)
    {
        if (State == ConnectionState.Closed) return;
        var code = error is ScError sc && sc["statusCode"] is { } node
            && node.GetValueKind() == JsonValueKind.Number && node.GetValue<double>() is var d && d == Math.Floor(d)
            ? (int)d : CloseCodes.HandshakeFailed;
        if (_owner.Has(ClientFaults.HandshakeErrorAlways4003)) code = CloseCodes.HandshakeFailed; // test-only fault
        _owner.OnTransportError(this, error);
        if (_owner.Has(ClientFaults.HandshakeErrorWaitsForServer)) return; // test-only fault
        Destroy(code, error.ToString());
        CloseWebSocket(code, null);
    }

    private async Task ReceiveLoopAsync()
    {
        while (true)
        {
            WebSocketInbound inbound;
            try
            {
                inbound = await WebSocketInbound.ReceiveAsync(_ws, _options.MaxPayload, _lifetime.Token).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // No close frame: the connection dropped (or we aborted it after closing).
                lock (Gate) Destroy(CloseCodes.Abnormal, null);
                return;
            }

            switch (inbound.Kind)
            {
                case InboundKind.Close:
                    lock (Gate)
                    {
                        Destroy(inbound.CloseCode ?? CloseCodes.NoStatus, inbound.CloseReason);
                        if (_ws.State == WebSocketState.CloseReceived)
                        {
                            var echo = inbound.CloseCode is { } c && CanSendCloseCode(c) ? c : CloseCodes.Normal;
                            _ = _sender?.CloseAsync(echo, "");
                        }
                    }
                    return;
                case InboundKind.TooBig:
                    lock (Gate) Close(CloseCodes.MessageTooBig, null);
                    return;
                default:
                    lock (Gate)
                    {
                        if (State == ConnectionState.Closed) continue;
                        _owner.OnTransportMessage(this, inbound);
                    }
                    await _owner.Pump.WaitForRoomAsync().ConfigureAwait(false);
                    break;
            }
        }
    }

    /// <summary>Answers a ping (v1 "#1", v2 ""); true if the message was one.</summary>
    public bool HandlePing(string message)
    {
        if (message != PingPong.Ping(_options.ProtocolVersion)) return false;
        ResetPingTimeout();
        if (_webSocketOpen && HandshakeSent && _ws.State == WebSocketState.Open)
            _sender?.Send(PingPong.Pong(_options.ProtocolVersion));
        return true;
    }

    private void ResetPingTimeout()
    {
        _lastPingTimestamp = _time.GetTimestamp();
        if (_options.PingTimeoutDisabled) return;
        _pingTimer?.Dispose();
        if (_owner.Has(ClientFaults.NoPingWatchdog)) return; // test-only fault
        var period = _owner.Has(ClientFaults.FixedPingWatchdog) && State == ConnectionState.Open ? TimeSpan.FromSeconds(6) : PingTimeout;
        _pingTimer = _time.CreateTimer(_ => OnPingTimeout(), null, period, Timeout.InfiniteTimeSpan);
    }

    private void OnPingTimeout()
    {
        lock (Gate) Close(CloseCodes.ServerPingTimedOut, null);
    }

    private void OnConnectTimeout()
    {
        lock (Gate)
        {
            if (_webSocketOpen) return;
            Close(CloseCodes.ConnectTimedOut, null);
        }
    }

    /// <summary>
    /// Official transport._destroy: fills an empty reason from the code table, stops the timers and tells the
    /// owner (connectAbort before the handshake completed, close after). Idempotent.
    /// </summary>
    private void Destroy(int code, string? reason)
    {
        if (State == ConnectionState.Closed) return;
        if (string.IsNullOrEmpty(reason) && CloseCodes.ErrorStatusReason(code) is { } standard) reason = standard;
        _connectTimer?.Dispose();
        _pingTimer?.Dispose();
        _batchBuffer = null; // a batch not yet written dies with its connection, as with the official client
        var wasOpen = State == ConnectionState.Open;
        State = ConnectionState.Closed;
        if (wasOpen) _owner.OnTransportClose(this, code, reason);
        else _owner.OnTransportOpenAbort(this, code, reason);
    }

    /// <summary>Sends the close frame (empty reason for protocol codes), or aborts when no frame can carry the code.</summary>
    private void CloseWebSocket(int code, string? reason)
    {
        if (!_webSocketOpen)
        {
            _lifetime.Cancel();
            return;
        }
        if (CanSendCloseCode(code) && _sender is not null)
            _ = _sender.CloseAsync(code, Truncate(reason ?? ""));
        else
            _ws.Abort();
        _abortTimer ??= _time.CreateTimer(_ => AbortSocket(), null, CloseHandshakeTimeout, Timeout.InfiniteTimeSpan);
    }

    private void AbortSocket()
    {
        try { _ws.Abort(); } catch (ObjectDisposedException) { }
    }

    private async Task CleanupAsync()
    {
        if (_sender is not null) await _sender.DisposeAsync().ConfigureAwait(false);
        lock (Gate)
        {
            _abortTimer?.Dispose();
            _pingTimer?.Dispose();
        }
        DisposeWebSocket();
    }

    private static bool CanSendCloseCode(int code) => CloseCodes.MaySendOnWire(code) && code != 1015;

    /// <summary>A close reason may carry at most 123 UTF-8 bytes.</summary>
    private static string Truncate(string reason)
    {
        if (Encoding.UTF8.GetByteCount(reason) <= 123) return reason;
        var end = reason.Length;
        while (Encoding.UTF8.GetByteCount(reason.AsSpan(0, end)) > 123) end--;
        if (end > 0 && char.IsHighSurrogate(reason[end - 1])) end--;
        return reason[..end];
    }
}
