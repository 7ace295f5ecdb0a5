using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Conformance.Engine.Support;
using SocketCluster.Protocol;

namespace Conformance.Engine.Drivers;

/// <summary>One inbound entry of a raw connection: a frame, or one element of a batch (JSON array) frame.</summary>
public sealed record RawFrame(int Seq, TimeSpan At, bool Binary, string Text, JsonElement? Json, bool IsPing);

/// <summary>How a raw connection ended: the close frame's code and reason, or 1006 when the TCP connection dropped.</summary>
public sealed record RawClose(int Code, string Reason, TimeSpan At, bool ClosedByPeer);

/// <summary>Thrown when the WebSocket upgrade is refused; <see cref="StatusCode"/> is 0 when no HTTP answer came.</summary>
public sealed class UpgradeRefusedException(int statusCode, string message, Exception? inner = null) : Exception(message, inner)
{
    public int StatusCode { get; } = statusCode;
}

/// <summary>
/// The raw-wire driver: a WebSocket that sends exactly the frames a scenario writes (valid or not) and records every
/// inbound frame, decoded with the shared codec, with timestamps and the close. Pings are answered automatically only
/// once a handshake has succeeded, and only until told to stop. Its mirror image, a connection the scripted server
/// accepted (<see cref="Accepted"/>, STEPS.md §12), records everything the client sends, pongs included as ordinary
/// entries, and answers nothing by itself.
/// </summary>
public sealed class RawConnection : IAsyncDisposable
{
    private const long MaxInbound = 64L * 1024 * 1024;
    private readonly WebSocket _socket;
    private readonly IDisposable? _transport;
    private readonly WebSocketSender _sender;
    private readonly WireTranscript _transcript;
    private readonly CancellationTokenSource _stop = new();
    private readonly HashSet<long> _handshakeCids = [];
    private readonly Task _receiveLoop;
    private int _seq;
    private bool _pongsStopped;

    private RawConnection(string name, Uri uri, int protocolVersion, WebSocket socket, WireTranscript transcript,
        bool serverSide = false, IDisposable? transport = null)
    {
        ServerSide = serverSide;
        _transport = transport;
        Name = name;
        Uri = uri;
        ProtocolVersion = protocolVersion;
        _socket = socket;
        _transcript = transcript;
        _sender = new WebSocketSender(socket);
        _receiveLoop = Task.Run(ReceiveLoopAsync);
    }

    public string Name { get; }
    public Uri Uri { get; }

    /// <summary>True for a connection the scripted server accepted: no frame is classified as a ping, none is answered.</summary>
    public bool ServerSide { get; }
    public int ProtocolVersion { get; }

    /// <summary>Every inbound entry in arrival order (batches split, pings included).</summary>
    public EventLog<RawFrame> Inbound { get; } = new();

    /// <summary>Index of the next inbound entry a forward search starts from.</summary>
    public int Cursor { get; set; }

    /// <summary>Set once the connection has ended.</summary>
    public RawClose? Close { get; private set; }

    public bool AutoPong { get; private set; }

    /// <summary>The socket id and pingTimeout of the successful handshake response, when there was one.</summary>
    public string? SocketId { get; private set; }
    public int? PingTimeout { get; private set; }

    /// <summary>The cid of the most recent frame sent with $cid, and per label (invoke, subscribe, ...).</summary>
    public long? LastRequestCid { get; private set; }
    public Dictionary<string, long> LastCidByLabel { get; } = new(StringComparer.Ordinal);

    /// <summary>The cid of the frame most recently matched by a "receives" step ($receivedCid).</summary>
    public long? ReceivedCid { get; set; }

    private long _nextCid = 1;

    /// <summary>Allocates the next cid (1, 2, 3... per connection) and remembers it as the last request (and label's).</summary>
    public long NextCid(string? label = null)
    {
        var cid = _nextCid++;
        LastRequestCid = cid;
        LastCidByLabel["request"] = cid;
        if (label is not null) LastCidByLabel[label] = cid;
        return cid;
    }

    public static async Task<RawConnection> OpenAsync(string name, Uri uri, int protocolVersion, WireTranscript transcript,
        TimeSpan timeout, CancellationToken cancellation)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero; // no WebSocket-level pings: they are not part of the protocol
        socket.Options.CollectHttpResponseDetails = true;
        transcript.Note(name, $"upgrade {uri}");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(uri, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or HttpRequestException or OperationCanceledException && !cancellation.IsCancellationRequested)
        {
            var status = (int)socket.HttpStatusCode;
            socket.Dispose();
            var what = status > 0 ? $"HTTP {status} {(HttpStatusCode)status}" : e is OperationCanceledException ? "timed out" : e.Message;
            transcript.Note(name, $"upgrade refused: {what}");
            throw new UpgradeRefusedException(status, $"The WebSocket upgrade of {name} to {uri} was refused: {what}", e);
        }
        transcript.Note(name, "upgrade accepted (101)");
        return new RawConnection(name, uri, protocolVersion, socket, transcript);
    }

    /// <summary>
    /// Wraps a WebSocket the scripted server accepted (<paramref name="uri"/>: the path the client asked for). The
    /// <paramref name="transport"/> (the TCP connection) is disposed by <see cref="Drop"/> and at teardown.
    /// </summary>
    public static RawConnection Accepted(string name, Uri uri, int protocolVersion, WebSocket socket, IDisposable transport,
        WireTranscript transcript) => new(name, uri, protocolVersion, socket, transcript, serverSide: true, transport);

    /// <summary>Drops the TCP connection without a close frame (the peer sees 1006).</summary>
    public void Drop()
    {
        _transcript.Note(Name, "drops the TCP connection (no close frame)");
        _socket.Abort();
        _transport?.Dispose();
    }

    /// <summary>How long teardown waits for our close frame to be written and for the send loop to end.</summary>
    private static readonly TimeSpan TeardownWait = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Sends one text frame exactly as given (it may be invalid JSON) and waits until it is written. On a connection the
    /// peer has dropped the frame is lost, as on the network: the transcript says so, and the scenario's expectations
    /// (not the send) fail, exactly as when the drop was noticed before the send (the sender then skips the frame).
    /// </summary>
    public async Task SendTextAsync(string text)
    {
        NoteHandshake(text);
        _transcript.Sent(Name, text);
        try
        {
            await _sender.SendAsync(text).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or InvalidOperationException or IOException)
        {
            _transcript.Note(Name, $"the frame above was not delivered: the connection is gone ({e.Message})");
        }
    }

    public Task SendBinaryAsync(byte[] bytes)
    {
        _transcript.Sent(Name, Encoding.UTF8.GetString(bytes), binary: true);
        if (!_sender.SendBinary(bytes)) throw new InvalidOperationException($"{Name} is closed: cannot send.");
        return Task.CompletedTask;
    }

    public Task SendPongAsync() => SendTextAsync(PingPong.Pong(ProtocolVersion));

    public void StopAnsweringPings()
    {
        _pongsStopped = true;
        AutoPong = false;
        _transcript.Note(Name, "stops answering pings");
    }

    /// <summary>Closes the WebSocket with this code and reason (a close frame; the peer's answer is recorded).</summary>
    public async Task CloseAsync(int code, string reason)
    {
        _transcript.ClosedBy(Name, WireDirection.Out, code, reason);
        try { await _sender.CloseAsync(code, reason).ConfigureAwait(false); }
        catch (Exception e) when (e is WebSocketException or InvalidOperationException or ArgumentException or OperationCanceledException or IOException) { }
    }

    /// <summary>Records the handshake response fields and switches pongs on (helper step and hand-written handshakes alike).</summary>
    private void OnResponse(JsonElement json)
    {
        if (!json.TryGetProperty("rid", out var rid) || rid.ValueKind != JsonValueKind.Number || !rid.TryGetInt64(out var r)) return;
        lock (_handshakeCids) { if (!_handshakeCids.Contains(r)) return; }
        var isError = json.TryGetProperty("error", out var error) && error.ValueKind is not (JsonValueKind.Null or JsonValueKind.False);
        if (isError || !json.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object) return;
        if (data.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String) SocketId = id.GetString();
        if (data.TryGetProperty("pingTimeout", out var pt) && pt.ValueKind == JsonValueKind.Number && pt.TryGetInt32(out var p)) PingTimeout = p;
        if (!_pongsStopped) AutoPong = true;
    }

    /// <summary>The event name of every request this connection sent, by cid.</summary>
    public IReadOnlyDictionary<long, string> EventByCid
    {
        get { lock (_eventByCid) return new Dictionary<long, string>(_eventByCid); }
    }

    private readonly Dictionary<long, string> _eventByCid = [];

    private void NoteHandshake(string text)
    {
        var decoded = ScCodec.Decode(text);
        if (decoded.Json is not { } json) return;
        foreach (var packet in json.ValueKind == JsonValueKind.Array ? json.EnumerateArray().ToArray() : [json])
        {
            if (packet.ValueKind == JsonValueKind.Object
                && packet.TryGetProperty("event", out var ev) && ev.ValueKind == JsonValueKind.String
                && packet.TryGetProperty("cid", out var cid) && cid.ValueKind == JsonValueKind.Number && cid.TryGetInt64(out var c))
            {
                lock (_eventByCid) _eventByCid[c] = ev.GetString()!;
                if (ev.GetString() == EventNames.Handshake) lock (_handshakeCids) _handshakeCids.Add(c);
            }
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var ping = PingPong.Ping(ProtocolVersion);
        try
        {
            while (true)
            {
                var inbound = await WebSocketInbound.ReceiveAsync(_socket, MaxInbound, _stop.Token).ConfigureAwait(false);
                var at = _transcript.Now;
                switch (inbound.Kind)
                {
                    case InboundKind.Close:
                        var code = inbound.CloseCode ?? CloseCodes.NoStatus;
                        _transcript.ClosedBy(Name, WireDirection.In, code, inbound.CloseReason);
                        Finish(new RawClose(code, inbound.CloseReason ?? "", at, true));
                        // Complete the closing handshake by echoing the code, as the ws library does.
                        if (CloseCodes.MaySendOnWire(code))
                        {
                            try { await _sender.CloseAsync(code, "").WaitAsync(TeardownWait).ConfigureAwait(false); }
                            catch (Exception e) when (e is WebSocketException or InvalidOperationException or OperationCanceledException or IOException or TimeoutException) { }
                        }
                        return;
                    case InboundKind.TooBig:
                        _transcript.Note(Name, $"inbound message over {MaxInbound} bytes: aborting");
                        _socket.Abort();
                        Finish(new RawClose(CloseCodes.Abnormal, "", at, false));
                        return;
                    default:
                        var binary = inbound.Kind == InboundKind.Binary;
                        _transcript.Received(Name, inbound.Text, binary);
                        Record(inbound.Text, binary, at, ping);
                        break;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            if (Close is null)
            {
                if (!_stop.IsCancellationRequested)
                {
                    _transcript.Note(Name, $"connection dropped without a close frame ({e.Message})");
                    _transcript.ClosedBy(Name, WireDirection.In, CloseCodes.Abnormal, "");
                }
                Finish(new RawClose(CloseCodes.Abnormal, "", _transcript.Now, false));
            }
        }
    }

    private void Record(string text, bool binary, TimeSpan at, string ping)
    {
        if (!ServerSide && !binary && text == ping)
        {
            Inbound.Add(new RawFrame(++_seq, at, false, text, null, true));
            if (AutoPong) _ = SendTextAsync(PingPong.Pong(ProtocolVersion)); // never throws for a lost connection
            return;
        }
        var decoded = ScCodec.Decode(text);
        if (decoded.Json is { ValueKind: JsonValueKind.Array } array)
        {
            foreach (var element in array.EnumerateArray())
            {
                if (element.ValueKind == JsonValueKind.Object) OnResponse(element);
                Inbound.Add(new RawFrame(++_seq, at, binary, element.GetRawText(), element, false));
            }
            return;
        }
        if (decoded.Json is { ValueKind: JsonValueKind.Object } obj) OnResponse(obj);
        Inbound.Add(new RawFrame(++_seq, at, binary, text, decoded.Json, false));
    }


    private void Finish(RawClose close)
    {
        Close ??= close;
        Inbound.Complete();
    }

    public async ValueTask DisposeAsync()
    {
        // Every wait here is bounded: the peer may have dropped the connection a moment ago (issue 10 §9).
        if (Close is null && _socket.State == WebSocketState.Open)
        {
            try { await _sender.CloseAsync(CloseCodes.Normal, "").WaitAsync(TeardownWait).ConfigureAwait(false); }
            catch (Exception e) when (e is WebSocketException or InvalidOperationException or OperationCanceledException or IOException or TimeoutException) { }
        }
        // Give the peer a moment to answer our close frame, so the transcript shows its close rather than a drop.
        if (Close is null && _socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            await Task.WhenAny(_receiveLoop, Task.Delay(1000)).ConfigureAwait(false);
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Abort();
        await Task.WhenAny(_receiveLoop, Task.Delay(1000)).ConfigureAwait(false);
        await Task.WhenAny(_sender.DisposeAsync().AsTask(), Task.Delay(TeardownWait)).ConfigureAwait(false);
        _socket.Dispose();
        _transport?.Dispose();
        _stop.Dispose();
    }
}
