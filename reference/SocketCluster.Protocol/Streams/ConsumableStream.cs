namespace SocketCluster.Protocol.Streams;

/// <summary>
/// A named stream of a socket or server (a listener, receiver, procedure or channel; the official
/// DemuxedConsumableStream). Getting it costs nothing and registers nothing: <c>await foreach</c> creates a consumer
/// when the loop starts and removes it when the loop ends (as <c>for await</c> does in JS), so every loop gets every
/// item written while it runs; <see cref="CreateConsumer"/> starts buffering at once, for items that may come before
/// the loop starts. Items written while a name has no consumer are dropped, as with the official packages.
/// </summary>
public sealed class ConsumableStream<T> : IAsyncEnumerable<T>
{
    private readonly IStreamSource<T> _source;

    internal ConsumableStream(IStreamSource<T> source, string name)
    {
        _source = source;
        Name = name;
    }

    /// <summary>The stream name ("channel/event" for a client channel's listener).</summary>
    public string Name { get; }

    /// <summary>A consumer that buffers every item written from now on (official createConsumer()).</summary>
    public StreamConsumer<T> CreateConsumer() => _source.CreateConsumer(Name);

    /// <summary>Whether anything consumes this stream now.</summary>
    public bool HasConsumers => _source.ConsumerCount(Name) > 0;

    /// <summary>How many consumers the stream has now.</summary>
    public int ConsumerCount => _source.ConsumerCount(Name);

    /// <summary>The most items waiting in one of its consumers (official getBackpressure()).</summary>
    public int Backpressure => _source.Backpressure(Name);

    /// <summary>The next item written after this call (official once(timeout)).</summary>
    /// <exception cref="ScTimeoutException">No item within the timeout: "Stream consumer iteration timed out".</exception>
    /// <exception cref="System.Threading.Channels.ChannelClosedException">The stream ended before an item came.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public async Task<T> OnceAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        await using var consumer = CreateConsumer();
        return timeout is { } t
            ? await consumer.NextAsync(t, cancellationToken).ConfigureAwait(false)
            : await consumer.NextAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends the current consumers after what they have buffered (official close); later consumers work as usual.</summary>
    public void Close() => _source.Close(Name);

    /// <summary>Ends the current consumers at once, dropping what they buffered (official kill).</summary>
    public void Kill() => _source.Kill(Name);

    /// <summary>Creates a consumer for this loop; it is removed when the loop ends.</summary>
    public IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        CreateConsumer().GetAsyncEnumerator(cancellationToken);
}
