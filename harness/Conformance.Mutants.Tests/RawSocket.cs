using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using SocketCluster.Protocol;

namespace Conformance.Mutants.Tests;

/// <summary>A minimal raw SocketCluster connection for end-to-end proxy tests (answers v2 pings unless told not to).</summary>
internal sealed class RawSocket : IAsyncDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly ClientWebSocket _ws = new();
    private readonly System.Threading.Channels.Channel<string> _inbound = System.Threading.Channels.Channel.CreateUnbounded<string>();
    private readonly TaskCompletionSource<(int? Code, string? Reason, bool Abrupt)> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private long _cid;

    public bool AnswerPings { get; set; } = true;

    public int PingsSeen;

    public static async Task<RawSocket> ConnectAsync(Uri uri)
    {
        var s = new RawSocket();
        s._ws.Options.KeepAliveInterval = TimeSpan.Zero;
        using var cts = new CancellationTokenSource(Wait);
        await s._ws.ConnectAsync(uri, cts.Token);
        _ = s.ReadLoopAsync();
        return s;
    }

    public Task<(int? Code, string? Reason, bool Abrupt)> Closed => _closed.Task;

    /// <summary>Waits up to 10 s (or the test's cancellation) for the connection to close.</summary>
    public Task<(int? Code, string? Reason, bool Abrupt)> ClosedAsync() => Closed.WaitAsync(Wait, TestContext.Current.CancellationToken);

    private async Task ReadLoopAsync()
    {
        try
        {
            while (true)
            {
                var msg = await WebSocketInbound.ReceiveAsync(_ws, 1 << 24, CancellationToken.None);
                if (msg.Kind == InboundKind.Close)
                {
                    _closed.TrySetResult((msg.CloseCode, msg.CloseReason, false));
                    try { await _ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None); } catch (WebSocketException) { }
                    break;
                }
                if (msg.Text == PingPong.PingV2)
                {
                    Interlocked.Increment(ref PingsSeen);
                    if (AnswerPings) await SendAsync(PingPong.PongV2);
                    continue;
                }
                foreach (var p in Packets.Decode(msg.Text).Packets) await _inbound.Writer.WriteAsync(p.Node?.ToJsonString() ?? p.Text);
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException)
        {
            _closed.TrySetResult((null, null, true));
        }
        _inbound.Writer.TryComplete();
    }

    public async Task SendAsync(string text)
    {
        await _sendLock.WaitAsync();
        try { await _ws.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None); }
        finally { _sendLock.Release(); }
    }

    public long NextCid() => Interlocked.Increment(ref _cid);

    /// <summary>Sends a request and waits for the packet whose rid equals its cid.</summary>
    public async Task<JsonObject> InvokeAsync(string ev, string? dataJson = null)
    {
        var cid = NextCid();
        await SendAsync(dataJson is null ? $$"""{"event":"{{ev}}","cid":{{cid}}}""" : $$"""{"event":"{{ev}}","data":{{dataJson}},"cid":{{cid}}}""");
        return await ReceiveAsync(o => o["rid"] is JsonValue v && v.TryGetValue<long>(out var r) && r == cid);
    }

    public async Task<JsonObject> HandshakeAsync() =>
        await InvokeAsync("#handshake", """{"authToken":null}""");

    /// <summary>
    /// The first inbound packet matching the predicate; packets that do not match stay available for later calls
    /// (the relative order of, e.g., a response and a publication is not specified).
    /// </summary>
    public async Task<JsonObject> ReceiveAsync(Func<JsonObject, bool> match, TimeSpan? within = null)
    {
        for (var i = 0; i < _backlog.Count; i++)
        {
            if (_backlog[i] is not { } held || !match(held)) continue;
            _backlog.RemoveAt(i);
            return held;
        }
        using var cts = new CancellationTokenSource(within ?? Wait);
        while (true)
        {
            var text = await _inbound.Reader.ReadAsync(cts.Token);
            var o = text.TrimStart().StartsWith('{') ? JsonNode.Parse(text) as JsonObject : null;
            if (o is not null && match(o)) return o;
            _backlog.Add(o);
        }
    }

    private readonly List<JsonObject?> _backlog = [];

    /// <summary>Every inbound packet text (raw text for non-JSON) received within the window.</summary>
    public async Task<List<string>> DrainAsync(TimeSpan window)
    {
        var list = new List<string>();
        using var cts = new CancellationTokenSource(window);
        try { while (true) list.Add(await _inbound.Reader.ReadAsync(cts.Token)); }
        catch (OperationCanceledException) { }
        catch (System.Threading.Channels.ChannelClosedException) { }
        return list;
    }

    public async ValueTask DisposeAsync()
    {
        if (_ws.State == WebSocketState.Open)
        {
            try { await _ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None); } catch (WebSocketException) { }
            await Task.WhenAny(_closed.Task, Task.Delay(2000));
        }
        _ws.Dispose();
    }
}
