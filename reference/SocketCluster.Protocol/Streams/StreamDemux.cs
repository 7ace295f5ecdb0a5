namespace SocketCluster.Protocol.Streams;

/// <summary>
/// Named streams with any number of consumers each (the official stream-demux): every consumer of a name gets every
/// item written to that name after it was created; an item written to a name without consumers is dropped. Server
/// and client use it for listeners, receivers, procedures and channels.
/// </summary>
/// <remarks>
/// Nothing is allocated for a name until a consumer of it exists (issue 13's memory target): <see cref="Stream"/>
/// returns a handle of two references, and the per-name state is an array of consumers replaced on each change, so a
/// write reads it without a lock-held copy.
/// </remarks>
public sealed class StreamDemux<T> : IStreamOwner, IStreamSource<T>
{
    private static readonly IStreamSink<T>[] None = [];

    private readonly object _gate = new();
    private readonly EventPump? _pump;
    private Dictionary<string, IStreamSink<T>[]>? _consumers;
    private bool _ended;

    /// <param name="capacity">Items each consumer buffers (server StreamCapacity or ListenerCapacity, client StreamCapacity).</param>
    public StreamDemux(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    /// <summary>
    /// A demux whose emissions are delivered in order by the pump shared by all the streams of one client socket:
    /// <see cref="Emit"/> never waits, the pump waits while a consumer is full (backpressure instead of loss), and
    /// <see cref="Close(string)"/> takes effect after what was emitted before it.
    /// </summary>
    internal StreamDemux(int capacity, EventPump pump) : this(capacity) => _pump = pump;

    /// <summary>Items each consumer buffers.</summary>
    public int Capacity { get; }

    /// <summary>The named stream (official <c>demux.stream(name)</c>): iterating it or calling CreateConsumer consumes it.</summary>
    public ConsumableStream<T> Stream(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return new ConsumableStream<T>(this, name);
    }

    /// <summary>The named stream's items of type <typeparamref name="TItem"/> (others are skipped), e.g. one event record type.</summary>
    public ConsumableStream<TItem> Stream<TItem>(string name) where TItem : T
    {
        ArgumentNullException.ThrowIfNull(name);
        return typeof(TItem) == typeof(T)
            ? (ConsumableStream<TItem>)(object)new ConsumableStream<T>(this, name)
            : new ConsumableStream<TItem>(new TypedSource<TItem>(this), name);
    }

    /// <summary>A consumer of the name that buffers every item from now on; after <see cref="EndAll"/> it starts ended.</summary>
    public StreamConsumer<T> CreateConsumer(string name)
    {
        var consumer = new StreamConsumer<T>(name, Capacity, owner: this);
        Register(name, consumer);
        return consumer;
    }

    private void Register(string name, IStreamSink<T> sink)
    {
        lock (_gate)
        {
            if (!_ended)
            {
                var consumers = _consumers ??= new Dictionary<string, IStreamSink<T>[]>(StringComparer.Ordinal);
                consumers[name] = consumers.TryGetValue(name, out var list) ? [.. list, sink] : [sink];
                return;
            }
        }
        sink.Close();
    }

    void IStreamOwner.Remove(object consumer)
    {
        lock (_gate)
        {
            if (_consumers is null) return;
            foreach (var (name, list) in _consumers)
            {
                var index = Array.FindIndex(list, s => s.Consumer == consumer);
                if (index < 0) continue;
                if (list.Length == 1) _consumers.Remove(name);
                else _consumers[name] = [.. list.AsSpan(0, index), .. list.AsSpan(index + 1)];
                return;
            }
        }
    }

    public bool HasConsumer(string name) => ConsumerCount(name) > 0;

    public int ConsumerCount(string name) => Snapshot(name).Length;

    /// <summary>The most items waiting in one consumer of the name (official getBackpressure(name)).</summary>
    public int Backpressure(string name) => MaxBackpressure(Snapshot(name));

    /// <summary>The most items waiting in any one consumer (official getBackpressureAll()).</summary>
    public int Backpressure()
    {
        IStreamSink<T>[][] all;
        lock (_gate) all = _consumers is null ? [] : [.. _consumers.Values];
        return all.Select(MaxBackpressure).DefaultIfEmpty(0).Max();
    }

    private static int MaxBackpressure(IStreamSink<T>[] sinks)
    {
        var max = 0;
        foreach (var sink in sinks) max = Math.Max(max, sink.Backpressure);
        return max;
    }

    private IStreamSink<T>[] Snapshot(string name)
    {
        lock (_gate) return _consumers is not null && _consumers.TryGetValue(name, out var list) ? list : None;
    }

    /// <summary>
    /// Writes to every consumer of the name, waiting while one is full (a slow consumer slows its producer: on the
    /// server, that one socket's inbound processing); returns how many consumers there were.
    /// </summary>
    public ValueTask<int> WriteAsync(string name, T item, CancellationToken cancellationToken = default)
    {
        var sinks = Snapshot(name);
        for (var i = 0; i < sinks.Length; i++)
        {
            var write = sinks[i].WriteAsync(item, null, cancellationToken);
            if (!write.IsCompletedSuccessfully) return WriteRestAsync(write, sinks, i, item, cancellationToken);
        }
        return new ValueTask<int>(sinks.Length);
    }

    private static async ValueTask<int> WriteRestAsync(ValueTask pending, IStreamSink<T>[] sinks, int index, T item, CancellationToken cancellationToken)
    {
        await pending.ConfigureAwait(false);
        for (var i = index + 1; i < sinks.Length; i++) await sinks[i].WriteAsync(item, null, cancellationToken).ConfigureAwait(false);
        return sinks.Length;
    }

    /// <summary>
    /// Writes without waiting (events), to the consumers that exist now; returns how many there are. Without a pump, a
    /// full consumer drops the item (counted in its DroppedCount), and when <paramref name="handled"/> is given it
    /// gets one task per consumer that completes once that consumer moved past the item (the server gives a
    /// 'connection' handler time to attach its consumers). With a pump, the item is delivered in emission order and
    /// the pump waits while a consumer is full.
    /// </summary>
    public int Emit(string name, T item, List<Task>? handled = null)
    {
        var sinks = Snapshot(name);
        if (sinks.Length == 0) return 0;
        if (_pump is { } pump)
        {
            pump.Enqueue(async () =>
            {
                foreach (var sink in sinks) await sink.WriteAsync(item, null, CancellationToken.None).ConfigureAwait(false);
            });
            return sinks.Length;
        }
        foreach (var sink in sinks)
        {
            TaskCompletionSource? done = null;
            if (handled is not null)
            {
                done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                handled.Add(done.Task);
            }
            sink.TryWrite(item, done);
        }
        return sinks.Length;
    }

    /// <summary>Ends the name's current consumers after what they have buffered (official close(name)).</summary>
    public void Close(string name) => End(n => n == name, kill: false);

    /// <summary>Ends the name's current consumers at once, dropping what they buffered (official kill(name)).</summary>
    public void Kill(string name) => End(n => n == name, kill: true);

    /// <summary>Closes every stream whose name starts with the prefix (a client channel's listeners, "channel/").</summary>
    public void ClosePrefix(string prefix) => End(n => n.StartsWith(prefix, StringComparison.Ordinal), kill: false);

    /// <summary>Closes every stream (official closeAll()); later consumers work as usual.</summary>
    public void CloseAll() => End(_ => true, kill: false);

    /// <summary>Kills every stream (official killAll()); later consumers work as usual.</summary>
    public void KillAll() => End(_ => true, kill: true);

    /// <summary>Ends every stream for good (a server socket that ended): consumers created later start ended.</summary>
    public void EndAll(bool kill)
    {
        lock (_gate) _ended = true;
        End(_ => true, kill);
    }

    private void End(Func<string, bool> match, bool kill)
    {
        List<IStreamSink<T>> ended = [];
        lock (_gate)
        {
            if (_consumers is null) return;
            foreach (var name in _consumers.Keys.Where(match).ToList())
            {
                ended.AddRange(_consumers[name]);
                _consumers.Remove(name);
            }
        }
        if (ended.Count == 0) return;
        if (kill || _pump is null)
        {
            foreach (var sink in ended)
            {
                if (kill) sink.Kill();
                else sink.Close();
            }
            return;
        }
        // After the items emitted before the close (they are still in the pump).
        _pump.Enqueue(() =>
        {
            foreach (var sink in ended) sink.Close();
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>The consumers of one item type among the demux's items (a typed listener); items of other types are skipped.</summary>
    private sealed class TypedSource<TItem>(StreamDemux<T> demux) : IStreamSource<TItem> where TItem : T
    {
        public StreamConsumer<TItem> CreateConsumer(string name)
        {
            var consumer = new StreamConsumer<TItem>(name, demux.Capacity, owner: demux);
            demux.Register(name, new TypedSink(consumer));
            return consumer;
        }

        public int ConsumerCount(string name) => demux.ConsumerCount(name);
        public int Backpressure(string name) => demux.Backpressure(name);
        public void Close(string name) => demux.Close(name);
        public void Kill(string name) => demux.Kill(name);

        private sealed class TypedSink(StreamConsumer<TItem> consumer) : IStreamSink<T>
        {
            public bool TryWrite(T item, TaskCompletionSource? handled)
            {
                if (item is TItem typed) return ((IStreamSink<TItem>)consumer).TryWrite(typed, handled);
                handled?.TrySetResult();
                return false;
            }

            public ValueTask WriteAsync(T item, TaskCompletionSource? handled, CancellationToken cancellationToken)
            {
                if (item is TItem typed) return ((IStreamSink<TItem>)consumer).WriteAsync(typed, handled, cancellationToken);
                handled?.TrySetResult();
                return ValueTask.CompletedTask;
            }

            public void Close() => ((IStreamSink<TItem>)consumer).Close();
            public void Kill() => ((IStreamSink<TItem>)consumer).Kill();
            public int Backpressure => consumer.Backpressure;
            public object Consumer => consumer;
        }
    }

    // The demux is the source of its own untyped streams.
    StreamConsumer<T> IStreamSource<T>.CreateConsumer(string name) => CreateConsumer(name);
}

/// <summary>What a <see cref="ConsumableStream{T}"/> consumes: a demux, or a typed view of one.</summary>
internal interface IStreamSource<T>
{
    StreamConsumer<T> CreateConsumer(string name);
    int ConsumerCount(string name);
    int Backpressure(string name);
    void Close(string name);
    void Kill(string name);
}
