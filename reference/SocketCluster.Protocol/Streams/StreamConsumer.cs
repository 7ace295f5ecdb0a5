using System.Runtime.CompilerServices;
using System.Threading.Channels;
using System.Threading.Tasks.Sources;

namespace SocketCluster.Protocol.Streams;

/// <summary>
/// One consumer of a named stream (the official <c>stream.createConsumer()</c>): it receives every item written to
/// its stream from its creation on, in order, through a buffer bounded by the stream capacity. Enumerate it once
/// with <c>await foreach</c> (leaving the loop disposes it, like the official <c>consumer.return()</c>) or read it
/// with <see cref="NextAsync(CancellationToken)"/>; dispose it to stop receiving.
/// </summary>
/// <remarks>
/// Light by design (issue 13: at most 16 KB per idle connection, where the fixture keeps 16 consumers per socket
/// waiting): a consumer that waits for its first item holds no buffer and no task; its buffer is created on the
/// first item that cannot be handed straight to a waiting reader, and a waiting read completes through the consumer
/// itself (<see cref="IValueTaskSource{TResult}"/>) rather than an allocated task.
/// </remarks>
public sealed class StreamConsumer<T> : IAsyncEnumerable<T>, IAsyncEnumerator<T>, IAsyncDisposable, IValueTaskSource<bool>, IStreamSink<T>
{
    private readonly IStreamOwner? _owner;
    private readonly int _capacity;
    private Queue<Envelope>? _buffer;
    private ManualResetValueTaskSourceCore<bool> _waiter;
    private CancellationTokenRegistration _waitCancellation;
    private CancellationToken _enumerationToken;
    private TaskCompletionSource? _room;
    private TaskCompletionSource? _currentHandled;
    private T _current = default!;
    private long _dropped;
    private State _state;

    [Flags]
    private enum State : byte
    {
        None = 0,
        Waiting = 1,
        Closed = 2,
        Killed = 4,
        Disposed = 8,
        Enumerated = 16,
    }

    /// <param name="name">The stream name (a receiver, procedure, listener or channel name).</param>
    /// <param name="capacity">Items the consumer buffers before a write waits (or, for a never-waiting write, is dropped).</param>
    /// <param name="inlineContinuations">
    /// A waiting reader continues on the writer's thread (until its next await) instead of a thread-pool hop: only
    /// for a stream whose writer awaits the reader's verdict anyway (server middleware), never for events or data.
    /// </param>
    /// <param name="owner">Told when the consumer is disposed, so it stops receiving (its demux).</param>
    internal StreamConsumer(string name, int capacity, bool inlineContinuations = false, IStreamOwner? owner = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Name = name;
        _capacity = capacity;
        _owner = owner;
        _waiter.RunContinuationsAsynchronously = !inlineContinuations;
    }

    /// <summary>The stream name (a receiver, procedure, listener or channel name; "channel/event" for channel listeners).</summary>
    public string Name { get; }

    /// <summary>Items written and not yet read (the official consumer backpressure).</summary>
    public int Backpressure
    {
        get { lock (Gate) return _buffer?.Count ?? 0; }
    }

    /// <summary>Items a full consumer had to drop because its writer never waits (server listeners).</summary>
    public long DroppedCount => Interlocked.Read(ref _dropped);

    /// <summary>Whether the stream has ended for this consumer (closed, killed or disposed).</summary>
    public bool IsEnded
    {
        get { lock (Gate) return (_state & (State.Closed | State.Killed | State.Disposed)) != 0; }
    }

    /// <summary>The item read by the last successful <see cref="MoveNextAsync"/>.</summary>
    public T Current => _current;

    // The consumer is its own lock: it is sealed and never handed to code that locks on it, and a separate lock
    // object would cost every idle consumer another allocation.
    private object Gate => this;

    /// <summary>The next item.</summary>
    /// <exception cref="ChannelClosedException">The stream ended (closed, killed or the consumer disposed) before an item came.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled; the consumer stays usable.</exception>
    /// <exception cref="InvalidOperationException">Another read of this consumer is already waiting (one reader at a time).</exception>
    public async ValueTask<T> NextAsync(CancellationToken cancellationToken = default)
    {
        if (!await WaitNextAsync(cancellationToken).ConfigureAwait(false))
            throw new ChannelClosedException($"The '{Name}' stream has ended.");
        return _current;
    }

    /// <summary>The next item within the timeout (official <c>consumer.next()</c> with a timeout).</summary>
    /// <exception cref="ScTimeoutException">No item within the timeout: "Stream consumer iteration timed out" (name TimeoutError).</exception>
    /// <exception cref="ChannelClosedException">The stream ended before an item came.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public async Task<T> NextAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            return await NextAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ScTimeoutException("Stream consumer iteration timed out");
        }
    }

    /// <summary>Reads an item if one is buffered, without waiting.</summary>
    public bool TryRead(out T item)
    {
        TaskCompletionSource? handled, room = null;
        bool read;
        lock (Gate)
        {
            handled = _currentHandled;
            _currentHandled = null;
            read = TryDequeueLocked(ref room);
        }
        handled?.TrySetResult();
        room?.TrySetResult();
        item = read ? _current : default!;
        return read;
    }

    /// <summary>Enumerates the consumer; allowed once, and leaving the loop disposes the consumer.</summary>
    /// <exception cref="InvalidOperationException">The consumer is already being enumerated.</exception>
    public IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        lock (Gate)
        {
            if ((_state & State.Enumerated) != 0)
                throw new InvalidOperationException($"A consumer of the '{Name}' stream can be enumerated only once; create another consumer.");
            _state |= State.Enumerated;
        }
        _enumerationToken = cancellationToken;
        return this;
    }

    /// <summary>Instance form, so that <c>await foreach (... in consumer.ConfigureAwait(false))</c> is not ambiguous.</summary>
    public ConfiguredCancelableAsyncEnumerable<T> ConfigureAwait(bool continueOnCapturedContext) =>
        TaskAsyncEnumerableExtensions.ConfigureAwait((IAsyncEnumerable<T>)this, continueOnCapturedContext);

    /// <summary>Instance form of the extension, which would be ambiguous here (the consumer is also IAsyncDisposable).</summary>
    public ConfiguredCancelableAsyncEnumerable<T> WithCancellation(CancellationToken cancellationToken) =>
        TaskAsyncEnumerableExtensions.WithCancellation(this, cancellationToken);

    /// <summary>Advances to the next item (<see cref="Current"/>); false once the stream has ended.</summary>
    public ValueTask<bool> MoveNextAsync() => WaitNextAsync(_enumerationToken);

    /// <summary>Stops receiving: unregisters from the stream and drops what is buffered.</summary>
    public ValueTask DisposeAsync()
    {
        lock (Gate)
        {
            if ((_state & State.Disposed) != 0) return ValueTask.CompletedTask;
            _state |= State.Disposed;
        }
        _owner?.Remove(this);
        Kill();
        return ValueTask.CompletedTask;
    }

    private ValueTask<bool> WaitNextAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource? handled, room = null;
        bool? result = null;
        var canceled = false;
        lock (Gate)
        {
            if ((_state & State.Waiting) != 0) throw new InvalidOperationException($"A read of the '{Name}' stream is already waiting.");
            // The previous item has been handled once its reader asks for the next one (server connection handlers).
            handled = _currentHandled;
            _currentHandled = null;
            if ((_state & State.Killed) != 0) result = false;
            else if (TryDequeueLocked(ref room)) result = true;
            else if ((_state & State.Closed) != 0) result = false;
            else if (cancellationToken.IsCancellationRequested) canceled = true;
            else
            {
                _waiter.Reset();
                _state |= State.Waiting;
                if (cancellationToken.CanBeCanceled)
                    _waitCancellation = cancellationToken.UnsafeRegister(static (s, token) => ((StreamConsumer<T>)s!).CancelWait(token), this);
            }
        }
        handled?.TrySetResult();
        room?.TrySetResult();
        if (result is { } ready) return new ValueTask<bool>(ready);
        if (canceled) return ValueTask.FromCanceled<bool>(cancellationToken);
        return new ValueTask<bool>(this, _waiter.Version);
    }

    private bool TryDequeueLocked(ref TaskCompletionSource? room)
    {
        if (_buffer is not { Count: > 0 } buffer) return false;
        var envelope = buffer.Dequeue();
        _current = envelope.Item;
        _currentHandled = envelope.Handled;
        // A writer waiting for room may go on (a full consumer holds back its producer, never loses its items).
        room = _room;
        _room = null;
        return true;
    }

    private void CancelWait(CancellationToken token)
    {
        lock (Gate)
        {
            if ((_state & State.Waiting) == 0) return;
            _state &= ~State.Waiting;
        }
        _waiter.SetException(new OperationCanceledException(token));
    }

    /// <summary>Completes the waiting read; the caller cleared <see cref="State.Waiting"/> under the lock.</summary>
    private void CompleteWait(bool result)
    {
        _waitCancellation.Unregister();
        _waitCancellation = default;
        _waiter.SetResult(result);
    }

    // ---- Writing (by the stream's demux or owner) ----

    /// <summary>Never waits: a full consumer drops the item and counts it (events must not block their emitter).</summary>
    bool IStreamSink<T>.TryWrite(T item, TaskCompletionSource? handled) => TryWrite(item, handled);

    internal bool TryWrite(T item, TaskCompletionSource? handled = null)
    {
        var outcome = TryWriteCore(item, handled);
        if (outcome == WriteOutcome.Full)
        {
            Interlocked.Increment(ref _dropped);
            handled?.TrySetResult();
        }
        return outcome == WriteOutcome.Written;
    }

    ValueTask IStreamSink<T>.WriteAsync(T item, TaskCompletionSource? handled, CancellationToken cancellationToken) =>
        WriteAsync(item, handled, cancellationToken);

    /// <summary>Waits while the consumer is full: a slow consumer slows its producer (one socket's inbound loop).</summary>
    internal ValueTask WriteAsync(T item, TaskCompletionSource? handled = null, CancellationToken cancellationToken = default) =>
        TryWriteCore(item, handled) == WriteOutcome.Full ? WriteWhenRoomAsync(item, handled, cancellationToken) : ValueTask.CompletedTask;

    private async ValueTask WriteWhenRoomAsync(T item, TaskCompletionSource? handled, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task room;
            lock (Gate)
            {
                if (_buffer is null || _buffer.Count < _capacity || (_state & (State.Closed | State.Killed)) != 0) room = Task.CompletedTask;
                else room = (_room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }
            await room.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (TryWriteCore(item, handled) != WriteOutcome.Full) return;
        }
    }

    private enum WriteOutcome { Written, Full, Ended }

    private WriteOutcome TryWriteCore(T item, TaskCompletionSource? handled)
    {
        var handedOff = false;
        lock (Gate)
        {
            if ((_state & (State.Closed | State.Killed)) != 0)
            {
                // Ended: nobody will read it (a write after close is dropped silently, as the official stream does).
            }
            else if ((_state & State.Waiting) != 0)
            {
                // A waiting reader has an empty buffer: hand the item over directly, so no buffer is ever created.
                _state &= ~State.Waiting;
                _current = item;
                _currentHandled = handled;
                handedOff = true;
            }
            else if ((_buffer?.Count ?? 0) < _capacity)
            {
                (_buffer ??= new Queue<Envelope>()).Enqueue(new Envelope(item, handled));
                return WriteOutcome.Written;
            }
            else
            {
                return WriteOutcome.Full;
            }
        }
        if (handedOff)
        {
            CompleteWait(true);
            return WriteOutcome.Written;
        }
        handled?.TrySetResult();
        return WriteOutcome.Ended;
    }

    void IStreamSink<T>.Close() => Close();

    void IStreamSink<T>.Kill() => Kill();

    int IStreamSink<T>.Backpressure => Backpressure;

    object IStreamSink<T>.Consumer => this;

    /// <summary>Ends the stream after the reader has read what is buffered ('close').</summary>
    internal void Close()
    {
        var wake = false;
        lock (Gate)
        {
            _state |= State.Closed;
            if ((_state & State.Waiting) != 0)
            {
                _state &= ~State.Waiting;
                wake = true;
            }
        }
        if (wake) CompleteWait(false);
        ReleaseRoom();
    }

    /// <summary>Ends the stream at once, dropping what is buffered ('kill').</summary>
    internal void Kill()
    {
        var wake = false;
        Envelope[] dropped;
        TaskCompletionSource? current;
        lock (Gate)
        {
            _state |= State.Closed | State.Killed;
            if ((_state & State.Waiting) != 0)
            {
                _state &= ~State.Waiting;
                wake = true;
            }
            dropped = _buffer is { Count: > 0 } buffer ? buffer.ToArray() : [];
            _buffer = null;
            current = _currentHandled;
            _currentHandled = null;
        }
        if (wake) CompleteWait(false);
        current?.TrySetResult();
        foreach (var envelope in dropped) envelope.Handled?.TrySetResult();
        ReleaseRoom();
    }

    private void ReleaseRoom()
    {
        TaskCompletionSource? room;
        lock (Gate)
        {
            room = _room;
            _room = null;
        }
        room?.TrySetResult();
    }

    bool IValueTaskSource<bool>.GetResult(short token) => _waiter.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _waiter.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _waiter.OnCompleted(continuation, state, token, flags);

    private readonly record struct Envelope(T Item, TaskCompletionSource? Handled);
}

/// <summary>What a demux writes into: one consumer (possibly a typed view of one).</summary>
internal interface IStreamSink<in T>
{
    bool TryWrite(T item, TaskCompletionSource? handled);
    ValueTask WriteAsync(T item, TaskCompletionSource? handled, CancellationToken cancellationToken);
    void Close();
    void Kill();
    int Backpressure { get; }

    /// <summary>The consumer this sink writes into (itself, or the consumer behind a typed view).</summary>
    object Consumer { get; }
}

/// <summary>Where a consumer unregisters itself when disposed.</summary>
internal interface IStreamOwner
{
    void Remove(object consumer);
}
