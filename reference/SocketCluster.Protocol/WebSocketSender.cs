using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;

namespace SocketCluster.Protocol;

/// <summary>
/// The single writer of a WebSocket: System.Net.WebSockets allows one outstanding send, so every frame
/// (text, binary or the close frame) goes through one queue and one loop, in order.
/// </summary>
public sealed class WebSocketSender : IAsyncDisposable
{
    private readonly WebSocket _socket;
    // Asynchronous continuations on purpose: with synchronous ones a fan-out wrote every subscriber's frame on the
    // publisher's thread, one after the other, and cost 2.4× the server CPU per delivery (bench fanout, 1→1000).
    private readonly Channel<Outbound> _queue = Channel.CreateUnbounded<Outbound>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    /// <summary>Starts the send loop over an open WebSocket.</summary>
    public WebSocketSender(WebSocket socket)
    {
        _socket = socket;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Raised when a send fails (the socket is then unusable); the frames still queued are dropped.</summary>
    public event Action<Exception>? SendFailed;

    private long _bufferedBytes;

    /// <summary>
    /// Bytes queued and not yet handed to the transport (the frame being written included): what a peer that stops
    /// reading costs this process (the official socket.getOutboundBackpressure()).
    /// </summary>
    public long BufferedBytes => Interlocked.Read(ref _bufferedBytes);

    /// <summary>Frames queued and not yet handed to the transport (the one being written included).</summary>
    public int BufferedFrames => Volatile.Read(ref _bufferedFrames);

    private int _bufferedFrames;

    /// <summary>Queues a text frame; false if the sender is already closed.</summary>
    public bool Send(string text) => Send(Encoding.UTF8.GetBytes(text));

    /// <summary>Queues an already-encoded UTF-8 text frame (shared by many sockets: it is never modified).</summary>
    public bool Send(byte[] utf8Text) => Enqueue(new Outbound(utf8Text, WebSocketMessageType.Text, null, null, null));

    /// <summary>Queues a binary frame; false if the sender is already closed.</summary>
    public bool SendBinary(byte[] bytes) => Enqueue(new Outbound(bytes, WebSocketMessageType.Binary, null, null, null));

    private bool Enqueue(Outbound frame)
    {
        if (_discarding && frame.Type != WebSocketMessageType.Close && frame.Done is null) return false;
        Interlocked.Add(ref _bufferedBytes, frame.Bytes.Length);
        Interlocked.Increment(ref _bufferedFrames);
        if (_queue.Writer.TryWrite(frame)) return true;
        Interlocked.Add(ref _bufferedBytes, -frame.Bytes.Length);
        Interlocked.Decrement(ref _bufferedFrames);
        return false;
    }

    private volatile bool _discarding;

    /// <summary>
    /// From now on, data frames still queued or sent later are dropped (the frame being written finishes): for a
    /// peer that is disconnected for not reading, so its close frame is the next thing written.
    /// </summary>
    public void DiscardDataFrames() => _discarding = true;

    /// <summary>Queues a text frame and completes when it has been written.</summary>
    public Task SendAsync(string text)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!Enqueue(new Outbound(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, null, null, done)))
            done.TrySetException(new InvalidOperationException("The WebSocket sender is closed."));
        return done.Task;
    }

    /// <summary>Sends the close frame after everything queued before it, then stops accepting frames.</summary>
    public Task CloseAsync(int code, string? reason)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (_queue.Writer.TryWrite(new Outbound([], WebSocketMessageType.Close, code, reason ?? "", done)))
            _queue.Writer.TryComplete();
        else done.TrySetResult();
        return done.Task;
    }

    private async Task RunAsync()
    {
        await foreach (var frame in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                if (_discarding && frame.Type != WebSocketMessageType.Close && frame.Done is null)
                {
                    // dropped: the peer is being disconnected for not reading
                }
                else if (frame.Type == WebSocketMessageType.Close)
                {
                    if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                        await _socket.CloseOutputAsync((WebSocketCloseStatus)frame.Code!.Value, frame.Reason, CancellationToken.None).ConfigureAwait(false);
                }
                else if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    await _socket.SendAsync(frame.Bytes, frame.Type, true, CancellationToken.None).ConfigureAwait(false);
                }
                Interlocked.Add(ref _bufferedBytes, -frame.Bytes.Length);
                Interlocked.Decrement(ref _bufferedFrames);
                frame.Done?.TrySetResult();
            }
            catch (Exception e)
            {
                // Every exception ends the loop this way, so every queued frame's task completes: a send on a socket
                // that was just aborted throws OperationCanceledException (and an invalid close code ArgumentException);
                // when those escaped, the loop died with the frames' tasks pending and their senders (a raw connection's
                // teardown after the server dropped it) waited forever (issue 10 §9).
                frame.Done?.TrySetException(e);
                _queue.Writer.TryComplete();
                SendFailed?.Invoke(e);
                while (_queue.Reader.TryRead(out var dropped))
                    dropped.Done?.TrySetException(new InvalidOperationException("The WebSocket is no longer open.", e));
                Interlocked.Exchange(ref _bufferedBytes, 0);
                Interlocked.Exchange(ref _bufferedFrames, 0);
                return;
            }
        }
    }

    /// <summary>Stops accepting frames and waits for the send loop to end.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        try { await _loop.ConfigureAwait(false); } catch { /* already reported through SendFailed */ }
    }

    private sealed record Outbound(byte[] Bytes, WebSocketMessageType Type, int? Code, string? Reason, TaskCompletionSource? Done);
}
