namespace Conformance.Engine.Support;

/// <summary>
/// An append-only, thread-safe log that readers can wait on: "find the first entry from index i matching p, waiting
/// up to t for new entries". Used for raw connections' inbound frames, client events and proxied frames.
/// </summary>
public sealed class EventLog<T>
{
    private readonly List<T> _items = [];
    private TaskCompletionSource _changed = NewSignal();
    private bool _completed;

    public int Count
    {
        get { lock (_items) return _items.Count; }
    }

    /// <summary>True once no more entries can arrive (the connection is closed).</summary>
    public bool IsCompleted
    {
        get { lock (_items) return _completed; }
    }

    public void Add(T item)
    {
        TaskCompletionSource signal;
        lock (_items)
        {
            _items.Add(item);
            signal = _changed;
            _changed = NewSignal();
        }
        signal.TrySetResult();
    }

    /// <summary>Marks the log complete: waits for entries that are not there yet end at once.</summary>
    public void Complete()
    {
        TaskCompletionSource signal;
        lock (_items)
        {
            _completed = true;
            signal = _changed;
            _changed = NewSignal();
        }
        signal.TrySetResult();
    }

    public IReadOnlyList<T> Snapshot(int from = 0)
    {
        lock (_items) return from >= _items.Count ? [] : _items.GetRange(from, _items.Count - from);
    }

    /// <summary>
    /// The first entry at or after <paramref name="from"/> that matches, with its index; null when none arrived within
    /// <paramref name="timeout"/> (or the log completed without one).
    /// </summary>
    public async Task<(int Index, T Item)?> WaitForAsync(int from, Func<T, bool> predicate, TimeSpan timeout, CancellationToken cancellation)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(timeout);
        var next = from;
        while (true)
        {
            Task signal;
            bool completed;
            lock (_items)
            {
                for (; next < _items.Count; next++)
                    if (predicate(_items[next])) return (next, _items[next]);
                signal = _changed.Task;
                completed = _completed;
            }
            if (completed) return null;
            try
            {
                await signal.WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
            {
                lock (_items)
                {
                    for (; next < _items.Count; next++)
                        if (predicate(_items[next])) return (next, _items[next]);
                }
                return null;
            }
        }
    }

    /// <summary>Waits until the log has at least <paramref name="count"/> entries matching (from index), or the timeout.</summary>
    public async Task<IReadOnlyList<(int Index, T Item)>> WaitForCountAsync(int from, Func<T, bool> predicate, int count,
        TimeSpan timeout, CancellationToken cancellation)
    {
        var found = new List<(int, T)>();
        var next = from;
        var deadline = DateTime.UtcNow + timeout;
        while (found.Count < count)
        {
            var remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero) break;
            var hit = await WaitForAsync(next, predicate, remaining, cancellation).ConfigureAwait(false);
            if (hit is null) break;
            found.Add(hit.Value);
            next = hit.Value.Index + 1;
        }
        return found;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
