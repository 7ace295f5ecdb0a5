namespace SocketCluster.Server.Streams;

/// <summary>
/// Named streams with any number of consumers each (the JS StreamDemux): every consumer of a name gets every
/// item written to that name after it was created. Items written to a name without consumers are dropped.
/// </summary>
public sealed class StreamDemux<T>
{
    private readonly object _gate = new();
    private readonly Dictionary<string, List<ConsumableStream<T>>> _consumers = new(StringComparer.Ordinal);
    private readonly int _capacity;
    private readonly bool _inlineConsumers;
    private bool _ended;

    /// <param name="inlineConsumers">See <see cref="ConsumableStream{T}"/>: consumers continue on the writer's thread.</param>
    public StreamDemux(int capacity, bool inlineConsumers = false)
    {
        _capacity = capacity;
        _inlineConsumers = inlineConsumers;
    }

    /// <summary>Creates and registers a consumer for the name; after cleanup the stream is already ended.</summary>
    public ConsumableStream<T> Stream(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var stream = new ConsumableStream<T>(name, _capacity, Remove, _inlineConsumers);
        lock (_gate)
        {
            if (_ended)
            {
                stream.Close();
                return stream;
            }
            if (!_consumers.TryGetValue(name, out var list)) _consumers[name] = list = [];
            list.Add(stream);
        }
        return stream;
    }

    public bool HasConsumer(string name)
    {
        lock (_gate) return _consumers.TryGetValue(name, out var list) && list.Count > 0;
    }

    public int ConsumerCount(string name)
    {
        lock (_gate) return _consumers.TryGetValue(name, out var list) ? list.Count : 0;
    }

    /// <summary>The most items waiting in any one consumer (the JS getBackpressureAll()).</summary>
    public int Backpressure()
    {
        lock (_gate) return _consumers.Values.SelectMany(list => list).Select(c => c.Backpressure).DefaultIfEmpty(0).Max();
    }

    private ConsumableStream<T>[] Snapshot(string name)
    {
        lock (_gate) return _consumers.TryGetValue(name, out var list) ? [.. list] : [];
    }

    /// <summary>Writes to every consumer, waiting while one is full; returns how many consumers there were.</summary>
    public async ValueTask<int> WriteAsync(string name, T item, CancellationToken cancellationToken = default)
    {
        var consumers = Snapshot(name);
        foreach (var consumer in consumers) await consumer.WriteAsync(item, null, cancellationToken).ConfigureAwait(false);
        return consumers.Length;
    }

    /// <summary>
    /// Writes without waiting (events). When <paramref name="handled"/> is given it completes once every consumer
    /// has moved past the item, which lets the server give a 'connection' handler time to attach its receivers.
    /// </summary>
    public int Emit(string name, T item, List<Task>? handled = null)
    {
        var consumers = Snapshot(name);
        foreach (var consumer in consumers)
        {
            TaskCompletionSource? done = null;
            if (handled is not null)
            {
                done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                handled.Add(done.Task);
            }
            consumer.TryWrite(item, done);
        }
        return consumers.Length;
    }

    /// <summary>Ends every stream: 'kill' drops buffered items, otherwise consumers drain them first.</summary>
    public void EndAll(bool kill)
    {
        List<ConsumableStream<T>> all;
        lock (_gate)
        {
            _ended = true;
            all = _consumers.Values.SelectMany(l => l).ToList();
            _consumers.Clear();
        }
        foreach (var stream in all)
        {
            if (kill) stream.Kill();
            else stream.Close();
        }
    }

    private void Remove(ConsumableStream<T> stream)
    {
        lock (_gate)
        {
            if (_consumers.TryGetValue(stream.Name, out var list))
            {
                list.Remove(stream);
                if (list.Count == 0) _consumers.Remove(stream.Name);
            }
        }
    }
}
