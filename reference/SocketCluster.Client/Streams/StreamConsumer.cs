using System.Threading.Channels;
using SocketCluster.Protocol;

namespace SocketCluster.Client.Streams;

/// <summary>
/// One consumer of a named stream (official createConsumer()): it receives every value written from its
/// creation on, in order, through a bounded buffer. Dispose it to stop receiving; the stream's Close ends it.
/// </summary>
public sealed class StreamConsumer<T> : IAsyncEnumerable<T>, IAsyncDisposable, IStreamSink
{
    private readonly StreamDemux _demux;
    private readonly Channel<T> _buffer;

    internal StreamConsumer(StreamDemux demux, string name, int capacity)
    {
        _demux = demux;
        Name = name;
        _buffer = Channel.CreateBounded<T>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = false,
            SingleWriter = true,
        });
    }

    /// <summary>The stream name (an event, receiver, procedure or channel name).</summary>
    public string Name { get; }

    /// <summary>Values buffered and not yet read (the official backpressure).</summary>
    public int Backpressure => _buffer.Reader.Count;

    public ChannelReader<T> Reader => _buffer.Reader;

    /// <summary>The next value. Throws <see cref="ChannelClosedException"/> once the stream has ended.</summary>
    public ValueTask<T> NextAsync(CancellationToken cancellationToken = default) => _buffer.Reader.ReadAsync(cancellationToken);

    /// <summary>The next value within the timeout, else an ScError TimeoutError "Stream consumer iteration timed out".</summary>
    public async Task<T> NextAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            return await _buffer.Reader.ReadAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ScTimeoutException("Stream consumer iteration timed out");
        }
    }

    public bool TryRead(out T value) => _buffer.Reader.TryRead(out value!);

    public async IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        await foreach (var item in _buffer.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            yield return item;
    }

    public ValueTask DisposeAsync()
    {
        _demux.Remove(Name, this);
        _buffer.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }

    async ValueTask IStreamSink.WriteAsync(object? value)
    {
        if (!(value is T || (value is null && default(T) is null))) return; // a value of another type is not for this consumer
        try { await _buffer.Writer.WriteAsync((T)value!).ConfigureAwait(false); }
        catch (ChannelClosedException) { /* disposed while the buffer was full */ }
    }

    void IStreamSink.Complete() => _buffer.Writer.TryComplete();
}

/// <summary>
/// A named stream of a socket (a listener, receiver, procedure or channel). Iterating it creates a consumer for
/// the duration of the loop, as `for await` does in JS; use <see cref="CreateConsumer"/> to start buffering now.
/// </summary>
public class ScStream<T> : IAsyncEnumerable<T>
{
    private readonly StreamDemux _demux;

    internal ScStream(StreamDemux demux, string name)
    {
        _demux = demux;
        StreamName = name;
    }

    /// <summary>The demux key (for channel listeners "channel/event").</summary>
    public string StreamName { get; }

    /// <summary>A consumer that buffers every value from now on.</summary>
    public StreamConsumer<T> CreateConsumer() => _demux.CreateConsumer<T>(StreamName);

    /// <summary>Whether anything currently consumes this stream.</summary>
    public bool HasConsumers => _demux.HasConsumer(StreamName);

    /// <summary>The next value written after this call (official once(timeout)).</summary>
    public async Task<T> OnceAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        await using var consumer = CreateConsumer();
        return timeout is { } t
            ? await consumer.NextAsync(t, cancellationToken).ConfigureAwait(false)
            : await consumer.NextAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends every consumer of this stream after the values already written.</summary>
    public void Close() => _demux.Close(StreamName);

    public async IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        await using var consumer = CreateConsumer();
        await foreach (var item in consumer.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            yield return item;
    }
}
