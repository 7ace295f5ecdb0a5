namespace SocketCluster.Client.Streams;

/// <summary>Something a demux can write into: one consumer of one named stream.</summary>
internal interface IStreamSink
{
    ValueTask WriteAsync(object? value);
    void Complete();
}

/// <summary>
/// Named streams (like stream-demux): a write reaches the consumers that exist at the time of the write,
/// delivered in order through the socket's <see cref="EventPump"/>. A write with no consumer is dropped.
/// </summary>
internal sealed class StreamDemux(EventPump pump, int capacity)
{
    private readonly object _lock = new();
    private readonly Dictionary<string, List<IStreamSink>> _sinks = new();

    public int Capacity => capacity;

    public StreamConsumer<T> CreateConsumer<T>(string name)
    {
        var consumer = new StreamConsumer<T>(this, name, capacity);
        lock (_lock)
        {
            if (!_sinks.TryGetValue(name, out var list)) _sinks[name] = list = [];
            list.Add(consumer);
        }
        return consumer;
    }

    public void Remove(string name, IStreamSink sink)
    {
        lock (_lock)
        {
            if (_sinks.TryGetValue(name, out var list) && list.Remove(sink) && list.Count == 0) _sinks.Remove(name);
        }
    }

    public bool HasConsumer(string name)
    {
        lock (_lock) return _sinks.ContainsKey(name);
    }

    /// <summary>Queues the value for the current consumers of the stream; false if it has none.</summary>
    public bool Write(string name, object? value)
    {
        IStreamSink[] targets;
        lock (_lock)
        {
            if (!_sinks.TryGetValue(name, out var list)) return false;
            targets = [.. list];
        }
        pump.Enqueue(async () =>
        {
            foreach (var sink in targets) await sink.WriteAsync(value).ConfigureAwait(false);
        });
        return true;
    }

    /// <summary>Ends the stream's current consumers after what was written before (official close).</summary>
    public void Close(string name) => CloseWhere(n => n == name);

    /// <summary>Ends every stream whose name starts with the prefix.</summary>
    public void ClosePrefix(string prefix) => CloseWhere(n => n.StartsWith(prefix, StringComparison.Ordinal));

    public void CloseAll() => CloseWhere(_ => true);

    private void CloseWhere(Func<string, bool> match)
    {
        List<IStreamSink> targets = [];
        lock (_lock)
        {
            foreach (var name in _sinks.Keys.Where(match).ToList())
            {
                targets.AddRange(_sinks[name]);
                _sinks.Remove(name);
            }
        }
        if (targets.Count == 0) return;
        pump.Enqueue(() =>
        {
            foreach (var sink in targets) sink.Complete();
            return ValueTask.CompletedTask;
        });
    }
}
