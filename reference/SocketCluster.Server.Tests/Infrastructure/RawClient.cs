using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using SocketCluster.Protocol;

namespace SocketCluster.Server.Tests.Infrastructure;

/// <summary>
/// A raw WebSocket client speaking SocketCluster frames through the Protocol library: it sends exactly what a
/// test writes and exposes every frame the server sends (pings are counted and, by default, answered).
/// </summary>
public sealed class RawClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly Channel<string> _frames = Channel.CreateUnbounded<string>();
    private readonly TaskCompletionSource<(int Code, string Reason)> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Task _reader;
    private long _cid;
    private int _pings;

    private RawClient(ClientWebSocket socket, int protocolVersion)
    {
        _socket = socket;
        ProtocolVersion = protocolVersion;
        _reader = Task.Run(ReadLoopAsync);
    }

    public static async Task<RawClient> ConnectAsync(Uri url, int protocolVersion = 2, string? origin = null, TimeSpan? timeout = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        if (origin is not null) socket.Options.SetRequestHeader("Origin", origin);
        await socket.ConnectAsync(url, CancellationToken.None).WithTimeout(timeout, what: "the WebSocket connection");
        return new RawClient(socket, protocolVersion);
    }

    public int ProtocolVersion { get; }

    /// <summary>Answer every ping with the pong of the protocol version (off: the client stays silent).</summary>
    public bool AutoPong { get; set; } = true;

    public int PingsReceived => Volatile.Read(ref _pings);

    /// <summary>Completes with the close code and reason the server sent (1006 when the connection dropped).</summary>
    public Task<(int Code, string Reason)> Closed => _closed.Task;

    public WebSocketState State => _socket.State;

    private async Task ReadLoopAsync()
    {
        var ping = PingPong.Ping(ProtocolVersion);
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                using var message = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        var code = (int?)_socket.CloseStatus ?? CloseCodes.NoStatus;
                        _closed.TrySetResult((code, _socket.CloseStatusDescription ?? ""));
                        try
                        {
                            if (_socket.State == WebSocketState.CloseReceived)
                                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                        }
                        catch (Exception e) when (e is WebSocketException or ObjectDisposedException) { }
                        _frames.Writer.TryComplete();
                        return;
                    }
                    message.Write(buffer, 0, result.Count);
                } while (!result.EndOfMessage);

                var text = Encoding.UTF8.GetString(message.ToArray());
                if (result.MessageType == WebSocketMessageType.Text && text == ping)
                {
                    Interlocked.Increment(ref _pings);
                    if (AutoPong) await SendAsync(PingPong.Pong(ProtocolVersion));
                    continue;
                }
                _frames.Writer.TryWrite(text);
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            _closed.TrySetResult((CloseCodes.Abnormal, ""));
            _frames.Writer.TryComplete();
        }
    }

    public async Task SendAsync(string text)
    {
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public async Task SendBinaryAsync(byte[] bytes)
    {
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Binary, true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public long NextCid() => Interlocked.Increment(ref _cid);

    /// <summary>Sends a transmit: {"event":E[,"data":D]}.</summary>
    public Task TransmitAsync(string eventName, object? data = null, bool withData = true) =>
        SendAsync(Frames.Event(eventName, withData ? ScCodec.ToData(data) : null));

    /// <summary>Sends a request and returns its cid.</summary>
    public async Task<long> SendRequestAsync(string eventName, object? data = null, bool withData = true)
    {
        var cid = NextCid();
        await SendAsync(Frames.Event(eventName, withData ? ScCodec.ToData(data) : null, cid));
        return cid;
    }

    /// <summary>The next frame from the server (pings excluded).</summary>
    public async Task<string> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Waits.Long);
        try
        {
            return await _frames.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No frame from the server within {(timeout ?? Waits.Long).TotalSeconds:0.#} s.");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"The server closed the connection ({(Closed.IsCompleted ? Closed.Result.Code : 0)}) instead of sending a frame.");
        }
    }

    public async Task<JsonElement> ReceiveJsonAsync(TimeSpan? timeout = null)
    {
        var text = await ReceiveAsync(timeout);
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    /// <summary>Frames are read until one matches; the others are returned in <paramref name="skipped"/>.</summary>
    public async Task<JsonElement> ReceiveUntilAsync(Func<JsonElement, bool> match, List<string>? skipped = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Waits.Long);
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException("No matching frame from the server.");
            var text = await ReceiveAsync(left);
            JsonElement element;
            try
            {
                using var doc = JsonDocument.Parse(text);
                element = doc.RootElement.Clone();
            }
            catch (JsonException)
            {
                skipped?.Add(text);
                continue;
            }
            if (match(element)) return element;
            skipped?.Add(text);
        }
    }

    /// <summary>Waits for the response with this rid (other frames are skipped).</summary>
    public Task<JsonElement> ReceiveResponseAsync(long rid, List<string>? skipped = null) =>
        ReceiveUntilAsync(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("rid", out var r)
            && r.ValueKind == JsonValueKind.Number && r.GetInt64() == rid, skipped);

    /// <summary>Waits for a transmit of this event (other frames are skipped).</summary>
    public Task<JsonElement> ReceiveEventAsync(string eventName, List<string>? skipped = null) =>
        ReceiveUntilAsync(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("event", out var ev)
            && ev.ValueKind == JsonValueKind.String && ev.GetString() == eventName, skipped);

    /// <summary>Sends a request and waits for its response.</summary>
    public async Task<JsonElement> InvokeAsync(string eventName, object? data = null, bool withData = true, List<string>? skipped = null)
    {
        var cid = await SendRequestAsync(eventName, data, withData);
        return await ReceiveResponseAsync(cid, skipped);
    }

    /// <summary>Sends #handshake (cid from the counter) and returns the whole response frame.</summary>
    public async Task<JsonElement> HandshakeAsync(string? authToken = null)
    {
        var cid = NextCid();
        await SendAsync(Frames.Event(EventNames.Handshake, ScCodec.ToData(new Dictionary<string, object?> { ["authToken"] = authToken }), cid));
        return await ReceiveResponseAsync(cid);
    }

    /// <summary>Asserts that the server sends nothing (pings aside) for a while.</summary>
    public async Task AssertNoFrameAsync(TimeSpan? window = null)
    {
        using var cts = new CancellationTokenSource(window ?? Waits.Quiet);
        try
        {
            var frame = await _frames.Reader.ReadAsync(cts.Token);
            Assert.Fail($"Expected no frame, got {frame}");
        }
        catch (OperationCanceledException)
        {
        }
        catch (ChannelClosedException)
        {
        }
    }

    public Task<(int Code, string Reason)> ExpectCloseAsync() => Closed.WithTimeout(what: "the server to close the connection");

    public async Task CloseAsync(int code = 1000, string reason = "")
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
                await _socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, CancellationToken.None);
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException) { }
    }

    public void Abort() => _socket.Abort();

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        if (await Task.WhenAny(_reader, Task.Delay(2000)) != _reader) _socket.Abort();
        _socket.Dispose();
    }
}
