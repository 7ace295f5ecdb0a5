using System.Threading.Channels;

namespace SocketCluster.Server.Streams;

/// <summary>
/// One consumer of a named stream (a receiver, a procedure, a listener, an exchange channel): an async stream
/// over a bounded channel. It is registered when created, so nothing written after the call is missed, and it
/// unregisters when disposed or when its enumeration ends (<c>await foreach</c> disposes it), so a consumer that
/// stops reading never holds its producer back. It can be enumerated once.
/// </summary>
public sealed class ConsumableStream<T> : IAsyncEnumerable<T>, IAsyncDisposable
{
    private readonly Channel<Envelope> _channel;
    private readonly Action<ConsumableStream<T>>? _onDispose;
    private int _disposed;
    private int _enumerated;
    private volatile bool _killed;

    /// <param name="inlineConsumer">
    /// A waiting consumer continues on the writer's thread (until its next await) instead of a thread-pool hop: for
    /// middleware streams, written by one socket's in-order processing, whose verdict that processing awaits anyway.
    /// Never for listeners (emitted from inside state changes) nor for receivers and procedures (see ServerSocket).
    /// </param>
    internal ConsumableStream(string name, int capacity, Action<ConsumableStream<T>>? onDispose, bool inlineConsumer = false)
    {
        Name = name;
        _onDispose = onDispose;
        _channel = Channel.CreateBounded<Envelope>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
            AllowSynchronousContinuations = inlineConsumer,
        });
    }

    /// <summary>The receiver, procedure, listener or channel name this stream consumes.</summary>
    public string Name { get; }

    /// <summary>Items written but not yet read (the consumer's backpressure).</summary>
    public int Backpressure => _channel.Reader.CanCount ? _channel.Reader.Count : 0;

    /// <summary>Items a full listener stream had to drop (listeners never block the code that emits events).</summary>
    public long DroppedCount => Interlocked.Read(ref _dropped);
    private long _dropped;

    internal bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>Waits while the stream is full: a slow consumer slows its producer (one socket's inbound loop).</summary>
    internal async ValueTask WriteAsync(T item, TaskCompletionSource? handled, CancellationToken cancellationToken)
    {
        try
        {
            await _channel.Writer.WriteAsync(new Envelope(item, handled), cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            handled?.TrySetResult();
        }
    }

    /// <summary>Never waits: used for events; a full stream drops the item and counts it.</summary>
    internal bool TryWrite(T item, TaskCompletionSource? handled = null)
    {
        if (_channel.Writer.TryWrite(new Envelope(item, handled))) return true;
        if (!IsDisposed) Interlocked.Increment(ref _dropped);
        handled?.TrySetResult();
        return false;
    }

    /// <summary>Ends the stream after the consumer has read what is buffered ('close' cleanup).</summary>
    internal void Close() => _channel.Writer.TryComplete();

    /// <summary>Ends the stream at once, dropping what is buffered ('kill' cleanup).</summary>
    internal void Kill()
    {
        _killed = true;
        _channel.Writer.TryComplete();
        while (_channel.Reader.TryRead(out var dropped)) dropped.Handled?.TrySetResult();
    }

    public async IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _enumerated, 1) != 0)
            throw new InvalidOperationException($"The '{Name}' stream can be enumerated only once; call the method again for another consumer.");
        try
        {
            while (await _channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (!_killed && _channel.Reader.TryRead(out var envelope))
                {
                    try
                    {
                        yield return envelope.Item;
                    }
                    finally
                    {
                        // Runs when the consumer asks for the next item (or stops): the item has been handled.
                        envelope.Handled?.TrySetResult();
                    }
                }
                if (_killed) yield break;
            }
        }
        finally
        {
            await DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Instance form, so that <c>await foreach (... in stream.ConfigureAwait(false))</c> is not ambiguous.</summary>
    public System.Runtime.CompilerServices.ConfiguredCancelableAsyncEnumerable<T> ConfigureAwait(bool continueOnCapturedContext) =>
        TaskAsyncEnumerableExtensions.ConfigureAwait((IAsyncEnumerable<T>)this, continueOnCapturedContext);

    public System.Runtime.CompilerServices.ConfiguredCancelableAsyncEnumerable<T> WithCancellation(CancellationToken cancellationToken) =>
        TaskAsyncEnumerableExtensions.WithCancellation(this, cancellationToken);

    /// <summary>Waits for the next item (like the JS stream's once()); throws TimeoutException when none came in time.</summary>
    public async Task<T> OnceAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout is { } t) cts.CancelAfter(t);
        try
        {
            await foreach (var item in this.WithCancellation(cts.Token).ConfigureAwait(false)) return item;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No '{Name}' item arrived within {timeout}.");
        }
        throw new InvalidOperationException($"The '{Name}' stream ended before an item arrived.");
    }

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return ValueTask.CompletedTask;
        _onDispose?.Invoke(this);
        Kill();
        return ValueTask.CompletedTask;
    }

    private readonly record struct Envelope(T Item, TaskCompletionSource? Handled);
}
