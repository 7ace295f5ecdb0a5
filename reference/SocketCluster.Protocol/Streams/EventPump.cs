using System.Threading.Channels;

namespace SocketCluster.Protocol.Streams;

/// <summary>
/// Delivers every stream write of one socket in emission order. Emission happens under the socket's lock
/// (never blocking); this single loop then awaits each bounded consumer buffer, so a slow consumer holds back
/// delivery (backpressure) instead of losing events. The inbound reader waits while the backlog is large.
/// </summary>
internal sealed class EventPump
{
    private const int HighWater = 4096;
    private const int LowWater = 1024;

    private readonly Channel<Func<ValueTask>> _queue =
        Channel.CreateUnbounded<Func<ValueTask>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private readonly object _roomLock = new();
    private TaskCompletionSource? _roomWaiter;
    private int _backlog;

    public EventPump() => _loop = Task.Run(RunAsync);

    public void Enqueue(Func<ValueTask> delivery)
    {
        Interlocked.Increment(ref _backlog);
        if (!_queue.Writer.TryWrite(delivery)) Interlocked.Decrement(ref _backlog);
    }

    /// <summary>Completes at once unless the backlog is above the high-water mark; then when it drained to the low one.</summary>
    public Task WaitForRoomAsync()
    {
        if (Volatile.Read(ref _backlog) <= HighWater) return Task.CompletedTask;
        lock (_roomLock)
        {
            _roomWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _roomWaiter.Task;
        }
    }

    /// <summary>Completes once everything enqueued before this call has been delivered.</summary>
    public Task DrainAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(() => { done.TrySetResult(); return ValueTask.CompletedTask; });
        return done.Task;
    }

    public async Task CompleteAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        await foreach (var delivery in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try { await delivery().ConfigureAwait(false); }
            catch (Exception) { /* a consumer that went away mid-write; the others still get their items */ }
            if (Interlocked.Decrement(ref _backlog) <= LowWater) ReleaseWaiter();
        }
        ReleaseWaiter();
    }

    private void ReleaseWaiter()
    {
        TaskCompletionSource? waiter;
        lock (_roomLock) { waiter = _roomWaiter; _roomWaiter = null; }
        waiter?.TrySetResult();
    }
}
