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
    private readonly Channel<Outbound> _queue = Channel.CreateUnbounded<Outbound>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    public WebSocketSender(WebSocket socket)
    {
        _socket = socket;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Raised when a send fails (the socket is then unusable); the frames still queued are dropped.</summary>
    public event Action<Exception>? SendFailed;

    /// <summary>Queues a text frame; false if the sender is already closed.</summary>
    public bool Send(string text) => _queue.Writer.TryWrite(new Outbound(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, null, null, null));

    public bool SendBinary(byte[] bytes) => _queue.Writer.TryWrite(new Outbound(bytes, WebSocketMessageType.Binary, null, null, null));

    /// <summary>Queues a text frame and completes when it has been written.</summary>
    public Task SendAsync(string text)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new Outbound(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, null, null, done)))
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
                if (frame.Type == WebSocketMessageType.Close)
                {
                    if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                        await _socket.CloseOutputAsync((WebSocketCloseStatus)frame.Code!.Value, frame.Reason, CancellationToken.None).ConfigureAwait(false);
                }
                else if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    await _socket.SendAsync(frame.Bytes, frame.Type, true, CancellationToken.None).ConfigureAwait(false);
                }
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
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        try { await _loop.ConfigureAwait(false); } catch { /* already reported through SendFailed */ }
    }

    private sealed record Outbound(byte[] Bytes, WebSocketMessageType Type, int? Code, string? Reason, TaskCompletionSource? Done);
}
