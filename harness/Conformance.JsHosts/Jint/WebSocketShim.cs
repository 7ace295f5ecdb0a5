using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Jint;
using Jint.Native;
using Jint.Runtime;
using Jint.Runtime.Interop;

namespace Conformance.JsHosts.Jint;

/// <summary>
/// host.wsOpen / wsSend / wsClose behind the prelude's WebSocket class, on <see cref="ClientWebSocket"/>.
/// Each socket has a receive loop and one ordered send loop (a single writer); every event (open, message, error,
/// close) is posted to the event loop in the order it happened and dispatched to JavaScript there, one task each,
/// like a browser. Close codes follow the browser: a server close reports the server's code and reason with
/// wasClean=true; a failed connection or a lost TCP stream reports error, then 1006 with wasClean=false.
/// </summary>
internal sealed class WebSocketShim
{
    static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);
    static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(5);

    readonly Engine _engine;
    readonly EventLoop _loop;
    readonly Action<string> _log;
    readonly Dictionary<int, Connection> _connections = new(); // loop thread only
    JsValue _dispatch = JsValue.Undefined;
    int _nextId;

    public WebSocketShim(Engine engine, EventLoop loop, Action<string> log)
    {
        _engine = engine;
        _loop = loop;
        _log = log;
    }

    /// <summary>Sockets not yet closed (loop thread only).</summary>
    public int OpenCount => _connections.Count;

    public void Install(JsObject host)
    {
        host.Set("wsOpen", new ClrFunction(_engine, "wsOpen", (_, args) => Open(args)));
        host.Set("wsSend", new ClrFunction(_engine, "wsSend", (_, args) => Send(args)));
        host.Set("wsClose", new ClrFunction(_engine, "wsClose", (_, args) => Close(args)));
    }

    /// <summary>The prelude's dispatchSocket(socket, kind, a, b, c).</summary>
    public void SetDispatcher(JsValue dispatch) => _dispatch = dispatch;

    JsValue Open(JsValue[] args)
    {
        string url = TypeConverter.ToString(HostArgs.At(args, 0));
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "ws" && uri.Scheme != "wss"))
        {
            return -1;
        }
        var ws = new ClientWebSocket();
        ws.Options.KeepAliveInterval = TimeSpan.Zero; // browsers send no WebSocket pings of their own
        if (HostArgs.At(args, 1) is JsArray protocols)
        {
            foreach (var p in protocols) ws.Options.AddSubProtocol(TypeConverter.ToString(p));
        }
        int id = ++_nextId;
        var connection = new Connection(this, id, ws, HostArgs.At(args, 2));
        _connections[id] = connection;
        _ = connection.RunAsync(uri);
        return id;
    }

    JsValue Send(JsValue[] args)
    {
        if (!_connections.TryGetValue(ToId(HostArgs.At(args, 0)), out var connection)) return JsValue.Undefined;
        var payload = HostArgs.At(args, 1);
        if (TypeConverter.ToBoolean(HostArgs.At(args, 2)) && payload is JsArray array)
        {
            var bytes = new byte[(int)array.Length];
            for (uint i = 0; i < array.Length; i++) bytes[i] = (byte)TypeConverter.ToNumber(array[i]);
            connection.Enqueue(Outgoing.Binary(bytes));
        }
        else
        {
            // Lone surrogates become U+FFFD, as in a browser's USVString conversion.
            connection.Enqueue(Outgoing.Text(Encoding.UTF8.GetBytes(TypeConverter.ToString(payload))));
        }
        return JsValue.Undefined;
    }

    JsValue Close(JsValue[] args)
    {
        if (!_connections.TryGetValue(ToId(HostArgs.At(args, 0)), out var connection)) return JsValue.Undefined;
        int code = (int)TypeConverter.ToNumber(HostArgs.At(args, 1));
        string reason = TypeConverter.ToString(HostArgs.At(args, 2));
        connection.RequestClose(code, reason);
        return JsValue.Undefined;
    }

    static int ToId(JsValue value)
    {
        double id = TypeConverter.ToNumber(value);
        return id is >= 1 and <= int.MaxValue ? (int)id : 0;
    }

    /// <summary>Aborts every socket without dispatching further events (host shutdown). Loop thread only.</summary>
    public void AbortAll()
    {
        foreach (var connection in _connections.Values) connection.Abandon();
        _connections.Clear();
    }

    void Post(Connection connection, string kind, JsValue a, JsValue b, JsValue c)
    {
        _loop.Post(() =>
        {
            if (connection.Abandoned || !_connections.ContainsKey(connection.Id)) return;
            if (kind == "close") _connections.Remove(connection.Id);
            _engine.Invoke(_dispatch, JsValue.Undefined, [connection.JsSocket, kind, a, b, c]);
        });
    }

    readonly record struct Outgoing(byte[] Bytes, WebSocketMessageType Type, bool IsClose, int Code, string? Reason)
    {
        public static Outgoing Text(byte[] bytes) => new(bytes, WebSocketMessageType.Text, false, 0, null);
        public static Outgoing Binary(byte[] bytes) => new(bytes, WebSocketMessageType.Binary, false, 0, null);
        public static Outgoing Close(int code, string reason) => new([], WebSocketMessageType.Close, true, code, reason);
    }

    sealed class Connection(WebSocketShim shim, int id, ClientWebSocket ws, JsValue jsSocket)
    {
        readonly Channel<Outgoing> _outbox = Channel.CreateUnbounded<Outgoing>(new UnboundedChannelOptions { SingleReader = true });
        readonly CancellationTokenSource _abort = new();
        int _closeEventPosted;
        volatile bool _closeRequested;

        public int Id { get; } = id;
        public JsValue JsSocket { get; } = jsSocket;
        public volatile bool Abandoned;

        public void Enqueue(Outgoing item) => _outbox.Writer.TryWrite(item);

        public void RequestClose(int code, string reason)
        {
            if (_closeRequested) return;
            _closeRequested = true;
            if (ws.State == WebSocketState.Connecting || ws.State == WebSocketState.None)
            {
                SafeCancel(); // close() while CONNECTING fails the connection: error, then close 1006
                return;
            }
            _outbox.Writer.TryWrite(Outgoing.Close(code, reason));
        }

        public void Abandon()
        {
            Abandoned = true;
            _outbox.Writer.TryComplete();
            SafeCancel();
        }

        public async Task RunAsync(Uri uri)
        {
            try
            {
                try
                {
                    await ws.ConnectAsync(uri, _abort.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or
                                              HttpRequestException or ObjectDisposedException)
                {
                    shim._log($"WebSocket connection to '{uri}' failed: {e.Message}");
                    Fail();
                    return;
                }
                if (_closeRequested) // close() raced with the handshake
                {
                    Fail();
                    return;
                }
                shim.Post(this, "open", ws.SubProtocol ?? "", JsValue.Undefined, JsValue.Undefined);
                var sending = SendLoopAsync();
                await ReceiveLoopAsync().ConfigureAwait(false);
                _outbox.Writer.TryComplete();
                SafeCancel();
                await sending.ConfigureAwait(false);
            }
            catch (Exception e)
            {
                shim._log($"WebSocket host error on '{uri}': {e}");
                Fail();
            }
            finally
            {
                ws.Dispose();
                _abort.Dispose();
            }
        }

        async Task SendLoopAsync()
        {
            try
            {
                await foreach (var item in _outbox.Reader.ReadAllAsync(_abort.Token).ConfigureAwait(false))
                {
                    if (item.IsClose)
                    {
                        var status = item.Code < 0 ? WebSocketCloseStatus.Empty : (WebSocketCloseStatus)item.Code;
                        await ws.CloseOutputAsync(status, item.Code < 0 ? null : item.Reason, _abort.Token).ConfigureAwait(false);
                        // The server must answer with its close frame; a browser gives up eventually, so do we.
                        _abort.CancelAfter(CloseHandshakeTimeout);
                        return;
                    }
                    await ws.SendAsync(item.Bytes, item.Type, endOfMessage: true, _abort.Token).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
            {
                // A failed send means the connection is gone; the receive loop reports it.
                SafeCancel();
            }
        }

        async Task ReceiveLoopAsync()
        {
            var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
            var message = new ArrayBufferWriter<byte>();
            try
            {
                while (true)
                {
                    ValueWebSocketReceiveResult result;
                    try
                    {
                        result = await ws.ReceiveAsync(buffer.AsMemory(), _abort.Token).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
                    {
                        Fail();
                        return;
                    }
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await AnswerCloseAsync().ConfigureAwait(false);
                        int code = ws.CloseStatus is { } s ? (int)s : 1005;
                        PostCloseOnce(code, ws.CloseStatusDescription ?? "", wasClean: true);
                        return;
                    }
                    message.Write(buffer.AsSpan(0, result.Count));
                    if (!result.EndOfMessage) continue;
                    int length = message.WrittenCount;
                    if (result.MessageType == WebSocketMessageType.Text)
                    {
                        string text;
                        try
                        {
                            text = StrictUtf8.GetString(message.WrittenSpan);
                        }
                        catch (DecoderFallbackException)
                        {
                            shim._log("WebSocket received a text frame that is not valid UTF-8; failing the connection");
                            Fail();
                            return;
                        }
                        shim.Post(this, "message", text, length, JsValue.Undefined);
                    }
                    else
                    {
                        byte[] bytes = message.WrittenSpan.ToArray();
                        // binaryType 'arraybuffer' (what the client sets); Blob does not exist in this host.
                        shim._loop.Post(() =>
                        {
                            if (Abandoned) return;
                            var arrayBuffer = shim._engine.Intrinsics.ArrayBuffer.Construct(bytes);
                            shim._engine.Invoke(shim._dispatch, JsValue.Undefined, [JsSocket, "message", arrayBuffer, length, JsValue.Undefined]);
                        });
                    }
                    message.ResetWrittenCount();
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        async Task AnswerCloseAsync()
        {
            if (ws.State != WebSocketState.CloseReceived) return; // our own close was echoed
            try
            {
                // Echo the server's code, as browsers do.
                await ws.CloseOutputAsync(ws.CloseStatus ?? WebSocketCloseStatus.Empty,
                    ws.CloseStatus is null ? null : ws.CloseStatusDescription, _abort.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
            {
                // The server already went away: the close it sent still stands.
            }
        }

        void Fail()
        {
            if (Interlocked.Exchange(ref _closeEventPosted, 1) != 0) return;
            SafeCancel();
            shim.Post(this, "error", JsValue.Undefined, JsValue.Undefined, JsValue.Undefined);
            shim.Post(this, "close", 1006, "", false);
        }

        void PostCloseOnce(int code, string reason, bool wasClean)
        {
            if (Interlocked.Exchange(ref _closeEventPosted, 1) != 0) return;
            shim.Post(this, "close", code, reason, wasClean);
        }

        void SafeCancel()
        {
            try
            {
                _abort.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
